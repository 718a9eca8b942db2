// The whole bench on one machine: `pumpctl sim` (a separate process, as a user starts it)
// serves the pump on a pty and its simulated MT-SICS balance on a second pty; the test
// programs it over System.IO.Ports, `pumpctl log --balance --sim-advance` records 3 h of
// virtual time, and `pumpctl analyze` turns the log into every output file. The simulated
// pump head delivers 2 % more than commanded (--cal-error-ppm 20000): the volume source
// (what the firmware commanded) must show no mean error, the balance must show about +2 %.
using System.Diagnostics;
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
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-sim-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using Process sim = StartSim(dir, out string pumpPty, out string balancePty);
        try
        {
            // 2400 µg/day of 2000 µg/mL = 1.2 mL/day = 1200 µL/day = 50 µL/h.
            using (var port = new SerialPortLine(pumpPty))
            {
                var client = new PumpClient(port) { Timeout = TimeSpan.FromSeconds(10) };
                foreach (string line in new[] { "AUTH 0000", "PROG:NEW", "PROG:DRUG baclofen 2000", "PROG:LIMIT 5000", "PROG:STEP 00:00 2400", "PROG:RESERVOIR 20000 2000" })
                {
                    Assert.True(client.Request(line).IsOk, line);
                }
                DeviceReply review = client.Request("PROG:REVIEW");
                Assert.True(review.IsOk, review.Status);
                string crc = review.Fields["crc"];
                foreach (string line in new[] { $"PROG:COMMIT {crc}", "REFILL 20000", "START" })
                {
                    DeviceReply r = client.Request(line);
                    Assert.True(r.IsOk, $"{line}: {r.Status}");
                }
            }

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
        finally
        {
            if (!sim.HasExited)
            {
                sim.Kill();
                sim.WaitForExit(5000);
            }
            Directory.Delete(dir, true);
        }
    }

    private static Process StartSim(string dir, out string pumpPty, out string balancePty)
    {
        string pumpctl = typeof(CliApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { pumpctl, "sim", "--pty", "--balance-pty", "--clock", "manual", "--cal-error-ppm", "20000", "--state", Path.Combine(dir, "state") })
        {
            start.ArgumentList.Add(a);
        }
        Process sim = Process.Start(start)!;
        pumpPty = "";
        balancePty = "";
        for (int i = 0; i < 2; i++)
        {
            Task<string?> read = sim.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(20)) || read.Result is not string line)
            {
                sim.Kill();
                throw new InvalidOperationException("pumpctl sim did not announce its ptys: " + sim.StandardError.ReadToEnd());
            }
            if (line.StartsWith("PTY "))
            {
                pumpPty = line[4..];
            }
            else if (line.StartsWith("BALANCE "))
            {
                balancePty = line[8..];
            }
        }
        Assert.NotEqual("", pumpPty);
        Assert.NotEqual("", balancePty);
        return sim;
    }
}
