using System.Text;
using PumpFirmware.App;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Log;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace PumpFirmware.VirtualDevice.Tests.Crash;

/// <summary>
/// Power cuts at storage writes. One reference run of a 30-day scenario (boluses, PTM presses at
/// the limit, refills, a stop and start, a power cycle); at each sampled storage write the test
/// branches: it copies the store as it was, applies only a prefix of that write (nothing, half,
/// or all of it, as a power loss at that byte would leave it), boots a fresh virtual pump on the
/// copy after 5 minutes off, and checks it against what the reference knew at that instant:
/// - the restored state and log are exactly those of the last commit that reached the store;
/// - the steps lost from the counters are between 0 and the allowance the restored image names,
///   which is at most the documented bound (1 uL) and 0 when the motor was not running;
/// - no clinician bolus, PTM bolus or prime survives the reset (so none can run twice);
/// - the boot record names what the boot charged to the 24 h window: that allowance;
/// and for a spread of branches it runs a further 25 h of presses at the limit and checks that
/// the drug the plant really moved in every 24 h window (before and after the cut) stayed
/// within the limit. Every write index of the first two days is cut; after that a spread.
/// The refill history and the daily history (issue 17's state sections) are part of the image compared; the daily
/// history must also still be exactly the drug the restored counters delivered. The event log's segment files (storage
/// format 2) are cut like every other write: torn, or whole with the snapshot that would name them never written.
/// </summary>
public class CrashPointTests(ITestOutputHelper output)
{
    private const int Days = 30;
    private const long MicrosPerMinute = 60_000_000;
    private const long OffMicros = 5 * MicrosPerMinute;

    // 2000 ug/mL; the limit is exactly the worst day (basal 241.667 + 4 x 20 PTM), so the
    // rolling window is really exercised.
    private const double ConcentrationUgPerMl = 2000;
    private const double LimitUg = 321.667;
    private const long StepsPerMl = 64000;

    internal static string ScenarioText()
    {
        var sb = new StringBuilder();
        sb.AppendLine("name crash-30d");
        sb.AppendLine("seed 7");
        sb.AppendLine($"duration {Days}d");
        sb.AppendLine("telemetry off");
        // The pressure plant (issue 18), so the pressure rule's state section is in the image: a line so stiff that the
        // one-minute block on day 2 still raises OCCLUSION (0.01 uL per 100 mmHg: 250 mmHg after 0.025 uL, seconds).
        sb.AppendLine("plant occlusion=pressure compliance_ul=0.01");
        sb.AppendLine("program");
        sb.AppendLine("PROG:DRUG baclofen 2000");
        sb.AppendLine("PROG:LIMIT 321.667");
        sb.AppendLine("PROG:STEP 00:00 200");
        sb.AppendLine("PROG:STEP 08:00 300");
        sb.AppendLine("PROG:STEP 20:00 150");
        sb.AppendLine("PROG:PTM 20 15 180 4");
        sb.AppendLine("PROG:RESERVOIR 20000 1000");
        sb.AppendLine("PROG:CATHETER 100");
        sb.AppendLine("PROG:MINRATE 10");
        sb.AppendLine("end");
        sb.AppendLine("errors count");                 // presses past the daily count and the bolus are refused on purpose
        sb.AppendLine("at 0 refill 9000");
        sb.AppendLine("at 0 start");
        // Scenario actions are written in time order; (day, minute of day) orders these.
        var timed = new List<(int Day, int Minute, string Line)>();
        void At(int day, string time, string action) =>
            timed.Add((day, int.Parse(time[..2]) * 60 + int.Parse(time[3..]), $"at d{day}@{time} {action}"));
        for (int day = 1; day <= Days; day++)
        {
            foreach (string time in new[] { "08:00", "11:05", "14:10", "17:15", "17:20" }) At(day, time, "ptm");
        }
        At(1, "09:00", "bolus 5 20");       // refused: would cross the limit
        // The pressure rule's state section (issue 18): its limit and calibration change inside the first two
        // days, so every write of those requests is cut too.
        At(1, "10:00", "auth");
        At(1, "10:00", "send PRESSURE:LIMIT 250");
        At(1, "10:01", "auth");
        At(1, "10:01", "send PRESSURE:CAL 180 2.5");
        At(1, "18:00", "stop");
        At(1, "18:05", "start");
        At(2, "01:00", "powercycle 5m");
        // Issue 17: the refill check with a threshold set by the PIN, a gap over it (REFILL_GAP, acknowledged) and one
        // within it; every day's delivery goes into the daily history (state sections 1 and 2).
        At(1, "10:00", "auth");
        At(1, "10:01", "send REFILL:GAP 1500");
        At(2, "12:00", "refill 15000 6000");
        At(2, "12:01", "ack REFILL_GAP");
        At(16, "12:00", "refill 15000 12300");
        At(2, "13:00", "fault OCCLUSION");
        At(2, "13:01", "fault NONE");
        At(2, "13:02", "ack OCCLUSION");
        At(2, "13:03", "start");
        foreach (var a in timed.OrderBy(a => a.Day).ThenBy(a => a.Minute)) sb.AppendLine(a.Line);
        return sb.ToString();
    }

