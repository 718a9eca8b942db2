// The command line as a user meets it: exit codes (0 ok, 1 ERR/unusable data, 2 usage,
// 3 communication) and messages that say what to do.
using PumpCtl.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public class CliTests
{
    [Theory]
    [InlineData(new[] { "log", "--port", "/dev/x", "--period", "0", "--out", "a.csv" }, "--period '0' is not accepted; expected a whole number from 1 to 3600 s")]
    [InlineData(new[] { "log", "--port", "/dev/x", "--period", "10", "--out", "a.csv", "--duration", "soon" }, "--duration 'soon' is not accepted; expected a number with s, m, h or d")]
    [InlineData(new[] { "log", "--period", "10", "--out", "a.csv" }, "--port")]
    [InlineData(new[] { "analyze", "/no/such/run.csv", "--out", "x" }, "/no/such/run.csv")]
    [InlineData(new[] { "analyze", "--out", "x", "--source", "weight", "f.csv" }, "weight")]
    [InlineData(new[] { "frobnicate" }, "'frobnicate' is not a pumpctl command")]
    [InlineData(new[] { "send", "STATUS?" }, "--port")]
    public void Usage_errors_exit_2_and_say_what_is_wrong(string[] args, string expected)
    {
        var (exit, _, err) = ConsoleCapture.Run(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(expected, err);
        Assert.Contains("help'", err);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var (exit, output, _) = ConsoleCapture.Run(new[] { "--help" });
        Assert.Equal(0, exit);
        foreach (string command in new[] { "ports", "send", "run", "log", "analyze", "monitor", "sim", "simulate" })
        {
            Assert.Contains(command, output);
        }
    }

    [Fact]
    public void Send_prints_async_lines_and_the_status_and_exits_by_OK_or_ERR()
    {
        var port = new ScriptedLine(l => l == "STATUS?" ? new[] { "!ALARM code=EMPTY state=RAISED t_ms=5", "OK state=ALARM" } : new[] { "ERR 403 auth required" });
        var ok = ConsoleCapture.Run(new[] { "send", "STATUS?", "--port", "/dev/fake" }, port);
        Assert.Equal(0, ok.Exit);
        Assert.Equal("!ALARM code=EMPTY state=RAISED t_ms=5\nOK state=ALARM\n", ok.Out.Replace("\r\n", "\n"));

        var err = ConsoleCapture.Run(new[] { "send", "START", "--port", "/dev/fake" }, port);
        Assert.Equal(ExitCodes.Failed, err.Exit);
        Assert.Contains("ERR 403 auth required", err.Out);
    }

    [Fact]
    public void Send_to_a_missing_port_exits_3()
    {
        var (exit, _, err) = ConsoleCapture.Run(new[] { "send", "STATUS?", "--port", "/dev/does-not-exist-pumpctl" });
        Assert.Equal(ExitCodes.Communication, exit);
        Assert.Contains("/dev/does-not-exist-pumpctl", err);
    }

    [Fact]
    public void Run_names_the_failing_line_of_the_file()
    {
        string script = Path.GetTempFileName();
        File.WriteAllLines(script, new[] { "# rig 3", "AUTH 0000", "PROG:LIMIT 99999999999", "START" });
        try
        {
            var port = new ScriptedLine(l => l.StartsWith("PROG:LIMIT") ? new[] { "ERR 422 limit_ug_day 99999999999 exceeds 1000000" } : new[] { "OK" });
            var (exit, _, err) = ConsoleCapture.Run(new[] { "run", script, "--port", "/dev/fake" }, port);
            Assert.Equal(ExitCodes.Failed, exit);
            Assert.Contains($"{Path.GetFileName(script)}:3: 'PROG:LIMIT 99999999999' got ERR 422", err);
            Assert.Equal(new[] { "AUTH 0000", "PROG:LIMIT 99999999999" }, port.Written);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void Analyze_of_a_short_log_exits_1_naming_what_is_missing_and_writes_nothing()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string csv = Path.Combine(dir, "run.csv");
        var lines = new List<string> { "host_utc,seq,t_ms,unix_s,state,delivered_ul,steps,reservoir_ul,rate_ul_day,alarms" };
        for (int i = 0; i <= 90; i++)
        {
            lines.Add($"x,{i + 1},{i * 30000},0,RUNNING,{i * 0.5:0.000},0,0,1440.000,NONE");
        }
        File.WriteAllLines(csv, lines);
        try
        {
            var (exit, _, err) = ConsoleCapture.Run(new[] { "analyze", csv, "--out", Path.Combine(dir, "out") });
            Assert.Equal(ExitCodes.Failed, exit);
            Assert.Contains("T2 needs 60 min of samples from minute 60 (to minute 120); the log covers 0-45 min", err);
            Assert.False(Directory.Exists(Path.Combine(dir, "out")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Log_refuses_to_overwrite_an_existing_file()
    {
        string csv = Path.GetTempFileName();
        try
        {
            var (exit, _, err) = ConsoleCapture.Run(new[] { "log", "--port", "/dev/fakepump", "--period", "1", "--out", csv });
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains("exists; choose another --out or add --overwrite", err);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("45m", 2700)]
    [InlineData("2h", 7200)]
    [InlineData("1.5d", 129600)]
    [InlineData("3600", 3600)]
    [InlineData("01:30:00", 5400)]
    public void Durations_people_type(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan d));
        Assert.Equal(seconds, d.TotalSeconds, 1e-9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5m")]
    [InlineData("5 weeks")]
    [InlineData("1e9999")]
    public void Durations_that_are_refused(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Theory]
    [InlineData("-1", "- (stopped, in alarm, or no flow)")]
    [InlineData("3600", "1 h (")]
    [InlineData("277200", "3 d 5 h (")]
    public void Empty_forecast_is_readable(string seconds, string starts) => Assert.StartsWith(starts, MonitorCommand.EmptyForecast(seconds));
}
