// The whole bench on one machine: `pumpctl sim` (a separate process, as a user starts it)
// serves the pump on a pty and its simulated MT-SICS balance on a second pty; the test
// programs it over System.IO.Ports, `pumpctl log --balance --sim-advance` records 3 h of
// virtual time, and `pumpctl analyze` turns the log into every output file. The simulated
// pump head delivers 2 % more than commanded (--cal-error-ppm 20000): the volume source
// (what the firmware commanded) must show no mean error, the balance must show about +2 %.
using PumpCtl.Cli;
using PumpCtl.Serial;
using PumpCtl.Tests.Cli;
using Xunit;

namespace PumpCtl.Tests.EndToEnd;

[Collection("Console")]
public sealed class VirtualDeviceEndToEndTests
{
    [Fact]
    public void Sim_then_log_with_balance_then_analyze_produces_every_file()
    {
        using var sim = new BalancedSimProcess("--cal-error-ppm", "20000");
        string dir = sim.Folder;
        string pumpPty = sim.PumpPty, balancePty = sim.BalancePty;
        // 2400 µg/day of 2000 µg/mL = 1.2 mL/day = 1200 µL/day = 50 µL/h.
        sim.Send("AUTH 0000", "PROG:NEW", "PROG:DRUG baclofen 2000", "PROG:LIMIT 5000", "PROG:STEP 00:00 2400", "PROG:RESERVOIR 20000 2000",
            "PROG:REVIEW", "PROG:COMMIT", "REFILL 20000", "START");

        string csv = Path.Combine(dir, "run.csv");
        var log = ConsoleCapture.Run(new[]
        {
            "log", "--port", pumpPty, "--period", "30", "--out", csv, "--duration", "3h", "--balance", balancePty, "--sim-advance",
        });
        Assert.True(log.Exit == ExitCodes.Ok, log.Err);
        string[] rows = File.ReadAllLines(csv);
        Assert.EndsWith(",alarms,mass_g", rows[0]);
        Assert.Equal(360, rows.Length - 1);
        Assert.Contains("lost telemetry lines: 0", log.Out);
        Assert.DoesNotContain(rows.Skip(1), r => r.EndsWith(','));   // every row has a mass

        foreach ((string source, double low, double high) in new[] { ("volume", -0.5, 0.5), ("mass", 1.0, 3.0) })
        {
            string outDir = Path.Combine(dir, source);
            var analyze = ConsoleCapture.Run(new[] { "analyze", csv, "--out", outDir, "--source", source });
            Assert.True(analyze.Exit == ExitCodes.Ok, analyze.Err);
            foreach (string name in PumpCtl.Analysis.AnalysisOutput.FileNames)
            {
                Assert.True(new FileInfo(Path.Combine(outDir, name)).Length > 0, $"{source}/{name}");
            }
            using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
            Assert.Equal(50.0, summary.RootElement.GetProperty("set_rate_ul_h").GetDouble(), 1e-9);
            Assert.InRange(summary.RootElement.GetProperty("mean_error_pct").GetDouble(), low, high);
        }
    }
}
