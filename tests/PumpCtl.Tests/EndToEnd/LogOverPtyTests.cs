// `pumpctl log` as a user runs it, on real pseudo-terminals: a scripted pump that emits
// telemetry every second once told `TEL 1`, and an MT-SICS balance on a second pty. This
// checks the whole real path (System.IO.Ports, the CSV file, the balance column) without
// the virtual device; VirtualDeviceEndToEndTests does the same against it.
using System.Globalization;
using PumpCtl.Cli;
using PumpCtl.Tests.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.EndToEnd;

[Collection("Console")]
public class LogOverPtyTests
{
    [Fact]
    public void Logs_a_scripted_pump_and_a_balance_over_ptys()
    {
        long seq = 0;
        Timer? telemetry = null;
        PtyDevice? pumpRef = null;
        using var pump = new PtyDevice(line =>
        {
            string[] w = line.Split(' ');
            if (w[0] == "TEL" && w.Length == 2)
            {
                int period = int.Parse(w[1], CultureInfo.InvariantCulture);
                telemetry?.Dispose();
                telemetry = period == 0 ? null : new Timer(_ =>
                {
                    long s = Interlocked.Increment(ref seq);
                    pumpRef!.Send($"!TEL seq={s} t_ms={s * 1000} unix_s=0 state=RUNNING delivered_ul={s * 0.0125m:0.000} steps={s} " +
                        "reservoir_ul=19000.000 rate_ul_day=1080.000 alarms=LOW_RESERVOIR,DOSE_LIMIT");
                }, null, period * 1000, period * 1000);
                return new[] { "OK" };
            }
            return new[] { "ERR 400 unknown command" };
        });
        pumpRef = pump;
        using var balance = new PtyDevice(line => line == "SI" ? new[] { "S D      0.0123 g" } : new[] { "ES" }, "\r\n");
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string csv = Path.Combine(dir, "run.csv");
        try
        {
            var (exit, output, err) = ConsoleCapture.Run(new[]
            {
                "log", "--port", pump.SlavePath, "--period", "1", "--out", csv, "--duration", "3.6s", "--balance", balance.SlavePath,
            });
            telemetry?.Dispose();

            Assert.True(exit == ExitCodes.Ok, err);
            string[] rows = File.ReadAllLines(csv);
            Assert.Equal("host_utc,seq,t_ms,unix_s,state,delivered_ul,steps,reservoir_ul,rate_ul_day,alarms,mass_g", rows[0]);
            Assert.InRange(rows.Length - 1, 2, 4);
            Assert.EndsWith(",1080.000,\"LOW_RESERVOIR,DOSE_LIMIT\",0.0123", rows[1]);
            // This test runs in real time against a timer-driven fake pump: on a loaded machine the
            // first timer tick can land before the logger is reading, so the first row is seq 1 or 2.
            // Every later row must follow on without a gap.
            long first = long.Parse(rows[1].Split(',')[1], CultureInfo.InvariantCulture);
            Assert.InRange(first, 1, 2);
            Assert.Contains($",{first},{first * 1000},0,RUNNING,{first * 0.0125m:0.000},", rows[1]);
            for (int i = 2; i < rows.Length; i++)
                Assert.Equal(first + i - 1, long.Parse(rows[i].Split(',')[1], CultureInfo.InvariantCulture));
            lock (pump.Received)
            {
                Assert.Equal(new[] { "TEL 1", "TEL 0" }, pump.Received);
            }
            Assert.Contains("lost telemetry lines: 0", output);
            Assert.All(balance.Received, l => Assert.Equal("SI", l));
        }
        finally
        {
            telemetry?.Dispose();
            Directory.Delete(dir, true);
        }
    }
}
