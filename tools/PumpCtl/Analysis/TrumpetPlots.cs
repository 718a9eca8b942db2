// The two figures of the method, built as ScottPlot plots (so tests can read their data, axes
// and ticks) and written headless as PNG, SVG or PDF (SkiaSharp's dependency-free native
// assets, so no X server or fontconfig setup is needed).
// - Trumpet: Ep(max)/Ep(min) against P with the mean error A; x ticks exactly at the windows.
// - Start-up: Qi drawn as a step plot, each value held over the Δt interval it was measured
//   in, above a cumulative panel (volume against the set rate's line). A balance reads in
//   steps of its resolution, so at slow rates Qi jumps between a few levels one resolution
//   step apart; drawn as a line through points those jumps read as spikes. As steps, with the
//   flow of one resolution step in the legend, they read as what they are, and the cumulative
//   panel shows the volume following the set rate smoothly underneath.
// Both carry a caption line with the run's source (file, column) and date.
using System.Globalization;
using PumpFirmware.VirtualDevice.Files;
using ScottPlot;
using SkiaSharp;

namespace PumpCtl.Analysis;

/// <summary>Builds and saves the trumpet and start-up plots.</summary>
public static class TrumpetPlots
{
    /// <summary>Ep(max) and Ep(min) against the window length, with the mean error A.</summary>
    /// <param name="caption">The run's source and date, shown under the title.</param>
    public static Plot BuildTrumpet(TrumpetResult r, TrumpetOptions o, string sourceName, string caption)
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
        mean.LegendText = $"mean error A = {r.MeanErrorPercent.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)} %";
        mean.LinePattern = LinePattern.Dashed;
        mean.LineWidth = 2;
        mean.Color = Colors.DarkGreen;
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Gray;
        zero.LineWidth = 1;

