// `pumpctl simulate DIR` shows how far the suite is: one plain line per finished scenario with
// elapsed and remaining time when standard error is redirected (CI, a file), a Spectre.Console
// bar redrawn in place on a terminal; standard output keeps only the summary table.
using PumpCtl.Cli;
using PumpFirmware.VirtualDevice.Cli;
using Spectre.Console;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class SimulateProgressTests : IDisposable
{
    private const string Scenario = "duration 2h\ntelemetry off\nprogram\nPROG:DRUG baclofen 500\nPROG:LIMIT 1000\nPROG:STEP 00:00 240\nend\n" +
        "at 0 refill 1000\nat 0 start\nat 1h status delivered_ul = 20\n";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-progress-" + Guid.NewGuid().ToString("N")[..8]);

    public SimulateProgressTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "suite"));
        File.WriteAllText(Path.Combine(_dir, "suite", "a.scn"), Scenario);
        File.WriteAllText(Path.Combine(_dir, "suite", "b.scn"), Scenario.Replace("= 20", "= 21"));
        File.WriteAllText(Path.Combine(_dir, "suite", "c.scn"), Scenario);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(10, 0, 4, "10 s elapsed")]
    [InlineData(10, 1, 4, "10 s elapsed, about 30 s to go")]
    [InlineData(90, 3, 4, "1 min 30 s elapsed, about 30 s to go")]
    [InlineData(600, 1, 7, "10 min elapsed, about 1 h to go")]
    [InlineData(5, 4, 4, "5 s elapsed, done")]
    public void The_time_line_says_elapsed_and_remaining_as_people_write_durations(int seconds, int done, int total, string text)
    {
        Assert.Equal(text, ConsoleSuiteProgress.TimeText(TimeSpan.FromSeconds(seconds), done, total));
    }

    [Fact]
    public void A_redirected_run_prints_one_plain_line_per_scenario_with_elapsed_and_remaining_time()
    {
        var err = new StringWriter();
        var stdout = new StringWriter();
        int calls = 0;
        var progress = new ConsoleSuiteProgress(err, console: null, elapsed: () => TimeSpan.FromSeconds(2 * ++calls));
        int exit = SimulateCommand.Run(new[] { Path.Combine(_dir, "suite"), "--out", Path.Combine(_dir, "out"), "--jobs", "1" }, stdout, err, progress);

        Assert.Equal(1, exit);
        Assert.False(progress.Interactive);
        Assert.Equal(new[]
        {
            "simulate: 3 scenarios, running",
            "simulate: 1/3 pass a; 2 s elapsed, about 4 s to go",
            "simulate: 2/3 FAIL b; 4 s elapsed, about 2 s to go",
            "simulate: 3/3 pass c; 6 s elapsed, done",
        }, err.ToString().TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("simulate:", stdout.ToString());
        Assert.Contains("3 scenarios: 2 passed, 1 failed, 0 errors", stdout.ToString());
    }

    [Fact]
    public void Pumpctl_simulate_with_standard_error_redirected_prints_plain_progress_lines_there()
    {
        // The test host's standard error is a pipe, as in CI.
        Assert.True(Console.IsErrorRedirected);
        var (exit, stdout, err) = ConsoleCapture.Run(new[] { "simulate", Path.Combine(_dir, "suite"), "--out", Path.Combine(_dir, "out") });
        Assert.Equal(1, exit);
        string[] lines = err.TrimEnd('\n').Split('\n');
        Assert.Equal("simulate: 3 scenarios, running", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines[1..], l => Assert.Matches(@"^simulate: [123]/3 (pass|FAIL) [abc]; [0-9.]+ s elapsed, (about [0-9.]+ s to go|done)$", l));
        Assert.EndsWith("done", lines[3]);
        Assert.False(err.Contains('\u001b'), err.Replace("\u001b", "<ESC>"));
        Assert.Contains("3 scenarios: 2 passed, 1 failed, 0 errors", stdout);
    }

    [Fact]
    public void On_a_terminal_a_bar_with_elapsed_and_remaining_time_is_redrawn_and_ends_full()
    {
        var screen = new StringWriter();
        IAnsiConsole terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(screen),
        });
        var plain = new StringWriter();
        var progress = new ConsoleSuiteProgress(plain, terminal);
        var stdout = new StringWriter();
        int exit = SimulateCommand.Run(new[] { Path.Combine(_dir, "suite"), "--out", Path.Combine(_dir, "out"), "--jobs", "1" }, stdout, new StringWriter(), progress);

        Assert.Equal(1, exit);
        Assert.True(progress.Interactive);
        Assert.Equal("", plain.ToString());
        string shown = screen.ToString();
        Assert.Contains("3/3 scenarios, 1 failed: c", shown);
        Assert.Contains("100%", shown);
        Assert.Matches(@"\d\d:\d\d:\d\d", shown); // the elapsed and remaining columns
        Assert.Contains("\u001b[", shown, StringComparison.Ordinal); // redrawn in place
    }
}
