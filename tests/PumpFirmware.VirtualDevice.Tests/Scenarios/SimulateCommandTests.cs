using System.Xml.Linq;
using PumpFirmware.VirtualDevice.Cli;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Scenarios;

/// <summary>
/// `pumpctl simulate` as a test runner: a folder runs every *.scn in parallel; a failed or
/// malformed scenario makes the exit code 1 and shows in the table, the JUnit XML (failure /
/// error) and TAP (not ok); one file keeps its exit codes (0 pass, 1 fail, 2 malformed or usage);
/// --set and --seed reach the scenarios.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private const string Setup = "duration 2h\ntelemetry off\nprogram\nPROG:DRUG baclofen 500\nPROG:LIMIT 1000\nPROG:STEP 00:00 ${rate}\nend\nat 0 refill 1000\nat 0 start\n";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pf-simulate-" + Guid.NewGuid().ToString("N")[..8]);

    public SimulateCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "suite"));
        File.WriteAllText(Path.Combine(_dir, "suite", "a-pass.scn"), "param rate = 240\n" + Setup + "at 1h status delivered_ul = ${rate / 12}\n");
        File.WriteAllText(Path.Combine(_dir, "suite", "b-fail.scn"), "param rate = 240\n" + Setup + "at 1h status delivered_ul = 21\nat 1h send STATUS\n");
        File.WriteAllText(Path.Combine(_dir, "suite", "c-malformed.scn"), "duration 1h\nat 2x ptm\n");
        File.WriteAllText(Path.Combine(_dir, "suite", "notes.txt"), "not a scenario");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private (int Exit, string Out, string Err) Simulate(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = SimulateCommand.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }

    [Fact]
    public void A_folder_runs_every_scenario_and_reports_pass_fail_and_malformed_in_the_table_junit_and_tap()
    {
        string junit = Path.Combine(_dir, "r", "junit.xml");
        string tap = Path.Combine(_dir, "r", "suite.tap");
        var (exit, stdout, _) = Simulate(Path.Combine(_dir, "suite"), "--junit", junit, "--tap", tap, "--out", Path.Combine(_dir, "out"), "--jobs", "2");
        Assert.Equal(1, exit);
        Assert.Contains("3 scenarios: 1 passed, 1 failed, 1 errors", stdout);
        Assert.Matches(@"(?m)^pass\s+a-pass\s+0d 02:00:00", stdout);
        Assert.Matches(@"(?m)^FAIL\s+b-fail\s+", stdout);
        Assert.Matches(@"(?m)^ERROR\s+c-malformed\s+-", stdout);
        Assert.Contains("b-fail.scn:11: expected delivered_ul = 21, actual 20.000 (off by -1.000)", stdout);
        Assert.Contains("b-fail.scn:12: unexpected 'ERR 400 unknown command'", stdout);
        Assert.Contains("c-malformed.scn:2:4: '2x' is not a time", stdout);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "a-pass", "trace.txt")));

        XElement x = XElement.Load(junit);
        Assert.Equal("3", x.Attribute("tests")!.Value);
        Assert.Equal("1", x.Attribute("failures")!.Value);
        Assert.Equal("1", x.Attribute("errors")!.Value);
        var cases = x.Descendants("testcase").ToDictionary(t => t.Attribute("name")!.Value);
        Assert.Empty(cases["a-pass"].Elements("failure"));
        Assert.Contains("expected delivered_ul = 21", cases["b-fail"].Element("failure")!.Value);
        Assert.StartsWith("2 failed: ", cases["b-fail"].Element("failure")!.Attribute("message")!.Value);
        Assert.Contains("'2x' is not a time", cases["c-malformed"].Element("error")!.Attribute("message")!.Value);
        Assert.Contains("delivered (firmware)", cases["a-pass"].Element("system-out")!.Value);

        string[] t = File.ReadAllLines(tap);
        Assert.Equal("TAP version 13", t[0]);
        Assert.Equal("1..3", t[1]);
        Assert.Equal("ok 1 - a-pass", t[2]);
        Assert.Equal("not ok 2 - b-fail", t[3]);
        Assert.Contains(t, l => l.StartsWith("not ok 3 - c-malformed", StringComparison.Ordinal));
        Assert.Contains(t, l => l.Contains("severity: error", StringComparison.Ordinal));
    }

    [Fact]
    public void A_set_reaches_every_scenario_that_has_the_parameter_and_must_mean_something()
    {
        File.Delete(Path.Combine(_dir, "suite", "c-malformed.scn"));
        File.Delete(Path.Combine(_dir, "suite", "b-fail.scn"));
        Assert.Equal(0, Simulate(Path.Combine(_dir, "suite"), "--set", "rate=480", "--out", Path.Combine(_dir, "out")).Exit);
        var (exit, _, err) = Simulate(Path.Combine(_dir, "suite"), "--set", "speed=1");
        Assert.Equal(2, exit);
        Assert.Contains("no scenario in", err);
    }

    [Fact]
    public void One_file_passes_fails_or_is_malformed_with_exit_codes_0_1_2()
    {
        string outDir = Path.Combine(_dir, "one");
        var pass = Simulate(Path.Combine(_dir, "suite", "a-pass.scn"), "--out", outDir);
        Assert.Equal(0, pass.Exit);
        Assert.Contains("expectations                  all met", pass.Out);
        Assert.Equal(1, Simulate(Path.Combine(_dir, "suite", "b-fail.scn"), "--out", outDir).Exit);
        var bad = Simulate(Path.Combine(_dir, "suite", "c-malformed.scn"), "--out", outDir);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("c-malformed.scn:2:4:", bad.Err);
        Assert.Equal(2, Simulate(Path.Combine(_dir, "suite", "a-pass.scn"), "--set", "speed=1").Exit);
        Assert.Equal(0, Simulate(Path.Combine(_dir, "suite", "a-pass.scn"), "--set", "rate=480", "--out", outDir).Exit); // expects ${rate / 12} = 40 uL
        Assert.Equal(1, Simulate(Path.Combine(_dir, "suite", "b-fail.scn"), "--set", "rate=252", "--out", outDir).Exit); // 21 uL now, but the typo still fails
    }

    [Theory]
    [InlineData(new string[0], 2)]
    [InlineData(new[] { "--help" }, 0)]
    [InlineData(new[] { "x.scn", "--seed" }, 2)]
    [InlineData(new[] { "x.scn", "--set", "rate" }, 2)]
    [InlineData(new[] { "x.scn", "--jobs", "0" }, 2)]
    [InlineData(new[] { "x.scn", "--bogus" }, 2)]
    [InlineData(new[] { "a.scn", "b.scn" }, 2)]
    [InlineData(new[] { "/no/such/place.scn" }, 2)]
    public void Usage_errors_are_exit_2(string[] args, int exit)
    {
        Assert.Equal(exit, Simulate(args).Exit);
    }

    [Fact]
    public void The_seed_option_reaches_the_scenario()
    {
        string file = Path.Combine(_dir, "seed.scn");
        File.WriteAllText(file, "duration 1h\ntelemetry off\n");
        Simulate(file, "--seed", "77", "--out", Path.Combine(_dir, "s"));
        Assert.StartsWith("# scenario seed seed 77 ", File.ReadAllText(Path.Combine(_dir, "s", "trace.txt")));
    }
    [Fact]
    public void A_scenario_whose_output_cannot_be_completed_leaves_the_earlier_files_whole_and_no_partial_file()
    {
        string suite = Path.Combine(_dir, "suite");
        string outDir = Path.Combine(_dir, "out");
        File.Delete(Path.Combine(suite, "b-fail.scn"));
        File.Delete(Path.Combine(suite, "c-malformed.scn"));
        Assert.Equal(0, Simulate(suite, "--out", outDir).Exit);
        string a = Path.Combine(outDir, "a-pass");
        File.WriteAllText(Path.Combine(a, "trace.txt"), "the earlier run's trace");
        // The CSV's place is taken by a folder: its rename fails after the run has written both files.
        File.Delete(Path.Combine(a, "telemetry.csv"));
        Directory.CreateDirectory(Path.Combine(a, "telemetry.csv", "in-the-way"));

        var (exit, stdout, _) = Simulate(suite, "--out", outDir);

        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^ERROR\s+a-pass\s", stdout);
        Assert.Contains("cannot write the output", stdout);
        Assert.Equal("the earlier run's trace", File.ReadAllText(Path.Combine(a, "trace.txt")));
        Assert.Empty(Directory.GetFiles(a, "*partial*"));
    }

    [Fact]
    public void Reports_and_outputs_replace_earlier_ones_whole_and_a_report_that_cannot_be_written_leaves_no_partial_file()
    {
        string suite = Path.Combine(_dir, "suite");
        string reports = Path.Combine(_dir, "reports");
        Directory.CreateDirectory(reports);
        string junit = Path.Combine(reports, "junit.xml");
        File.WriteAllText(junit, "old");
        Simulate(suite, "--out", Path.Combine(_dir, "out"), "--junit", junit);
        Assert.Equal("3", XElement.Load(junit).Attribute("tests")!.Value);
        Assert.Equal(new[] { junit }, Directory.GetFiles(reports));

        string tapInTheWay = Path.Combine(reports, "suite.tap");
        Directory.CreateDirectory(Path.Combine(tapInTheWay, "x"));
        var (exit, _, err) = Simulate(suite, "--out", Path.Combine(_dir, "out"), "--tap", tapInTheWay);
        Assert.Equal(1, exit);
        Assert.Contains("cannot write the report", err);
        Assert.Equal(new[] { junit }, Directory.GetFiles(reports));
    }
}
