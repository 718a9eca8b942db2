// `pumpctl hist`: HIST? as CSV, to stdout or atomically to a file that must not exist unless --overwrite.
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
}
