// Writes an analysis to its folder: trumpet.csv, summary.json, trumpet.png, startup.png and
// report.md. Numbers in the machine-readable files are invariant-culture, full precision;
// the report rounds for reading.
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PumpFirmware.VirtualDevice.Files;

namespace PumpCtl.Analysis;

/// <summary>Writes the files of an analysis.</summary>
public static class AnalysisOutput
{
    /// <summary>The files written with the default PNG figures, relative to the output folder.</summary>
    public static readonly string[] FileNames = FileNamesFor(new PlotOptions());

    /// <summary>The files written for figures in <paramref name="plots"/>' format.</summary>
    public static string[] FileNamesFor(PlotOptions plots) =>
        new[] { "trumpet.csv", "summary.json", "trumpet." + plots.Extension, "startup." + plots.Extension, "report.md" };

    /// <summary>Writes every file into <paramref name="dir"/> (created if needed), each atomically.</summary>
    /// <param name="plots">Figure format and size (default: PNG, 9×5.6 in at 100 dpi).</param>
    /// <param name="log">The log as read (rows skipped, source, date), for the report and the figures' caption.</param>
    public static void Write(string dir, string inputPath, TrumpetResult r, TrumpetOptions o, PlotOptions? plots = null, RunLog? log = null,
        LogColumns? columns = null)
    {
        plots ??= new PlotOptions();
        Directory.CreateDirectory(dir);
        string sourceName = o.Source == FlowSource.Mass ? "balance mass" : "delivered volume";
        string caption = Caption(inputPath, log);
        double? stepFlow = o.Source == FlowSource.Mass && log?.MassResolution is double res && columns != null
            ? res * columns.MicrolitersPerMassUnit * 3600.0 / o.DtSeconds
            : null;
        string[] names = FileNamesFor(plots);
        WriteTrumpetCsv(Path.Combine(dir, names[0]), r);
        AtomicFile.WriteAllText(Path.Combine(dir, names[1]), SummaryJson(inputPath, r, o, log, plots));
        TrumpetPlots.Save(TrumpetPlots.BuildTrumpet(r, o, sourceName, caption), Path.Combine(dir, names[2]), plots);
        TrumpetPlots.Save(TrumpetPlots.BuildStartup(r, o, sourceName, caption, stepFlow), Path.Combine(dir, names[3]), plots);
        AtomicFile.WriteAllText(Path.Combine(dir, names[4]), Report(inputPath, r, o, sourceName, log, names));
    }

