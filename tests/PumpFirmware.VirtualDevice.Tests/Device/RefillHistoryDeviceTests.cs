using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>Issue 17 through the protocol on the virtual device: the refill check (REFILL with a residual, REFILL?,
/// REFILL:GAP, the REFILL_GAP alarm) and the daily history (HIST?), across power cycles.</summary>
public class RefillHistoryDeviceTests
{
    private const long Jan1 = 1_767_225_600;   // 2026-01-01T00:00Z

    // Baclofen 500 ug/mL at 480 ug/day = 960 uL/day, a 20 mL reservoir, running.
    private static PumpBench Running(bool wallClock = true)
    {
        var bench = new PumpBench();
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 600", "PROG:STEP 00:00 480", "PROG:MINRATE 20");
        if (wallClock) bench.Ok("TIME " + Jan1);
        Assert.Equal("OK", bench.Status("REFILL 20000"));      // without a residual: exactly as before
        bench.Ok("START");
        return bench;
    }

    private static List<string> Lines(List<string> lines, string prefix) => lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    [Fact]
    public void A_refill_with_a_residual_reports_expected_measured_and_gap_and_raises_REFILL_GAP_over_the_threshold()
    {
        var bench = Running();
        bench.Ok("SIM:ADVANCE 432000");                       // 5 days: 4800 uL
        bench.Ok("AUTH 0000");                                 // the session ended while time ran
        long reservoir = PumpBench.Field(bench.Status("STATUS?"), "reservoir_ul");
        Assert.InRange(reservoir, 15_200_000 - 16, 15_200_000 + 16);
        var lines = bench.Send("REFILL 20000 13000");          // 2.2 mL less than the accounting: overinfusion or a leak
        string ok = lines.Single(l => l.StartsWith("OK", StringComparison.Ordinal));
        Assert.Equal(reservoir, PumpBench.Field(ok, "expected_ul"));
        Assert.Equal(13_000_000, PumpBench.Field(ok, "measured_ul"));
        Assert.Equal(13_000_000 - reservoir, PumpBench.Field(ok, "gap_ul"));
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=REFILL_GAP state=RAISED", StringComparison.Ordinal));
        string status = bench.Status("STATUS?");
        Assert.Equal("RUNNING", PumpBench.Word(status, "state"));   // not a stopping alarm
        Assert.Equal("REFILL_GAP", PumpBench.Word(status, "alarms"));
        Assert.Equal(20_000_000, PumpBench.Field(status, "reservoir_ul"));

        // Logged: the refill, its check, the alarm.
        var log = bench.Send("LOG? 1 100");
        var refill = log.Last(l => l.Contains("type=REFILL ", StringComparison.Ordinal));
        var check = log.Single(l => l.Contains("type=REFILL_CHECK", StringComparison.Ordinal));
        Assert.Contains("unix_s=1767657600", check);
        Assert.Equal(reservoir, PumpBench.Field(check, "expected_ul"));
        Assert.Equal(13_000_000, PumpBench.Field(check, "measured_ul"));
        Assert.Equal(13_000_000 - reservoir, PumpBench.Field(check, "gap_ul"));
        Assert.Equal("YES", PumpBench.Word(check, "alarm"));
        Assert.True(log.IndexOf(refill) < log.IndexOf(check));
        Assert.True(log.IndexOf(check) < log.FindIndex(l => l.Contains("type=ALARM code=REFILL_GAP state=RAISED", StringComparison.Ordinal)));

        // The history: the fill at the start (unchecked) and this one.
        var history = bench.Send("REFILL?");
        Assert.Equal("OK count=2 gap_alarm_ul=1000.000", history.Last());
        Assert.Equal("!REFILL n=1 unix_s=1767225600 volume_ul=20000.000 expected_ul=0.000 measured_ul=NONE gap_ul=NONE alarm=NO", history[0]);
        Assert.StartsWith("!REFILL n=2 unix_s=1767657600 volume_ul=20000.000 expected_ul=", history[1]);
        Assert.EndsWith(" measured_ul=13000.000 gap_ul=" + FormatUl(13_000_000 - reservoir) + " alarm=YES", history[1]);

        // Acknowledged, it clears (it marks an event; nothing else can make it go away).
        var ack = bench.Send("ALARM:ACK REFILL_GAP");
        Assert.Equal("OK", ack[0]);
        Assert.Contains(ack, l => l.StartsWith("!ALARM code=REFILL_GAP state=CLEARED", StringComparison.Ordinal));
        Assert.Equal("NONE", PumpBench.Word(bench.Status("STATUS?"), "alarms"));
    }

    private static string FormatUl(long nl) => (nl < 0 ? "-" : "") + (Math.Abs(nl) / 1000) + "." + (Math.Abs(nl) % 1000).ToString("000");

    [Fact]
    public void A_surplus_over_the_threshold_raises_it_too_and_the_threshold_is_set_with_the_PIN()
    {
        var bench = Running();
        Assert.Equal("OK", bench.Status("REFILL:GAP 500"));
        Assert.Equal("OK count=1 gap_alarm_ul=500.000", bench.Status("REFILL?"));
        bench.Ok("SIM:ADVANCE 86400");                         // 960 uL delivered: 19040 expected
        bench.Ok("AUTH 0000");
        var within = bench.Send("REFILL 20000 19500");         // +460 uL: within 500
        Assert.DoesNotContain(within, l => l.StartsWith("!ALARM", StringComparison.Ordinal));
        bench.Ok("SIM:ADVANCE 86400");
        bench.Ok("AUTH 0000");
        var over = bench.Send("REFILL 20000 19600");           // +560 uL: drug commanded that never left (occlusion?)
        Assert.Contains(over, l => l.StartsWith("!ALARM code=REFILL_GAP state=RAISED", StringComparison.Ordinal));
        var log = bench.Send("LOG? 1 100");
        var set = log.Single(l => l.Contains("type=REFILL_GAP_SET", StringComparison.Ordinal));
        Assert.EndsWith("gap_alarm_ul=500.000 previous_ul=1000.000", set);

        bench.Ok("LOGOUT");
        Assert.Equal("ERR 403 auth required", bench.Status("REFILL:GAP 100"));
        Assert.Equal("ERR 403 auth required", bench.Status("REFILL 20000 19000"));
        Assert.StartsWith("OK count=3 gap_alarm_ul=500.000", bench.Status("REFILL?"));   // a query needs no session
    }

    [Fact]
    public void Refill_history_and_threshold_survive_a_power_cycle()
    {
        var bench = Running();
        bench.Ok("REFILL:GAP 250.5");
        bench.Ok("SIM:ADVANCE 3600");
        bench.Ok("AUTH 0000");
        bench.Ok("REFILL 20000 10000");
        var before = bench.Send("REFILL?");
        bench.Send("SIM:POWERCYCLE 60");
        Assert.Equal(before, bench.Send("REFILL?"));
        Assert.Contains("REFILL_GAP", PumpBench.Word(bench.Status("STATUS?"), "alarms"));
    }

    [Fact]
    public void HIST_lists_drug_per_wall_clock_day_by_kind_with_days_without_delivery_and_survives_a_power_cycle()
    {
        var bench = Running();
        bench.Ok("SIM:ADVANCE 43200");                         // 2026-01-01 12:00
        bench.Ok("AUTH 0000");
        bench.Ok("BOLUS 50 60");                               // a clinician bolus of 50 ug
        bench.Ok("SIM:ADVANCE 129000");                        // 2026-01-02 23:50
        bench.Ok("AUTH 0000");
        bench.Ok("STOP");
        bench.Ok("STOP");                                      // STOPPED: nothing moves
        bench.Ok("SIM:ADVANCE 87000");                         // 2026-01-04 00:00

        var hist = bench.Send("HIST? 31");
        Assert.Equal("OK count=4", hist.Last());
        var rows = Lines(hist, "!HIST");
        Assert.Equal(new[] { "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04" }, rows.Select(r => PumpBench.Word(r, "date")));
        Assert.InRange(PumpBench.Field(rows[0], "basal_ug"), 480_000 - 16, 480_000 + 16);
        Assert.InRange(PumpBench.Field(rows[0], "clinician_ug"), 50_000 - 16, 50_000 + 16);
        Assert.InRange(PumpBench.Field(rows[1], "basal_ug"), 476_667 - 16, 476_667 + 16);   // to 23:50
        Assert.Equal(0, PumpBench.Field(rows[1], "clinician_ug"));
        Assert.Equal(0, PumpBench.Field(rows[3], "total_ug"));          // today, nothing delivered yet
        foreach (var r in rows)
        {
            long sum = new[] { "basal_ug", "ptm_ug", "clinician_ug", "bridge_ug", "prime_ug", "minrate_ug" }.Sum(k => PumpBench.Field(r, k));
            Assert.Equal(sum, PumpBench.Field(r, "total_ug"));
        }
        // The rows are the delivered drug, to the ng per row and kind (the rest under 1 ng carries on).
        long delivered = PumpBench.Field(bench.Status("STATUS?"), "delivered_ul");   // nL
        long totalNg = rows.Sum(r => PumpBench.Field(r, "total_ug"));
        Assert.InRange(delivered / 2 - totalNg, 0, 12);

        Assert.Equal(new[] { "!HIST date=2026-01-03 basal_ug=0.000 ptm_ug=0.000 clinician_ug=0.000 bridge_ug=0.000 prime_ug=0.000 minrate_ug=0.000 total_ug=0.000",
                             "!HIST date=2026-01-04 basal_ug=0.000 ptm_ug=0.000 clinician_ug=0.000 bridge_ug=0.000 prime_ug=0.000 minrate_ug=0.000 total_ug=0.000",
                             "OK count=2" },
                     bench.Send("HIST? 2").ToArray());
        Assert.Equal(new[] { "OK count=0" }, bench.Send("HIST? 0").ToArray());

        bench.Send("SIM:POWERCYCLE 600");
        Assert.Equal(hist, bench.Send("HIST? 31"));
    }

    [Fact]
    public void Before_TIME_days_are_timeline_days_and_a_power_cut_loses_at_most_what_the_counters_lose()
    {
        var bench = Running(wallClock: false);
        bench.Ok("SIM:ADVANCE 90000");                         // 1 day and 1 hour
        var rows = Lines(bench.Send("HIST? 5"), "!HIST");
        Assert.Equal(new[] { "T+0", "T+1" }, rows.Select(r => PumpBench.Word(r, "date")));
        Assert.InRange(PumpBench.Field(rows[1], "basal_ug"), 20_000 - 16, 20_000 + 16);
        bench.Send("SIM:POWERCYCLE 0");
        long delivered = PumpBench.Field(bench.Status("STATUS?"), "delivered_ul");
        long totalNg = Lines(bench.Send("HIST? 5"), "!HIST").Sum(r => PumpBench.Field(r, "total_ug"));
        Assert.InRange(delivered / 2 - totalNg, 0, 12);       // history and counters agree after the cut
    }

    [Fact]
    public void CAPS_HELP_and_the_plain_REFILL_keep_version_1_and_name_the_additions()
    {
        var bench = new PumpBench();
        string caps = bench.Status("CAPS?");
        Assert.Contains("REFILL_CHECK", PumpBench.Word(caps, "caps").Split(','));
        Assert.Contains("HIST", PumpBench.Word(caps, "caps").Split(','));
        Assert.Equal(new[] { "!HELP REFILL <volume_ul> [<residual_ul>] auth=YES", "OK count=1" }, bench.Send("HELP REFILL").ToArray());
        Assert.Equal(new[] { "!HELP HIST? <days> auth=NO", "OK count=1" }, bench.Send("HELP HIST?").ToArray());
        bench.Ok("AUTH 0000");
        Assert.Equal(new[] { "OK" }, bench.Send("REFILL 20000").ToArray());
        Assert.Equal("ERR 422 residual_ul=20000.001 exceeds capacity_ul=20000.000", bench.Status("REFILL 100 20000.001"));
        Assert.Equal("ERR 400 wrong number of arguments: REFILL <volume_ul> [<residual_ul>]", bench.Status("REFILL 1 2 3"));
        Assert.Equal("ERR 422 days=32 out of range 0..31", bench.Status("HIST? 32"));
    }
}
