// A separately logged balance: its time column (named or found, ISO 8601 or Unix seconds),
// interpolation between the readings around a time, and no mass outside the log or across a gap.
using PumpCtl.Analysis;
using PumpCtl.Cli;
using PumpCtl.Tests.Cli;
using Xunit;

namespace PumpCtl.Tests.Analysis;

[Collection("Console")]
public sealed class BalanceLogReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_named_time_column_in_unix_seconds_is_read()
    {
        List<BalanceReading> r = BalanceLogReader.Read(new StringReader("stamp,g\n1767225600,1.0\n1767225610.5,1.5\n"), "b.csv", "g", "stamp");
        Assert.Equal(new[] { new BalanceReading(T0, 1.0), new BalanceReading(T0.AddSeconds(10.5), 1.5) }, r);
    }

    [Fact]
    public void Iso_times_without_an_offset_are_utc_and_with_one_are_converted()
    {
        List<BalanceReading> r = BalanceLogReader.Read(new StringReader("time,m\n2026-01-01T00:00:00,1\n2026-01-01T01:00:10+01:00,2\n"), "b.csv", "m");
        Assert.Equal(T0, r[0].Utc);
        Assert.Equal(T0.AddSeconds(10), r[1].Utc);
    }

    [Fact]
    public void Mass_is_interpolated_between_neighbours_and_absent_outside_or_across_a_gap()
    {
        var r = new List<BalanceReading> { new(T0, 0), new(T0.AddSeconds(10), 1), new(T0.AddSeconds(100), 2) };
        Assert.Equal(0.5, BalanceLogReader.MassAt(r, T0.AddSeconds(5), 45));
        Assert.Equal(1.0, BalanceLogReader.MassAt(r, T0.AddSeconds(10), 45));   // on a reading, even next to a gap
        Assert.Null(BalanceLogReader.MassAt(r, T0.AddSeconds(50), 45));        // 90 s between readings > 45 s
        Assert.Equal(1.5, BalanceLogReader.MassAt(r, T0.AddSeconds(55), 90));
        Assert.Null(BalanceLogReader.MassAt(r, T0.AddSeconds(-1), 45));
        Assert.Null(BalanceLogReader.MassAt(r, T0.AddSeconds(101), 45));
    }

    [Theory]
    [InlineData("when,m\n2026-01-01T00:00:00Z,1\n2026-01-01T00:00:10Z,2\n", null, "has no time column")]
    [InlineData("time,x\n2026-01-01T00:00:00Z,1\n2026-01-01T00:00:10Z,2\n", null, "has no m column (name it with --mass-col)")]
    [InlineData("time,m\nyesterday,1\n2026-01-01T00:00:10Z,2\n", null, "b.csv line 2: time 'yesterday' is not a time")]
    [InlineData("time,m\n2026-01-01T00:00:10Z,1\n2026-01-01T00:00:00Z,2\n", null, "b.csv line 3: time does not increase")]
    [InlineData("time,m\n2026-01-01T00:00:10Z,1\n", null, "has 1 reading(s) with a mass; merging needs at least 2")]
    [InlineData("time,m\n2026-01-01T00:00:10Z,1\n2026-01-01T00:00:20Z,2\n", "stamp", "has no time column (stamp)")]
    public void A_balance_log_the_merge_cannot_use_is_refused_with_the_reason(string csv, string? timeColumn, string expected)
    {
        var e = Assert.Throws<AnalysisException>(() => BalanceLogReader.Read(new StringReader(csv), "b.csv", "m", timeColumn));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Analyze_with_balance_time_col_merges_a_log_timed_in_unix_seconds()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-ballog-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var pump = new System.Text.StringBuilder("host_utc,t_ms,delivered_ul,rate_ul_day\n");
            var balance = new System.Text.StringBuilder("stamp,weight\n");
            for (int i = 0; i <= 260; i++)
            {
                pump.Append($"{T0.AddSeconds(i * 30):yyyy-MM-ddTHH:mm:ss.fffZ},{i * 30000},{50.0 * i * 30 / 3600:0.000},1200.000\n");
            }
            for (int s = 0; s <= 7830; s += 15)
            {
                // 50 µL/h at 1.000 g/mL, 1 % low: mass in g.
                balance.Append(System.FormattableString.Invariant($"{T0.ToUnixTimeSeconds() + s},{50.0 * s / 3600 * 0.99 / 1000:0.000000}\n"));
            }
            File.WriteAllText(Path.Combine(dir, "pump.csv"), pump.ToString());
            File.WriteAllText(Path.Combine(dir, "balance.csv"), balance.ToString());
            var r = ConsoleCapture.Run(new[]
            {
                "analyze", Path.Combine(dir, "pump.csv"), "--out", Path.Combine(dir, "out"), "--balance-log", Path.Combine(dir, "balance.csv"),
                "--balance-time-col", "stamp", "--mass-col", "weight", "--mass-unit", "g", "--density", "1.0",
            });
            Assert.True(r.Exit == ExitCodes.Ok, r.Err);
            Assert.Contains("mean error A over minutes 60-120: -1.00 %", r.Out);
            Assert.Contains("flow from weight (g) of balance.csv, merged by time into pump.csv", r.Out);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