    /// <summary>The figures' caption: where the flow came from and when the run was logged.</summary>
    public static string Caption(string inputPath, RunLog? log)
    {
        string origin = log?.ValueOrigin ?? Path.GetFileName(inputPath);
        if (log?.FirstHostUtc is string first && DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset start))
        {
            return $"{origin}; run logged from {start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        }
        DateTime written = File.Exists(inputPath) ? File.GetLastWriteTimeUtc(inputPath) : DateTime.UtcNow;
        return $"{origin}; file dated {written.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
    }

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteTrumpetCsv(string path, TrumpetResult r)
    {
        var text = new StringBuilder("window_min,ep_max_pct,ep_min_pct\r\n");
        foreach (WindowResult w in r.Windows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{w.WindowMinutes},{F(w.EpMaxPercent)},{F(w.EpMinPercent)}\r\n");
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>The summary as JSON text.</summary>
    public static string SummaryJson(string inputPath, TrumpetResult r, TrumpetOptions o, RunLog? log = null, PlotOptions? plots = null)
    {
        var windows = new JsonArray();
        foreach (WindowResult w in r.Windows)
        {
            windows.Add(new JsonObject
            {
                ["window_min"] = w.WindowMinutes,
                ["ep_max_pct"] = w.EpMaxPercent,
                ["ep_min_pct"] = w.EpMinPercent,
                ["window_count"] = w.WindowCount,
            });
        }
        var json = new JsonObject
        {
            ["input"] = Path.GetFileName(inputPath),
            ["source"] = o.Source == FlowSource.Mass ? "mass" : "volume",
            ["set_rate_ul_h"] = r.SetRateMicrolitersPerHour,
            ["set_rate_origin"] = r.SetRateOrigin,
            ["mean_flow_ul_h"] = r.MeanFlowMicrolitersPerHour,
            ["mean_error_pct"] = r.MeanErrorPercent,
            ["dt_s"] = o.DtSeconds,
            ["t2_start_min"] = o.T2StartMinutes,
            ["t2_min"] = o.T2Minutes,
            ["startup_min"] = o.StartupMinutes,
            ["density_g_ml"] = o.DensityGramsPerMilliliter,
            ["max_gap_factor"] = o.MaxGapFactor,
            ["log_rows_used"] = r.SampleCount,
            ["resampled_points"] = r.ResampledCount,
            ["log_span_min"] = r.LogSpanMinutes,
            ["max_gap_s"] = r.MaxGapSeconds,
            ["first_line"] = r.FirstLine,
            ["last_line"] = r.LastLine,
            ["used_min"] = r.UsedMinutes,
            ["used_end"] = r.UsedEndReason,
            ["run_end_min"] = r.RunEndMinutes,
            ["run_end"] = r.RunEndReason,
            ["windows"] = windows,
        };
        if (log != null)
        {
            json["value_origin"] = log.ValueOrigin;
            json["rows_read"] = log.RowsRead;
            json["rows_skipped"] = log.SkippedLines.Count;
            json["rows_skipped_because"] = log.SkippedLines.Count > 0 ? log.SkipReason : null;
        }
        if (plots != null)
        {
            json["plot_format"] = plots.Extension;
            json["plot_dpi"] = plots.Dpi;
            json["plot_size_in"] = new JsonArray(plots.WidthInches, plots.HeightInches);
        }
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Report(string inputPath, TrumpetResult r, TrumpetOptions o, string sourceName, RunLog? log, string[] names)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.Append(c, $"# Flow accuracy: {Path.GetFileName(inputPath)}\n\n");
        s.Append("Trumpet method of IEC 60601-2-24 (see docs/PUMPCTL.md). Research equipment, not a medical device.\n\n");
        s.Append("| | |\n|---|---|\n");
        s.Append(c, $"| source | {sourceName}{(o.Source == FlowSource.Mass ? $" (density {o.DensityGramsPerMilliliter} g/mL)" : "")} |\n");
        s.Append(c, $"| set rate r | {r.SetRateMicrolitersPerHour:0.###} µL/h ({r.SetRateMicrolitersPerHour * 24:0.###} µL/day, from {(r.SetRateOrigin == "log" ? "the log's rate_ul_day" : "--rate-ul-h")}) |\n");
        s.Append(c, $"| sampling Δt | {o.DtSeconds} s |\n");
        s.Append(c, $"| analysis period T2 | minute {o.T2StartMinutes} to {o.T2StartMinutes + o.T2Minutes} ({o.T2Minutes} min) |\n");
        s.Append(c, $"| mean flow over T2 | {r.MeanFlowMicrolitersPerHour:0.###} µL/h |\n");
        s.Append(c, $"| **mean error A** | **{r.MeanErrorPercent:+0.00;-0.00;0.00} %** |\n");
        s.Append(c, $"| log | {r.SampleCount} rows over {r.LogSpanMinutes:0.#} min; largest gap {r.MaxGapSeconds:0.#} s; {r.ResampledCount} points at Δt |\n\n");
        s.Append("## Rows used\n\n");
        s.Append(RowsUsed(r, log));
        s.Append("\n\n");
        s.Append("## Trumpet curve\n\n");
        s.Append("| window P (min) | windows m | Ep(max) % | Ep(min) % |\n|---:|---:|---:|---:|\n");
        foreach (WindowResult w in r.Windows)
        {
            s.Append(c, $"| {w.WindowMinutes} | {w.WindowCount} | {w.EpMaxPercent:+0.00;-0.00;0.00} | {w.EpMinPercent:+0.00;-0.00;0.00} |\n");
        }
        s.Append($"\n![Trumpet curve]({names[2]})\n\n## Start-up curve\n\n");
        if (r.LogSpanMinutes < o.StartupMinutes)
        {
            s.Append(c, $"The log covers {r.LogSpanMinutes:0.#} min of the {o.StartupMinutes} min start-up period; the curve shows what there is.\n\n");
        }
        s.Append($"![Start-up curve]({names[3]})\n\n## How it was computed\n\n");
        s.Append(c, $"The cumulative {sourceName} was resampled to a {o.DtSeconds} s grid from the first row by linear interpolation ");
        s.Append(c, $"(rows at most {o.MaxGapFactor} × Δt apart). Qi = ΔV/Δt per interval; A = 100·(Q̄ − r)/r over T2; ");
        s.Append("for each window P, Ej = 100·(ΔV over P / P − r)/r for every start on the grid inside T2 (m = (T2 − P)/Δt + 1), ");
        s.Append("and Ep(max)/Ep(min) are the extremes.\n");
        return s.ToString();
    }

    /// <summary>Which rows the analysis used and why its span ends where it does, in words.</summary>
    public static string RowsUsed(TrumpetResult r, RunLog? log)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        string lines = r.FirstLine > 0 ? string.Format(c, "lines {0}-{1}", r.FirstLine, r.LastLine) : "rows";
        s.Append(c, $"The analysis used {lines} ({r.SampleCount} rows{(log != null ? $" of {log.RowsRead}" : "")}");
        if (log != null)
        {
            s.Append(c, $"; flow from {log.ValueOrigin}");
        }
        s.Append(c, $"), minute 0 to {r.UsedMinutes:0.#}: its span ends at {r.UsedEndReason}. ");
        s.Append(c, $"The log's first run ends at minute {r.RunEndMinutes:0.#}: {r.RunEndReason}.");
        if (log != null && log.SkippedLines.Count > 0)
        {
            string which = string.Join(", ", log.SkippedLines.Take(10)) + (log.SkippedLines.Count > 10 ? ", ..." : "");
            s.Append(c, $" {log.SkippedLines.Count} row(s) were left out for {log.SkipReason} (lines {which}).");
        }
        return s.ToString();
    }
}