    private static bool IsSampled(long index) => index < FirstWindowWrites || index % 23 == 0;

    private static long FirstWindowWrites = 0;

    private sealed class Reference
    {
        public readonly CommitTrail Commits = new();
        public readonly long[] MinuteMovedSteps = new long[Days * 1440 + 10];
        public long LastMinute = -1;
        public ScenarioRunner Runner = null!;
    }

    [Fact]
    public void Power_cuts_at_every_write_of_two_days_and_a_spread_over_thirty_days_lose_at_most_the_bound_and_never_break_the_limit()
    {
        Scenario scenario = Scenario.Parse(ScenarioText(), "crash-30d");
        var store = new MemoryRecordStore();
        var reference = new Reference();
        var stats = new Stats();
        reference.Runner = new ScenarioRunner(scenario, null, null)
        {
            Store = store,
            Observer = pump => TrackMinutes(reference, pump),
        };

        // Two days of writes, every one of them: measured from a dry run of the first two days.
        FirstWindowWrites = CountWritesOfFirstDays(2);

        var failures = new List<string>();
        PowerCuts.AtEveryWrite(store, failures, write => Branch(reference, stats, write));

        ScenarioResult result = reference.Runner.Run();
        PowerCuts.AssertNoFailures(failures);
        Assert.Empty(result.Failures);
        output.WriteLine($"reference: {store.WriteCount} storage writes, {result.Steps} steps, {result.PtmGranted} PTM granted, {result.PtmRefused} refused, alarms {string.Join(",", result.AlarmsRaised.Keys)}");
        output.WriteLine($"branches: {stats.Branches} boots from cut stores ({FirstWindowWrites} writes of the first two days, each cut at 0, half and all), {stats.Continued} continued for 25 h");
        output.WriteLine($"max steps lost {stats.MaxLost} (bound {stats.Bound}); max steps in any 24 h {stats.MaxWindowSteps} (limit {LimitSteps})");
        // The pressure section's changes were accepted (the scenario counts errors instead of failing on them).
        Assert.Equal(250_000, reference.Runner.Pump.App.Pressure.LimitMilliMmHg);
        Assert.Equal(180, reference.Runner.Pump.App.Pressure.ZeroMillivolts);
        Assert.Equal(1, result.AlarmsRaised["OCCLUSION"]);     // the block on day 2 still alarms, through the pressure rule
        Assert.True(store.WriteCount > 3000, "the scenario must write a lot");
        Assert.True(stats.Branches > 1000);
        Assert.True(stats.Continued >= 5);
        Assert.True(stats.SawDeltaRestores && stats.SawSnapshotFallback, "both kinds of cut were exercised");
        output.WriteLine($"log segment writes cut: {stats.SegmentWritesCut}; the reference's log holds seq {reference.Runner.Pump.App.Log.OldestSeq} to {reference.Runner.Pump.App.Log.NextSeq - 1}");
        Assert.True(stats.SegmentWritesCut >= 10, "log segment writes were cut, torn and whole");
        // The reference itself (with its own power cycle) never broke the limit either.
        Assert.True(MaxWindow(reference.MinuteMovedSteps, reference.LastMinute) <= LimitSteps);
    }

