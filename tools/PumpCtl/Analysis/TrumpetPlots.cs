// The two figures of the method, rendered headless to PNG with ScottPlot (SkiaSharp's
// dependency-free native assets, so no X server or fontconfig setup is needed).
using ScottPlot;

namespace PumpCtl.Analysis;

/// <summary>Draws the trumpet and start-up plots.</summary>
public static class TrumpetPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Ep(max) and Ep(min) against the window length, with the mean error A.</summary>
    public static void SaveTrumpet(TrumpetResult r, TrumpetOptions o, string path, string sourceName)
    {
        var plot = new Plot();
        double[] p = r.Windows.Select(w => (double)w.WindowMinutes).ToArray();
        var max = plot.Add.Scatter(p, r.Windows.Select(w => w.EpMaxPercent).ToArray());
        max.LegendText = "Ep(max)";
        max.LineWidth = 2;
        max.MarkerSize = 9;
        max.Color = Colors.FireBrick;
        var min = plot.Add.Scatter(p, r.Windows.Select(w => w.EpMinPercent).ToArray());
        min.LegendText = "Ep(min)";
        min.LineWidth = 2;
        min.MarkerSize = 9;
        min.Color = Colors.SteelBlue;
        var mean = plot.Add.HorizontalLine(r.MeanErrorPercent);
        mean.LegendText = $"mean error A = {r.MeanErrorPercent:+0.00;-0.00;0.00} %";
        mean.LinePattern = LinePattern.Dashed;
        mean.LineWidth = 2;
        mean.Color = Colors.DarkGreen;
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Gray;
        zero.LineWidth = 1;

        plot.Title($"Trumpet curve ({sourceName}): set rate {r.SetRateMicrolitersPerHour:0.###} µL/h, " +
            $"T2 = min {o.T2StartMinutes}-{o.T2StartMinutes + o.T2Minutes}, Δt = {o.DtSeconds} s");
        plot.XLabel("Observation window P (min)");
        plot.YLabel("Flow error (% of set rate)");
        plot.Axes.SetLimitsX(0, Math.Max(p.DefaultIfEmpty(31).Max(), 1) + 2);
        double extent = r.Windows.SelectMany(w => new[] { Math.Abs(w.EpMaxPercent), Math.Abs(w.EpMinPercent) })
            .Append(Math.Abs(r.MeanErrorPercent)).Max();
        extent = Math.Max(extent * 1.15, 1);
        plot.Axes.SetLimitsY(-extent, extent);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Flow per Δt over the start-up period, with the set rate.</summary>
    public static void SaveStartup(TrumpetResult r, TrumpetOptions o, string path, string sourceName)
    {
        var plot = new Plot();
        if (r.StartupTimeMinutes.Length > 0)
        {
            var q = plot.Add.Scatter(r.StartupTimeMinutes, r.StartupFlowMicrolitersPerHour);
            q.LegendText = $"flow Qi per {o.DtSeconds} s ({sourceName})";
            q.LineWidth = 1.5f;
            q.MarkerSize = 3;
            q.Color = Colors.SteelBlue;
        }
        var set = plot.Add.HorizontalLine(r.SetRateMicrolitersPerHour);
        set.LegendText = $"set rate {r.SetRateMicrolitersPerHour:0.###} µL/h";
        set.LinePattern = LinePattern.Dashed;
        set.LineWidth = 2;
        set.Color = Colors.FireBrick;
        var t2 = plot.Add.VerticalLine(o.T2StartMinutes);
        t2.LegendText = $"start of T2 (min {o.T2StartMinutes})";
        t2.LinePattern = LinePattern.Dotted;
        t2.Color = Colors.DarkGreen;

        plot.Title($"Start-up curve: first {Math.Min(o.StartupMinutes, r.LogSpanMinutes):0.#} min, Δt = {o.DtSeconds} s");
        plot.XLabel("Time since the first log row (min)");
        plot.YLabel("Flow Q (µL/h)");
        plot.Axes.SetLimitsX(0, o.StartupMinutes);
        double top = r.StartupFlowMicrolitersPerHour.DefaultIfEmpty(0).Max();
        double bottom = r.StartupFlowMicrolitersPerHour.DefaultIfEmpty(0).Min();
        top = Math.Max(top, r.SetRateMicrolitersPerHour) * 1.15;
        bottom = Math.Min(0, bottom * 1.15);
        plot.Axes.SetLimitsY(bottom, top);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }
}
