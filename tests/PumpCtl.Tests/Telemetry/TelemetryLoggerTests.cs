// The logger against a fake pump on a fake clock: telemetry switched on, rows written,
// lost seq counted, a USB unplug survived with back-off, a reset's !BOOT answered with TEL.
using PumpCtl.Telemetry;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Telemetry;

public class TelemetryLoggerTests
{
    private sealed class Events : ILogProgress
    {
        public List<string> Seen { get; } = new();
        public void Connected(string port) => Seen.Add("connected");
        public void Disconnected(string reason, TimeSpan retryIn) => Seen.Add($"disconnected, retry {retryIn.TotalSeconds}");
        public void Row(TelemetryRecord record, decimal? massGrams, long rows, long lostBefore)
        {
            if (lostBefore > 0)
            {
                Seen.Add($"lost {lostBefore}");
            }
        }
        public void Event(string line) => Seen.Add(line);
    }

    private static (LogSummary Summary, string[] Rows, FakePump Pump, Events Events) Log(Action<FakePump, FakeHostClock> setup, TimeSpan duration, int period = 10)
    {
        var clock = new FakeHostClock();
        var pump = new FakePump(clock);
        setup(pump, clock);
        var events = new Events();
        var text = new StringWriter();
        var options = new LogOptions { Port = "/dev/fakepump", PeriodSeconds = period, Duration = duration };
        LogSummary summary;
        using (var csv = new TelemetryCsvWriter(text, withMass: false))
        {
            summary = new TelemetryLogger(options, pump, null, clock, events).Run(csv, CancellationToken.None);
        }
        return (summary, text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries), pump, events);
    }

    [Fact]
    public void Switches_telemetry_on_writes_a_row_per_line_and_off_at_the_end()
    {
        var (summary, rows, pump, _) = Log((_, _) => { }, TimeSpan.FromMinutes(10));

        Assert.Equal(new[] { "TEL 10", "TEL 0" }, pump.Received);
        // 10 min at 10 s: lines at 10, 20, ..., 600 s (the last one arrives as the run ends).
        Assert.Equal(60, summary.Rows);
        Assert.Equal(61, rows.Length);
        Assert.StartsWith("2026-01-01T00:00:10.000Z,1,10000,", rows[1]);
        Assert.Equal(0, summary.LostLines);
        Assert.Equal(0, summary.LinkLosses);
    }

    [Fact]
    public void An_unplug_is_survived_by_reconnecting_with_back_off_and_the_lost_lines_are_counted()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var (summary, rows, pump, events) = Log((p, _) =>
        {
            // Unplugged from 105 s to 135 s: the device keeps counting seq meanwhile.
            p.UnplugFrom = start.AddSeconds(105);
            p.UnplugUntil = start.AddSeconds(135);
        }, TimeSpan.FromMinutes(5));

        // The link drops at 105 s; attempts 1, 2, 4 and 8 s later fail (106, 108, 112, 120 s),
        // the one 16 s after that (136 s) succeeds and TEL is sent again. The lines of 110,
        // 120 and 130 s (seq 11, 12, 13) went into the void; the next one, 10 s after the new
        // TEL (146 s), is seq 14: TEL restarts the period, not the counter.
        Assert.Equal(1, summary.LinkLosses);
        Assert.Equal(4, summary.FailedAttempts);
        Assert.Equal(new[] { "disconnected, retry 1", "disconnected, retry 2", "disconnected, retry 4", "disconnected, retry 8", "disconnected, retry 16" },
            events.Seen.Where(e => e.StartsWith("disconnected")));
        Assert.Equal(new[] { "TEL 10", "TEL 10", "TEL 0" }, pump.Received);
        Assert.Equal(3, summary.LostLines);
        Assert.Contains("lost 3", events.Seen);
        Assert.Equal("seq 11-13 (3 lost)", Assert.Single(summary.RecentGaps));
        // Seq in the file: 1..10, then 14.. with nothing repeated.
        long[] seqs = rows.Skip(1).Select(r => long.Parse(r.Split(',')[1])).ToArray();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seqs.Take(10));
        Assert.Equal(14, seqs[10]);
    }

    [Fact]
    public void A_device_reset_is_answered_by_switching_telemetry_on_again()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var (summary, rows, pump, events) = Log((p, _) => p.ResetAt = start.AddSeconds(55), TimeSpan.FromMinutes(2));

        Assert.Contains(events.Seen, e => e.StartsWith("!BOOT"));
        Assert.Equal(new[] { "TEL 10", "TEL 10", "TEL 0" }, pump.Received);
        Assert.Equal(1, summary.SeqRestarts);
        Assert.Equal(0, summary.LostLines);
        Assert.Equal(0, summary.LinkLosses);
    }

    [Fact]
    public void Sim_advance_drives_a_manual_clock_one_period_at_a_time()
    {
        var clock = new FakeHostClock();
        var pump = new FakePump(clock);
        var options = new LogOptions { Port = "/dev/fakepump", PeriodSeconds = 30, Duration = TimeSpan.FromHours(3), SimAdvance = true };
        var text = new StringWriter();
        LogSummary summary;
        using (var csv = new TelemetryCsvWriter(text, false))
        {
            summary = new TelemetryLogger(options, pump, null, clock, new Events()).Run(csv, CancellationToken.None);
        }
        // 3 h at 30 s = 360 advances, one !TEL each.
        Assert.Equal(360, summary.Rows);
        Assert.Equal(362, pump.Received.Count);
        Assert.Equal("SIM:ADVANCE 30", pump.Received[1]);
        Assert.Equal("TEL 0", pump.Received[^1]);
        Assert.Equal(0, summary.LostLines);
    }

    [Fact]
    public void A_wrong_port_at_the_start_is_an_error_not_an_endless_retry()
    {
        var clock = new FakeHostClock();
        var options = new LogOptions { Port = "/dev/nothing", PeriodSeconds = 1, Duration = TimeSpan.FromHours(1) };
        var logger = new TelemetryLogger(options, new FakePump(clock), null, clock, new Events());
        using var csv = new TelemetryCsvWriter(new StringWriter(), false);
        var e = Assert.Throws<IOException>(() => logger.Run(csv, CancellationToken.None));
        Assert.Contains("/dev/nothing", e.Message);
    }

    [Fact]
    public void A_refused_TEL_stops_the_run_with_the_devices_answer()
    {
        var clock = new FakeHostClock();
        var pump = new FakePump(clock) { TelAnswer = "ERR 422 period 5000 exceeds 3600" };
        var options = new LogOptions { Port = "/dev/fakepump", PeriodSeconds = 10, Duration = TimeSpan.FromHours(1) };
        using var csv = new TelemetryCsvWriter(new StringWriter(), false);
        var e = Assert.Throws<LoggerException>(() => new TelemetryLogger(options, pump, null, clock, new Events()).Run(csv, CancellationToken.None));
        Assert.Contains("ERR 422", e.Message);
    }

    [Fact]
    public void Back_off_doubles_up_to_the_maximum()
    {
        var logger = new TelemetryLogger(new LogOptions { Port = "p", PeriodSeconds = 1 }, new FakePump(new FakeHostClock()), null, new FakeHostClock(), new Events());
        Assert.Equal(new double[] { 1, 2, 4, 8, 16, 30, 30 }, Enumerable.Range(0, 7).Select(i => logger.Backoff(i).TotalSeconds));
    }
}