    private static void Branch(Reference reference, Stats stats, PendingWrite write)
    {
        VirtualPump pump = reference.Runner.Pump;
        reference.Commits.Record(write, pump.App);
        if (write.IsLogSegment && IsSampled(write.Index)) stats.SegmentWritesCut++;
        if (!IsSampled(write.Index)) return;
        foreach (int keep in write.Index < FirstWindowWrites ? write.EveryCut : write.MiddleCut)
        {
            bool continueADay = stats.Branches % 97 == 0 && write.Index >= FirstWindowWrites / 2;
            CheckBranch(reference, pump, write, keep, continueADay, stats);
        }
    }

    private static readonly long LimitSteps = (long)Math.Floor(LimitUg / ConcentrationUgPerMl * StepsPerMl + 1e-9);

    private sealed class Stats
    {
        public int Branches;
        public int Continued;
        public long MaxLost;
        public long Bound;
        public long MaxWindowSteps;
        public bool SawDeltaRestores;
        public bool SawSnapshotFallback;
        public int SegmentWritesCut;
    }

    private static long CountWritesOfFirstDays(int days)
    {
        Scenario s = Scenario.Parse(ScenarioText(), "crash-30d");
        s.DurationMicros = days * 86_400_000_000L;
        s.Actions.RemoveAll(a => a.AtMicros > s.DurationMicros);
        var store = new MemoryRecordStore();
        new ScenarioRunner(s, null, null) { Store = store }.Run();
        return store.WriteCount;
    }

    private static void TrackMinutes(Reference reference, VirtualPump pump)
    {
        long minute = pump.Clock.WorldMicros / MicrosPerMinute;
        if (minute >= reference.MinuteMovedSteps.Length) return;
        long moved = pump.Plant.MovedSteps;
        for (long m = reference.LastMinute + 1; m < minute; m++) reference.MinuteMovedSteps[m] = reference.MinuteMovedSteps[Math.Max(0, reference.LastMinute)];
        reference.MinuteMovedSteps[minute] = moved;
        reference.LastMinute = minute;
    }

    private static long MaxWindow(long[] minuteSteps, long lastMinute)
    {
        long max = 0;
        for (long m = 0; m <= lastMinute; m++)
        {
            long before = m >= 1440 ? minuteSteps[m - 1440] : 0;
            max = Math.Max(max, minuteSteps[m] - before);
        }
        return max;
    }

