// Every analysis and plot option, checked by data: figure files by their format and declared
// size, plots by their series, ticks and titles (never by pixels); the column mapping and
// the merged balance log by the numbers they give; the report by the rows and reasons it
// names. The logs are made here: 50 µL/h, a row every 30 s, host_utc from 2026-01-01.
using System.Globalization;
using System.Text;
using System.Text.Json;
using PumpCtl.Analysis;
using PumpCtl.Cli;
using PumpCtl.Tests.Cli;
using PumpFirmware.VirtualDevice.Files;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace PumpCtl.Tests.Analysis;

[Collection("Console")]
public sealed class AnalysisOptionsTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-anopts-" + Guid.NewGuid().ToString("N"));

    public AnalysisOptionsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    // A pumpctl log of `minutes` at 50 µL/h; mass (g, 4 decimals) delivered 2 % high when asked.
    private string Log(string name, int minutes, string massHeader = "", Func<double, string>? mass = null, Func<int, double>? tMsOfRow = null)
    {
        var text = new StringBuilder("host_utc,seq,t_ms,unix_s,state,delivered_ul,steps,reservoir_ul,rate_ul_day,alarms" + (massHeader != "" ? "," + massHeader : "") + "\r\n");
        for (int i = 0; i <= minutes * 2; i++)
        {
            double t = tMsOfRow?.Invoke(i) ?? i * 30000.0;
            double ul = 50.0 * t / 3600000.0;
            text.Append(CultureInfo.InvariantCulture,
                $"{Start.AddSeconds(i * 30):yyyy-MM-ddTHH:mm:ss.fffZ},{i + 1},{t:0},0,RUNNING,{ul:0.000},0,0,1200.000,NONE");
            if (massHeader != "")
            {
                text.Append(',').Append(mass!(ul * 1.02 * 0.998 / 1000.0));
            }
            text.Append("\r\n");
        }
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private (int Exit, string Out, string Err, JsonElement Summary, string Dir) Analyze(string log, params string[] extra)
    {
        string outDir = Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N")[..6]);
        var r = ConsoleCapture.Run(new[] { "analyze", log, "--out", outDir }.Concat(extra).ToArray());
        JsonElement summary = default;
        if (r.Exit == 0)
        {
            summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement.Clone();
        }
        return (r.Exit, r.Out, r.Err, summary, outDir);
    }

    [Theory]
    [InlineData("9x5.6", 9, 5.6)]
    [InlineData("3.5x2.5in", 3.5, 2.5)]
    [InlineData("16x10cm", 16 / 2.54, 10 / 2.54)]
    [InlineData("40x1", 40, 1)]
    public void Size_is_WxH_in_inches_or_centimetres(string text, double w, double h)
    {
        Assert.True(PlotOptions.TryParseSize(text, out double width, out double height));
        Assert.Equal(w, width, 9);
        Assert.Equal(h, height, 9);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("9x")]
    [InlineData("0.5x5")]
    [InlineData("41x5")]
    [InlineData("axb")]
    [InlineData("9x5x2")]
    public void A_size_that_is_not_WxH_between_1_and_40_inches_is_refused(string text) =>
        Assert.False(PlotOptions.TryParseSize(text, out _, out _));

    [Theory]
    [InlineData("--format", "gif")]
    [InlineData("--dpi", "10")]
    [InlineData("--dpi", "5000")]
    [InlineData("--size", "0x0")]
    [InlineData("--mass-unit", "lb")]
    public void Bad_plot_and_column_options_are_usage_errors_that_write_nothing(string option, string value)
    {
        string log = Log("run.csv", 130);
        var r = Analyze(log, option, value);
        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.True(r.Err.Contains(option) || r.Err.Contains($"'{value}'"), r.Err);
        Assert.False(Directory.Exists(r.Dir));
    }

    [Fact]
    public void Png_size_is_inches_times_dpi()
    {
        var r = Analyze(Log("run.csv", 130), "--dpi", "300", "--size", "3x2");
        Assert.Equal(0, r.Exit);
        foreach (string name in new[] { "trumpet.png", "startup.png" })
        {
            using SKCodec codec = SKCodec.Create(Path.Combine(r.Dir, name));
            Assert.Equal((900, 600), (codec.Info.Width, codec.Info.Height));
        }
        Assert.Equal(300, r.Summary.GetProperty("plot_dpi").GetInt32());
        Assert.Equal("png", r.Summary.GetProperty("plot_format").GetString());
    }

    [Fact]
    public void Svg_figures_are_100_units_per_inch_and_the_report_links_them()
    {
        var r = Analyze(Log("run.csv", 130), "--format", "svg", "--size", "8x5");
        Assert.Equal(0, r.Exit);
        Assert.Contains("wrote trumpet.csv, summary.json, trumpet.svg, startup.svg, report.md", r.Out);
        foreach (string name in new[] { "trumpet.svg", "startup.svg" })
        {
            string svg = File.ReadAllText(Path.Combine(r.Dir, name));
            Assert.Contains("<svg", svg);
            Assert.Contains("width=\"800\" height=\"500\"", svg);
        }
        Assert.False(File.Exists(Path.Combine(r.Dir, "trumpet.png")));
        string report = File.ReadAllText(Path.Combine(r.Dir, "report.md"));
        Assert.Contains("![Trumpet curve](trumpet.svg)", report);
        Assert.Contains("![Start-up curve](startup.svg)", report);
    }

    [Fact]
    public void Pdf_figures_are_one_page_of_the_size_in_points()
    {
        var r = Analyze(Log("run.csv", 130), "--format", "pdf", "--size", "16x10cm");
        Assert.Equal(0, r.Exit);
        foreach (string name in new[] { "trumpet.pdf", "startup.pdf" })
        {
            string pdf = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(r.Dir, name)));
            Assert.StartsWith("%PDF-", pdf);
            // 16 cm = 453.54 pt, 10 cm = 283.46 pt.
            var box = System.Text.RegularExpressions.Regex.Match(pdf, @"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]");
            Assert.True(box.Success, "no MediaBox");
            Assert.InRange(double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture), 453.3, 453.8);
            Assert.InRange(double.Parse(box.Groups[2].Value, CultureInfo.InvariantCulture), 283.2, 283.8);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(pdf, @"/Type /Page\b"));
        }
    }

    [Fact]
    public void The_startup_figure_is_a_step_plot_of_Qi_over_a_cumulative_panel()
    {
        var o = new TrumpetOptions();
        var result = new TrumpetResult
        {
            SetRateMicrolitersPerHour = 10, SetRateOrigin = "log", MeanFlowMicrolitersPerHour = 10, MeanErrorPercent = 0,
            Windows = new[] { new WindowResult(2, 1, -1, 1) },
            StartupTimeMinutes = new[] { 0.5, 1.0, 1.5 },
            StartupFlowMicrolitersPerHour = new[] { 12.0, 0.0, 12.0 },
            StartupVolumeMicroliters = new[] { 0.0, 0.1, 0.1, 0.2 },
            SampleCount = 4, ResampledCount = 4, LogSpanMinutes = 1.5, MaxGapSeconds = 30,
        };
        Plot[] panels = TrumpetPlots.BuildStartup(result, o, "balance mass", "mass_g (g) of run.csv; run logged from 2026-01-01 00:00 UTC", 12.0);
        Assert.Equal(2, panels.Length);

        var flow = panels[0].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single();
        Assert.Equal(ConnectStyle.StepHorizontal, flow.ConnectStyle);
        // Each Qi is held from the start of its interval to its end; the last vertex closes it.
        Assert.Equal(new[] { 0.0, 0.5, 1.0, 1.5 }, flow.Data.GetScatterPoints().Select(p => p.X).ToArray());
        Assert.Equal(new[] { 12.0, 0.0, 12.0, 12.0 }, flow.Data.GetScatterPoints().Select(p => p.Y).ToArray());
        Assert.Equal(0, flow.MarkerSize);
        Assert.Contains("one balance step = 12 µL/h", flow.LegendText);
        Assert.Contains("run logged from 2026-01-01 00:00 UTC", panels[0].Axes.Title.Label.Text);
        Assert.Contains("mass_g (g) of run.csv", panels[0].Axes.Title.Label.Text);

        var cumulative = panels[1].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(new[] { 0.0, 0.1, 0.1, 0.2 }, cumulative.Single(s => s.LegendText.StartsWith("cumulative")).Data.GetScatterPoints().Select(p => p.Y).ToArray());
        var ideal = cumulative.Single(s => s.LegendText == "set rate × time").Data.GetScatterPoints();
        Assert.Equal(10 * 1.5 / 60, ideal[^1].Y, 12);   // 10 µL/h for 1.5 min = 0.25 µL
    }

    [Fact]
    public void Ticks_fall_on_the_windows_and_on_round_minutes()
    {
        var r = Analyze(Log("run.csv", 130));
        Assert.Equal(0, r.Exit);
        var result = TrumpetAnalyzer.Analyze(RunLogReader.Read(Path.Combine(_dir, "run.csv"), FlowSource.Volume, 0.998), new TrumpetOptions());
        Plot trumpet = TrumpetPlots.BuildTrumpet(result, new TrumpetOptions(), "delivered volume", "x");
        var ticks = Assert.IsType<ScottPlot.TickGenerators.NumericManual>(trumpet.Axes.Bottom.TickGenerator);
        trumpet.RenderInMemory(900, 560);   // lays the axes out, which fills the generator's visible ticks
        Assert.Equal(new[] { 2.0, 5, 11, 19, 31 }, ticks.Ticks.Select(t => t.Position).ToArray());
        AxisLimits limits = trumpet.Axes.GetLimits();
        Assert.Equal(-limits.Top, limits.Bottom);   // symmetric about 0, on a round number
        Assert.Contains(limits.Top, new[] { 1.0, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100 });

        Assert.Equal(new[] { 0.0, 15, 30, 45, 60, 75, 90, 105, 120 }, TrumpetPlots.MinuteTicks(120));
        Assert.Equal(new[] { 0.0, 10, 20, 30, 40, 50, 60 }, TrumpetPlots.MinuteTicks(60));
        Assert.Equal(new[] { 0.0, 60, 120, 180, 240, 300, 360 }, TrumpetPlots.MinuteTicks(360));
    }

    [Fact]
    public void A_mass_column_in_mg_named_by_its_suffix_or_by_mass_unit_gives_the_same_result_as_grams()
    {
        string grams = Log("g.csv", 130, "mass_g", g => g.ToString("0.0000", CultureInfo.InvariantCulture));
        string milligrams = Log("mg.csv", 130, "weight_mg", g => (g * 1000).ToString("0.0", CultureInfo.InvariantCulture));
        string plain = Log("w.csv", 130, "w", g => (g * 1000).ToString("0.0", CultureInfo.InvariantCulture));
        var a = Analyze(grams, "--source", "mass");
        var b = Analyze(milligrams, "--source", "mass", "--mass-col", "weight_mg");
        var c = Analyze(plain, "--source", "mass", "--mass-col", "w", "--mass-unit", "mg");
        Assert.Equal(0, a.Exit + b.Exit + c.Exit);
        double ea = a.Summary.GetProperty("mean_error_pct").GetDouble();
        Assert.InRange(ea, 1.5, 2.5);   // the 2 % head error, through 0.1 mg steps
        Assert.Equal(ea, b.Summary.GetProperty("mean_error_pct").GetDouble(), 9);
        Assert.Equal(ea, c.Summary.GetProperty("mean_error_pct").GetDouble(), 9);
        Assert.Equal("weight_mg (mg) of mg.csv", b.Summary.GetProperty("value_origin").GetString());
        var missing = Analyze(grams, "--source", "mass", "--mass-col", "weight_mg");
        Assert.Equal(ExitCodes.Failed, missing.Exit);
        Assert.Contains("has no weight_mg column (name the mass column with --mass-col)", missing.Err);
    }

    [Fact]
    public void A_separately_logged_balance_is_merged_by_time_and_rows_outside_it_are_named()
    {
        string pump = Log("pump.csv", 130);
        // The balance reads every 10 s, on its own clock, from 00:00:05 to 02:05:05 (past T2's end
        // at minute 120 but not to the log's end at 130).
        var balance = new StringBuilder("time,mass_mg\n");
        for (int s = 5; s <= 7505; s += 10)
        {
            double mg = 50.0 * s / 3600.0 * 1.02 * 0.998;
            balance.Append(CultureInfo.InvariantCulture, $"{Start.AddSeconds(s):yyyy-MM-ddTHH:mm:ssZ},{mg:0.0000}\n");
        }
        string balancePath = Path.Combine(_dir, "balance.csv");
        File.WriteAllText(balancePath, balance.ToString());

        var r = Analyze(pump, "--balance-log", balancePath, "--mass-col", "mass_mg");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("mass", r.Summary.GetProperty("source").GetString());
        Assert.Equal(2.0, r.Summary.GetProperty("mean_error_pct").GetDouble(), 1);
        // Row 1 (00:00:00) is before the first reading, the 10 rows after 02:05:05 are after the last.
        Assert.Equal(261, r.Summary.GetProperty("rows_read").GetInt32());
        Assert.Equal(1 + 10, r.Summary.GetProperty("rows_skipped").GetInt32());
        string report = File.ReadAllText(Path.Combine(r.Dir, "report.md"));
        Assert.Contains("mass_mg (mg) of balance.csv, merged by time into pump.csv", report);
        Assert.Contains("11 row(s) were left out for no reading of balance.csv within 45 s on both sides of its host_utc (lines 2, 253, 254,", report);
    }

    [Fact]
    public void The_report_says_which_rows_it_used_and_why_the_span_and_the_run_end()
    {
        // Log 1: 130 min, nothing special.
        var plain = Analyze(Log("plain.csv", 130));
        Assert.Contains("The analysis used lines 2-242 (241 rows of 261; flow from delivered_ul of plain.csv), minute 0 to 120: " +
            "its span ends at the end of T2 (minute 120). The log's first run ends at minute 130: the log ends.", plain.Out);

        // Log 2: a power cycle at minute 125 (t_ms restarts); T2 from minute 30 ends before the start-up period.
        var cycled = Analyze(Log("cycle.csv", 130, tMsOfRow: i => i <= 250 ? i * 30000.0 : (i - 250) * 30000.0), "--t2-start-min", "30");
        Assert.Equal(0, cycled.Exit);
        Assert.Contains("The log's first run ends at minute 125: a power cycle or restart at line 253 (t_ms goes back from 7500000 to 30000).", cycled.Out);
        Assert.Equal("the end of the 120 min start-up period", cycled.Summary.GetProperty("used_end").GetString());

        // Log 3: a 5 min gap at minute 124, after the analysed span.
        var gap = Analyze(Log("gap.csv", 130, tMsOfRow: i => i <= 248 ? i * 30000.0 : i * 30000.0 + 270000));
        Assert.Equal(0, gap.Exit);
        Assert.Contains("The log's first run ends at minute 124: a gap of 300 s before line 251, longer than 45 s.", gap.Out);

        // Log 4: T2 of 31 min from minute 10 over a 50 min log: the span runs on past T2 to the log's end.
        var t2 = Analyze(Log("short.csv", 50), "--t2-start-min", "10", "--t2-min", "31");
        Assert.Equal(0, t2.Exit);
        Assert.Equal("the end of the log's run", t2.Summary.GetProperty("used_end").GetString());
    }

    [Fact]
    public void Outputs_are_written_atomically_and_no_temporary_file_is_left()
    {
        var r = Analyze(Log("run.csv", 130));
        Assert.Equal(0, r.Exit);
        Assert.Empty(Directory.GetFiles(r.Dir, ".*"));

        string target = Path.Combine(_dir, "kept.txt");
        File.WriteAllText(target, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, temp =>
        {
            File.WriteAllText(temp, "half");
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(_dir, "*kept*"));
        AtomicFile.WriteAllText(target, "new");
        Assert.Equal("new", File.ReadAllText(target));
    }
}
