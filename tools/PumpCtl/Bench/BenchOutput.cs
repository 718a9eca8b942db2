// The files the bench commands write: a CSV of what was measured (RFC 4180, invariant culture),
// a JSON of the result, and for the occlusion test a figure (pressure and balance over time),
// each written atomically so an interrupted run never leaves half a file.
using System.Globalization;
using System.Text.Json;
using PumpCtl.Analysis;
using PumpFirmware.VirtualDevice.Files;
using ScottPlot;

namespace PumpCtl.Bench;

/// <summary>Writes the bench results.</summary>
public static class BenchOutput
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>occlusion.csv, occlusion.json and occlusion.&lt;format&gt; in <paramref name="folder"/>.</summary>
    /// <returns>The paths written.</returns>
    public static string[] WriteOcclusion(OcclusionResult r, string folder, PlotOptions plot)
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "occlusion.csv");
        string json = Path.Combine(folder, "occlusion.json");
        string figure = Path.Combine(folder, "occlusion." + plot.Extension);
        var lines = new List<string> { "t_s,phase,mass_g,pressure_mmhg,delivered_ul,state,alarms" };
        lines.AddRange(r.Samples.Select(s => string.Join(",", s.TimeSeconds.ToString("0.###", C), s.Phase, s.MassGrams.ToString("0.0000", C),
            s.PressureMmHg?.ToString("0.###", C) ?? "", s.DeliveredMicroliters.ToString("0.###", C), s.State, Quote(s.Alarms))));
        AtomicFile.WriteAllText(csv, string.Join("\n", lines) + "\n");
        var summary = new
        {
            test = "IEC 60601-2-24 occlusion (time to alarm, unintended bolus)",
            rate_ul_h = r.RateMicrolitersPerHour,
            limit_mmhg = r.LimitMmHg,
            settled_rate_ul_h = Round(r.SettledRateMicrolitersPerHour),
            time_to_alarm_s = Round(r.TimeToAlarmSeconds),
            volume_to_alarm_ul = Round(r.VolumeToAlarmMicroliters),
            pressure_at_alarm_mmhg = double.IsNaN(r.PressureAtAlarmMmHg) ? (double?)null : r.PressureAtAlarmMmHg,
            bolus_ul = Round(r.BolusMicroliters),
            bolus_g = Math.Round(r.BolusGrams, 5),
            samples = r.Samples.Count,
        };
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(summary, Json) + "\n");
        TrumpetPlots.Save(BuildOcclusionPlots(r), figure, plot);
        return new[] { csv, json, figure };
    }

    /// <summary>The figure: the pump's pressure against its limit (top), the balance (bottom), over minutes.</summary>
    public static Plot[] BuildOcclusionPlots(OcclusionResult r)
    {
        double[] minutes = r.Samples.Select(s => s.TimeSeconds / 60).ToArray();
        var top = new Plot();
        var withPressure = r.Samples.Where(s => s.PressureMmHg.HasValue).ToArray();
        var p = top.Add.Scatter(withPressure.Select(s => s.TimeSeconds / 60).ToArray(), withPressure.Select(s => s.PressureMmHg!.Value).ToArray());
        p.LegendText = "pressure (pump, filtered)";
        p.MarkerSize = 3;
        var limit = top.Add.HorizontalLine(r.LimitMmHg);
        limit.LegendText = string.Format(C, "limit {0:0.#} mmHg", r.LimitMmHg);
        limit.LinePattern = LinePattern.Dashed;
        top.Title(string.Format(C, "Occlusion at {0:0.###} µL/h: alarm after {1:0.#} min, {2:0.###} µL held back, bolus {3:0.###} µL",
            r.RateMicrolitersPerHour, r.TimeToAlarmSeconds / 60, r.VolumeToAlarmMicroliters, r.BolusMicroliters));
        top.YLabel("pressure (mmHg)");
        top.ShowLegend(Alignment.UpperLeft);
        var bottom = new Plot();
        var m = bottom.Add.Scatter(minutes, r.Samples.Select(s => s.MassGrams * 1000).ToArray());
        m.LegendText = "balance";
        m.MarkerSize = 3;
        bottom.XLabel("time (min)");
        bottom.YLabel("mass (mg)");
        bottom.ShowLegend(Alignment.UpperLeft);
        return new[] { top, bottom };
    }

    /// <summary>bolus.csv and bolus.json in <paramref name="folder"/>.</summary>
    /// <returns>The paths written.</returns>
    public static string[] WriteBolus(BolusResult r, string folder)
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "bolus.csv");
        string json = Path.Combine(folder, "bolus.json");
        var lines = new List<string> { "size_ul,index,duration_min,mass_g,volume_ul,error_pct" };
        lines.AddRange(r.Shots.Select(s => string.Join(",", s.SizeMicroliters.ToString("0.###", C), s.Index.ToString(C), s.DurationMinutes.ToString(C),
            s.MassGrams.ToString("0.00000", C), s.VolumeMicroliters.ToString("0.####", C), s.ErrorPercent.ToString("0.####", C))));
        AtomicFile.WriteAllText(csv, string.Join("\n", lines) + "\n");
        var summary = new
        {
            test = "bolus volume accuracy (mean and worst error per size)",
            sizes = r.Sizes.Select(s => new
            {
                size_ul = s.SizeMicroliters,
                count = s.Count,
                mean_ul = Round(s.MeanMicroliters),
                mean_error_pct = Math.Round(s.MeanErrorPercent, 4),
                worst_error_pct = Math.Round(s.WorstErrorPercent, 4),
                sd_ul = Round(s.StdDevMicroliters),
            }),
        };
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(summary, Json) + "\n");
        return new[] { csv, json };
    }

    private static double Round(double v) => Math.Round(v, 4);

    private static string Quote(string field) => field.Contains(',') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
