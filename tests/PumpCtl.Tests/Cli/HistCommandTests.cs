// `pumpctl hist`: HIST? as CSV, to stdout or atomically to a file that must not exist unless --overwrite.
using PumpCtl.Analysis;
using PumpCtl.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class HistCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-hist-" + Guid.NewGuid().ToString("N"));

    public HistCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Days =
    {
        "!HIST date=2026-01-01 basal_ug=239.994 ptm_ug=24.997 clinician_ug=49.999 bridge_ug=0.000 prime_ug=0.000 minrate_ug=0.000 total_ug=314.990",
        "!ALARM code=LOW_RESERVOIR state=RAISED t_ms=5",
        "!HIST date=2026-01-02 basal_ug=300.000 ptm_ug=0.000 clinician_ug=0.000 bridge_ug=0.000 prime_ug=0.000 minrate_ug=2.500 total_ug=302.500",
    };

    private static ScriptedLine Pump(string status = "OK count=2") =>
        new(line => line.StartsWith("HIST? ", StringComparison.Ordinal) ? Days.Append(status) : new[] { "OK" });

    private const string Expected =
        "date,basal_ug,ptm_ug,clinician_ug,bridge_ug,prime_ug,minrate_ug,total_ug\r\n" +
        "2026-01-01,239.994,24.997,49.999,0.000,0.000,0.000,314.990\r\n" +
        "2026-01-02,300.000,0.000,0.000,0.000,0.000,2.500,302.500\r\n";

    [Fact]
    public void Without_a_file_the_CSV_goes_to_stdout_one_row_per_HIST_line_and_other_lines_are_left_out()
    {
        var pump = Pump();
        var r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--days", "7" }, pump);
        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.Equal(Expected, r.Out);
        Assert.Equal(new[] { "HIST? 7" }, pump.Written);
    }

    [Fact]
    public void With_a_file_it_writes_the_same_CSV_and_refuses_to_replace_one_without_overwrite()
    {
        string csv = Path.Combine(_dir, "hist.csv");
        var r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--csv", csv }, Pump());
        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.Equal(Expected, File.ReadAllText(csv));
        Assert.Contains("2 day(s) written", r.Err);

        File.WriteAllText(csv, "keep");
        var again = Pump();
        r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--csv", csv }, again);
        Assert.Equal(ExitCodes.Failed, r.Exit);
        Assert.Contains("exists; choose another --csv or add --overwrite", r.Err);
        Assert.Equal("keep", File.ReadAllText(csv));
        Assert.Empty(again.Written);                        // the pump was not asked

        r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--csv", csv, "--overwrite" }, Pump());
        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.Equal(Expected, File.ReadAllText(csv));
    }

    [Fact]
    public void An_ERR_from_a_pump_without_HIST_exits_1_and_writes_nothing()
    {
        string csv = Path.Combine(_dir, "hist.csv");
        var pump = new ScriptedLine(_ => new[] { "ERR 400 unknown command" });
        var r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--csv", csv }, pump);
        Assert.Equal(ExitCodes.Failed, r.Exit);
        Assert.Contains("the pump answered ERR 400 unknown command", r.Err);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Plot_draws_each_day_as_bars_stacked_by_kind_to_the_total_and_keeps_stdout_for_the_CSV_only_when_asked()
    {
        string png = Path.Combine(_dir, "hist.png");
        var r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--plot", png }, Pump());
        Assert.True(r.Exit == ExitCodes.Ok, r.Err);
        Assert.Equal("", r.Out);                                 // the figure was asked for, not the CSV
        Assert.Contains("figure written to " + png, r.Err);
        byte[] head = File.ReadAllBytes(png)[..8];
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);

        var again = Pump();
        r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--plot", png }, again);
        Assert.Equal(ExitCodes.Failed, r.Exit);
        Assert.Contains("exists; choose another --plot or add --overwrite", r.Err);
        Assert.Empty(again.Written);

        string svg = Path.Combine(_dir, "hist.svg");
        r = ConsoleCapture.Run(new[] { "hist", "--port", "/dev/fake", "--plot", svg, "--csv", Path.Combine(_dir, "h.csv") }, Pump());
        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.StartsWith("<?xml", File.ReadAllText(svg));
        Assert.Equal(Expected, File.ReadAllText(Path.Combine(_dir, "h.csv")));
    }

    [Fact]
    public void The_bars_of_a_day_stack_basal_PTM_clinician_and_minimum_rate_from_0_to_the_days_total()
    {
        List<HistPlot.Day> days = HistCommand.Days(Days);
        Assert.Equal(new[] { "2026-01-01", "2026-01-02" }, days.Select(d => d.Date));
        var plot = HistPlot.Build(days, "test");
        var bars = plot.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>().Single().Bars;
        // Day 1: basal 239.994, PTM 24.997 on it, clinician 49.999 on that; zero kinds draw nothing.
        var day1 = bars.Where(b => b.Position == 0).Select(b => (b.ValueBase, b.Value)).ToArray();
        Assert.Equal(new[] { (0.0, 239.994), (239.994, 239.994 + 24.997), (239.994 + 24.997, 239.994 + 24.997 + 49.999) }, day1);
        Assert.Equal(314.990, day1[^1].Value, 3);                 // the top of the stack is the day's total_ug
        var day2 = bars.Where(b => b.Position == 1).Select(b => (b.ValueBase, b.Value)).ToArray();
        Assert.Equal(new[] { (0.0, 300.0), (300.0, 302.5) }, day2);
        Assert.Equal(new[] { "314.99", "302.5" }, plot.GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(t => t.LabelText));
    }

    [Fact]
    public void A_month_is_labelled_every_few_days_ending_with_the_newest_so_labels_never_overlap()
    {
        var month = Enumerable.Range(1, 20).Select(d => new HistPlot.Day($"2026-01-{d:00}", new Dictionary<string, double> { ["total_ug"] = 1 })).ToList();
        string[] labels = HistPlot.TickLabels(month);
        Assert.Equal("01-20", labels[^1]);
        Assert.Equal(new[] { "", "01-02", "", "01-04" }, labels[..4]);
        Assert.Equal(10, labels.Count(l => l.Length > 0));
        Assert.Equal(new[] { "2026-01-01", "T+1" }, HistPlot.TickLabels(new[] { month[0], new HistPlot.Day("T+1", new Dictionary<string, double>()) }));
        Assert.Empty(HistPlot.Build(month, "test").GetPlottables().OfType<ScottPlot.Plottables.Text>());   // no totals over 20 bars
    }
}
