// Writes an analysis to its folder: trumpet.csv, summary.json, trumpet.png, startup.png and
// report.md. Numbers in the machine-readable files are invariant-culture, full precision;
// the report rounds for reading.
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PumpCtl.Files;

namespace PumpCtl.Analysis;

/// <summary>Writes the files of an analysis.</summary>
public static class AnalysisOutput
{
    /// <summary>The files written, relative to the output folder.</summary>
    public static readonly string[] FileNames = { "trumpet.csv", "summary.json", "trumpet.png", "startup.png", "report.md" };

    /// <summary>Writes every file into <paramref name="dir"/> (created if needed).</summary>
    public static void Write(string dir, string inputPath, TrumpetResult r, TrumpetOptions o)
    {
        Directory.CreateDirectory(dir);
        string sourceName = o.Source == FlowSource.Mass ? "balance mass" : "delivered volume";
        // Each file whole or not at all (temporary name, then rename).
        WriteTrumpetCsv(Path.Combine(dir, "trumpet.csv"), r);
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson(inputPath, r, o));
        AtomicFile.Write(Path.Combine(dir, "trumpet.png"), temp => TrumpetPlots.SaveTrumpet(r, o, temp, sourceName));
        AtomicFile.Write(Path.Combine(dir, "startup.png"), temp => TrumpetPlots.SaveStartup(r, o, temp, sourceName));
        AtomicFile.WriteAllText(Path.Combine(dir, "report.md"), Report(inputPath, r, o, sourceName));
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
    public static string SummaryJson(string inputPath, TrumpetResult r, TrumpetOptions o)
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
            ["windows"] = windows,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Report(string inputPath, TrumpetResult r, TrumpetOptions o, string sourceName)
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
        s.Append("## Trumpet curve\n\n");
        s.Append("| window P (min) | windows m | Ep(max) % | Ep(min) % |\n|---:|---:|---:|---:|\n");
        foreach (WindowResult w in r.Windows)
        {
            s.Append(c, $"| {w.WindowMinutes} | {w.WindowCount} | {w.EpMaxPercent:+0.00;-0.00;0.00} | {w.EpMinPercent:+0.00;-0.00;0.00} |\n");
        }
        s.Append("\n![Trumpet curve](trumpet.png)\n\n## Start-up curve\n\n");
        if (r.LogSpanMinutes < o.StartupMinutes)
        {
            s.Append(c, $"The log covers {r.LogSpanMinutes:0.#} min of the {o.StartupMinutes} min start-up period; the curve shows what there is.\n\n");
        }
        s.Append("![Start-up curve](startup.png)\n\n## How it was computed\n\n");
        s.Append(c, $"The cumulative {sourceName} was resampled to a {o.DtSeconds} s grid from the first row by linear interpolation ");
        s.Append(c, $"(rows at most {o.MaxGapFactor} × Δt apart). Qi = ΔV/Δt per interval; A = 100·(Q̄ − r)/r over T2; ");
        s.Append("for each window P, Ej = 100·(ΔV over P / P − r)/r for every start on the grid inside T2 (m = (T2 − P)/Δt + 1), ");
        s.Append("and Ep(max)/Ep(min) are the extremes.\n");
        return s.ToString();
    }
}