        plot.Title(string.Format(CultureInfo.InvariantCulture, "Trumpet curve ({0}): set rate {1:0.###} µL/h, T2 = min {2}-{3}, Δt = {4} s\n{5}",
            sourceName, r.SetRateMicrolitersPerHour, o.T2StartMinutes, o.T2StartMinutes + o.T2Minutes, o.DtSeconds, caption), 14);
        plot.XLabel("Observation window P (min)");
        plot.YLabel("Flow error (% of set rate)");
        // The windows are the only x values that mean anything: tick exactly there.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(p, p.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(0, Math.Max(p.DefaultIfEmpty(31).Max(), 1) + 2);
        double extent = r.Windows.SelectMany(w => new[] { Math.Abs(w.EpMaxPercent), Math.Abs(w.EpMinPercent) })
            .Append(Math.Abs(r.MeanErrorPercent)).Max();
        extent = NiceCeiling(Math.Max(extent * 1.15, 1));
        plot.Axes.SetLimitsY(-extent, extent);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>The start-up figure: flow per Δt as a step plot (first panel) over the cumulative volume (second panel).</summary>
    /// <param name="stepFlowMicrolitersPerHour">The flow of one balance resolution step per Δt, µL/h, or null (volume source, or unknown).</param>
    public static Plot[] BuildStartup(TrumpetResult r, TrumpetOptions o, string sourceName, string caption, double? stepFlowMicrolitersPerHour = null)
    {
        var plot = new Plot();
        (double[] xs, double[] ys) = StartupSteps(r, o);
        if (xs.Length > 0)
        {
            var q = plot.Add.Scatter(xs, ys);
            q.ConnectStyle = ConnectStyle.StepHorizontal;
            q.LegendText = stepFlowMicrolitersPerHour is double step
                ? string.Format(CultureInfo.InvariantCulture, "Qi per {0} s (one balance step = {1:0.##} µL/h)", o.DtSeconds, step)
                : string.Format(CultureInfo.InvariantCulture, "Qi per {0} s ({1})", o.DtSeconds, sourceName);
            q.LineWidth = 1.5f;
            q.MarkerSize = 0;
            q.Color = Colors.SteelBlue;
        }
        var set = plot.Add.HorizontalLine(r.SetRateMicrolitersPerHour);
        set.LegendText = string.Format(CultureInfo.InvariantCulture, "set rate {0:0.###} µL/h", r.SetRateMicrolitersPerHour);
        set.LinePattern = LinePattern.Dashed;
        set.LineWidth = 2;
        set.Color = Colors.FireBrick;
        T2Start(plot, o, true);

        plot.Title(string.Format(CultureInfo.InvariantCulture, "Start-up curve: first {0:0.#} min, Δt = {1} s\n{2}",
            Math.Min(o.StartupMinutes, r.LogSpanMinutes), o.DtSeconds, caption), 14);
        plot.YLabel("Flow Q (µL/h)");
        MinuteAxis(plot, o);
        double top = ys.DefaultIfEmpty(0).Max();
        double bottom = ys.DefaultIfEmpty(0).Min();
        // Headroom above the data for the legend in the upper right.
        top = NiceCeiling(Math.Max(top, r.SetRateMicrolitersPerHour) * 1.6);
        bottom = Math.Min(0, -NiceCeiling(-bottom * 1.15));
        plot.Axes.SetLimitsY(bottom, top);
        plot.ShowLegend(Alignment.UpperRight);

        var cumulative = new Plot();
        double dtMin = o.DtSeconds / 60.0;
        double[] t = Enumerable.Range(0, r.StartupVolumeMicroliters.Length).Select(i => i * dtMin).ToArray();
        if (t.Length > 0)
        {
            var ideal = cumulative.Add.Scatter(new[] { 0.0, t[^1] }, new[] { 0.0, r.SetRateMicrolitersPerHour * t[^1] / 60.0 });
            ideal.LegendText = "set rate × time";
            ideal.LinePattern = LinePattern.Dashed;
            ideal.LineWidth = 2;
            ideal.MarkerSize = 0;
            ideal.Color = Colors.FireBrick;
            var v = cumulative.Add.Scatter(t, r.StartupVolumeMicroliters);
            v.LegendText = $"cumulative volume ({sourceName})";
            v.LineWidth = 1.5f;
            v.MarkerSize = 0;
            v.Color = Colors.SteelBlue;
        }
        T2Start(cumulative, o, false);
        cumulative.XLabel("Time since the first log row (min)");
        cumulative.YLabel("Volume V (µL)");
        MinuteAxis(cumulative, o);
        double vTop = Math.Max(r.StartupVolumeMicroliters.DefaultIfEmpty(0).Max(), r.SetRateMicrolitersPerHour * t.DefaultIfEmpty(0).Last() / 60.0);
        cumulative.Axes.SetLimitsY(Math.Min(0, r.StartupVolumeMicroliters.DefaultIfEmpty(0).Min()), NiceCeiling(vTop * 1.1));
        cumulative.ShowLegend(Alignment.UpperLeft);
        return new[] { plot, cumulative };
    }

    private static void T2Start(Plot plot, TrumpetOptions o, bool legend)
    {
        var t2 = plot.Add.VerticalLine(o.T2StartMinutes);
        if (legend)
        {
            t2.LegendText = $"start of T2 (min {o.T2StartMinutes})";
        }
        t2.LinePattern = LinePattern.Dotted;
        t2.Color = Colors.DarkGreen;
    }

    private static void MinuteAxis(Plot plot, TrumpetOptions o)
    {
        double[] ticks = MinuteTicks(o.StartupMinutes);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ticks.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(0, o.StartupMinutes);
    }

    /// <summary>The start-up step plot's vertices: Qi held from the start to the end of its interval.</summary>
    public static (double[] X, double[] Y) StartupSteps(TrumpetResult r, TrumpetOptions o)
    {
        int n = r.StartupTimeMinutes.Length;
        if (n == 0)
        {
            return (Array.Empty<double>(), Array.Empty<double>());
        }
        var xs = new double[n + 1];
        var ys = new double[n + 1];
        double dtMin = o.DtSeconds / 60.0;
        for (int i = 0; i < n; i++)
        {
            xs[i] = r.StartupTimeMinutes[i] - dtMin;   // the interval's start
            ys[i] = r.StartupFlowMicrolitersPerHour[i];
        }
        xs[n] = r.StartupTimeMinutes[n - 1];           // closes the last step at its end
        ys[n] = ys[n - 1];
        return (xs, ys);
    }