    private static void CheckBranch(Reference reference, VirtualPump refPump, PendingWrite write, int keep, bool continueADay, Stats stats)
    {
        stats.Branches++;
        string where = write.Where(keep);
        PumpApplication refApp = refPump.App;
        long refCounted = refApp.Controller.TotalSteps;
        long refMoved = refPump.Plant.MovedSteps;
        long crashWorld = refPump.Clock.WorldMicros;

        // The commit that is durable: the last one whose first write landed whole.
        Commit? expected = reference.Commits.Durable(write, keep);
        byte[]? restored = null;
        VirtualPump branch = PowerCuts.Boot(
            new VirtualPumpOptions { Store = write.CutAt(keep), StartWorldMicros = crashWorld + OffMicros, Seed = 7, PressurePlant = true, ComplianceMicrolitersPer100MmHg = 0.01 },
            (pump, restoredApp) => restored = PowerCuts.RestoredFingerprint(pump, restoredApp));
        PumpApplication app = branch.App;
        // With none (the very first snapshot of a factory-fresh pump was cut: nothing valid was ever stored), the pump
        // fails closed: CRITICAL (or fresh), motor off.
        if (!CommitTrail.AssertRestored(expected, branch, restored, where))
        {
            Assert.False(branch.Driver.IsEnabled, where);
            return;
        }
        if (branch.Persistence.Durable.ReplayedDeltas > 0) stats.SawDeltaRestores = true;
        if (write.Kind == StoreWriteKind.Write && !write.Landed(keep)) stats.SawSnapshotFallback = true;

        long lost = refCounted - app.Controller.TotalSteps;
        int bound = branch.Persistence.UnpersistedBoundSteps;
        int allowed = app.Allowance.RestoredAllowance;
        stats.Bound = bound;
        stats.MaxLost = Math.Max(stats.MaxLost, lost);
        Assert.True(allowed >= 0 && allowed <= bound, $"{where}: the image allows {allowed} steps, bound {bound}");
        Assert.True(lost >= 0 && lost <= allowed, $"{where}: {lost} steps lost, the restored image allows {allowed}");
        Assert.True(bound * 1_000_000L / app.Controller.StepsPerMl <= 1000, "the bound is at most 1 uL");

        // The daily history restored with the counters: its rows and remainders are exactly the drug they delivered.
        DailyHistory history = app.Controller.History;
        if (history.Count < DailyHistory.Days)
        {
            long fg = 0;
            for (int i = 0; i < history.Count; i++)
                for (int k = 0; k < DailyHistory.Kinds; k++) fg += history.Nanograms(i, k) * 1_000_000;
            for (int k = 0; k < DailyHistory.Kinds; k++) fg += history.RemainderFemtograms(k);
            Assert.True(fg == app.Controller.DeliveredNl * (long)(ConcentrationUgPerMl * 1000), $"{where}: daily history {fg} fg, counters {app.Controller.DeliveredNl} nL");
        }

        Assert.True(app.Controller.ActiveBolus is BolusKind.None or BolusKind.Bridge, $"{where}: {app.Controller.ActiveBolus} survived the reset");
        // The boot record (followed by what the boot ended, e.g. a bolus) names what was charged: the allowance.
        long bootSeq = app.Log.NextSeq - 1;
        while (bootSeq > app.Log.OldestSeq && app.Log.Type(bootSeq) != EventLogTypes.Boot) bootSeq--;
        Assert.True(app.Log.Type(bootSeq) == EventLogTypes.Boot, where);
        Assert.Equal(allowed, app.Log.ValueB(bootSeq));

        if (!continueADay) return;
        stats.Continued++;
        ContinueADay(reference, branch, refMoved, crashWorld, where, stats);
    }

    // 25 h more on the cut store, pressing PTM whenever allowed, and the plant's truth in every
    // 24 h window that ends after the cut (it includes the steps delivered but never persisted).
    private static void ContinueADay(Reference reference, VirtualPump branch, long refMoved, long crashWorld, string where, Stats stats)
    {
        long crashMinute = crashWorld / MicrosPerMinute;
        var minutes = new Dictionary<long, long>();
        long Truth(long minute)
        {
            if (minute <= crashMinute) return reference.MinuteMovedSteps[Math.Min(minute, reference.LastMinute)];
            return minutes.TryGetValue(minute, out long v) ? v : refMoved;
        }
        long lastSeen = crashMinute;
        branch.AfterService = () =>
        {
            long minute = branch.Clock.WorldMicros / MicrosPerMinute;
            long moved = refMoved + branch.Plant.MovedSteps;
            for (long m = lastSeen + 1; m <= minute; m++) minutes[m] = moved;
            lastSeen = minute;
            // Drain the link so it never fills.
            var sink = new byte[4096];
            while (branch.Link.HostRead(sink, 0, sink.Length) > 0) { }
        };
        branch.SetFault("NONE");
        branch.Send("AUTH 0000");
        branch.Send("ALARM:ACK OCCLUSION");
        branch.Send("START");
        branch.Poll();
        for (int i = 0; i < 25 * 4; i++)
        {
            branch.Send("PTM");
            branch.Poll();
            branch.Advance(15 * MicrosPerMinute);
        }
        long endMinute = branch.Clock.WorldMicros / MicrosPerMinute;
        for (long m = crashMinute + 1; m <= endMinute; m++)
        {
            long window = Truth(m) - (m >= 1440 ? Truth(m - 1440) : 0);
            stats.MaxWindowSteps = Math.Max(stats.MaxWindowSteps, window);
            Assert.True(window <= LimitSteps, $"{where}: {window} steps in the 24 h before minute {m}, limit {LimitSteps}");
        }
    }
}