    /// <summary>Ticks at 0 and every 5, 10, 15, 30 or 60 min, whichever gives at most 10 intervals.</summary>
    public static double[] MinuteTicks(int spanMinutes)
    {
        int step = new[] { 1, 2, 5, 10, 15, 30, 60, 120, 240 }.First(s => spanMinutes / s <= 10 || s == 240);
        var ticks = new List<double>();
        for (int t = 0; t <= spanMinutes; t += step)
        {
            ticks.Add(t);
        }
        return ticks.ToArray();
    }

    // The next of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above x, so axis limits land on round numbers.
    private static double NiceCeiling(double x)
    {
        if (!(x > 0))
        {
            return 1;
        }
        double p = Math.Pow(10, Math.Floor(Math.Log10(x)));
        foreach (double m in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (m * p >= x - 1e-12)
            {
                return m * p;
            }
        }
        return 10 * p;
    }

    /// <summary>Writes <paramref name="plot"/> to <paramref name="path"/> in the options' format and size, atomically.</summary>
    public static void Save(Plot plot, string path, PlotOptions options) => Save(new[] { plot }, path, options);

    /// <summary>Writes panels stacked top to bottom (the first gets 62 % of the height when there are two).</summary>
    public static void Save(IReadOnlyList<Plot> panels, string path, PlotOptions options)
    {
        // Laid out at 100 units per inch; PNG scales that to its dpi, PDF to points (72 per inch).
        // A figure smaller than the 9×5.6 in default is laid out larger and shrunk (at most to
        // 0.6), so a single-column 3.5 in figure keeps the whole layout with text of about 6 pt.
        double shrink = Math.Clamp(Math.Min(options.WidthInches / 9.0, options.HeightInches / 5.6), 0.6, 1.0);
        int w = (int)Math.Round(options.WidthInches * 100 / shrink), h = (int)Math.Round(options.HeightInches * 100 / shrink);
        AtomicFile.Write(path, temp =>
        {
            switch (options.Format)
            {
                case PlotFormat.Png:
                    using (var surface = SKSurface.Create(new SKImageInfo(options.PixelWidth, options.PixelHeight)))
                    {
                        surface.Canvas.Clear(SKColors.White);
                        surface.Canvas.Scale(options.PixelWidth / (float)w, options.PixelHeight / (float)h);
                        Draw(panels, surface.Canvas, w, h);
                        using SKImage image = surface.Snapshot();
                        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
                        using FileStream file = File.Create(temp);
                        data.SaveTo(file);
                    }
                    break;
                case PlotFormat.Svg:
                    using (var stream = new SKFileWStream(temp))
                    using (SKCanvas svg = SKSvgCanvas.Create(SKRect.Create((float)(options.WidthInches * 100), (float)(options.HeightInches * 100)), stream))
                    {
                        svg.Scale((float)shrink);
                        Draw(panels, svg, w, h);
                    }
                    break;
                case PlotFormat.Pdf:
                    using (var stream = new SKFileWStream(temp))
                    using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { RasterDpi = options.Dpi, Producer = "pumpctl", Creator = "pumpctl analyze" }))
                    {
                        SKCanvas canvas = document.BeginPage((float)(options.WidthInches * 72), (float)(options.HeightInches * 72));
                        canvas.Scale((float)(0.72 * shrink));
                        Draw(panels, canvas, w, h);
                        document.EndPage();
                        document.Close();
                    }
                    break;
            }
        });
    }

    private static void Draw(IReadOnlyList<Plot> panels, SKCanvas canvas, int w, int h)
    {
        float top = 0;
        for (int i = 0; i < panels.Count; i++)
        {
            float share = panels.Count == 2 ? (i == 0 ? 0.62f : 0.38f) : 1f / panels.Count;
            float bottom = i == panels.Count - 1 ? h : top + share * h;
            // Each panel is rendered as a whole figure of its own (ScottPlot clears what it
            // draws on), clipped and moved to its band.
            canvas.Save();
            canvas.ClipRect(SKRect.Create(0, top, w, bottom - top));
            canvas.Translate(0, top);
            panels[i].Render(canvas, w, (int)Math.Round(bottom - top));
            canvas.Restore();
            top = bottom;
        }
    }
}
