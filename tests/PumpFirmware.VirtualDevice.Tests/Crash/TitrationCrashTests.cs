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
/// docs/DRUG-LIBRARY.md: the drug library's per-pump entries (state section 3) and the titration history
/// (section 4) survive a power cut at every storage write that changes them. A 10-day ziconotide titration (a
/// per-pump entry set and replaced, a rise tried every day, refusals, an override, a power cycle) is run once; at
/// every storage write that carries a change of either section, the two after it and every write of the first
/// 300 (and at every 11th of the step commits between, which store them unchanged, torn in the middle) the test
/// branches: it applies nothing, half or all of that write to a copy of the store, boots a fresh
/// virtual pump on it 5 minutes later, and checks that the restored image (both sections included) and log are
/// exactly those of the last commit that reached the store, so no acknowledged rise, entry or override record is
/// ever lost or half-kept; and that the restored guard still refuses the rise the reference's guard refused.
/// </summary>
public class TitrationCrashTests(ITestOutputHelper output)
{
    private const long MicrosPerMinute = 60_000_000;
    private const long OffMicros = 5 * MicrosPerMinute;

    internal static string ScenarioText()
    {
        var sb = new StringBuilder();
        sb.AppendLine("name titration-crash");
        sb.AppendLine("seed 3");
        sb.AppendLine("duration 10d");
        sb.AppendLine("telemetry off");
        sb.AppendLine("program");
        sb.AppendLine("PROG:DRUG ziconotide 25");
        sb.AppendLine("PROG:LIMIT 24");
        sb.AppendLine("PROG:STEP 00:00 2.4");
        sb.AppendLine("end");
        sb.AppendLine("errors count");                 // the refused rises are refused on purpose
        sb.AppendLine("at 0 refill 20000");
        sb.AppendLine("at 0 start");
        sb.AppendLine("at 1h send AUTH 0000");
        sb.AppendLine("at 1h send LIB:SET drug=ziconotide max_conc_ug_ml=100 max_ug_day=19.2 max_step_ug_day=2.4 max_increases_7d=2 max_increase_7d_ug_day=4.8");
        double dose = 2.4;
        for (int day = 1; day <= 9; day++)
        {
            dose += 2.4;                                // every day a rise is tried: the third in 7 days is refused
            sb.AppendLine($"at {day}d9h program");
            sb.AppendLine("PROG:LOAD");
            sb.AppendLine($"PROG:STEP 00:00 {dose:0.0##}");
            sb.AppendLine("end");
            if (day == 4)
            {
                sb.AppendLine("at 4d10h program override");   // the clinician's override, logged
                sb.AppendLine("PROG:LOAD");
                sb.AppendLine($"PROG:STEP 00:00 {dose:0.0##}");
                sb.AppendLine("end");
            }
            if (day == 5) sb.AppendLine("at 5d11h powercycle 5m");
            if (day == 6)
            {
                sb.AppendLine("at 6d11h send AUTH 0000");
                sb.AppendLine("at 6d11h send LIB:SET drug=ziconotide max_conc_ug_ml=100 max_ug_day=19.2 max_step_ug_day=2.4 max_increases_7d=3 max_increase_7d_ug_day=7.2");
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Power_cuts_at_every_write_keep_the_library_and_the_titration_history_of_the_last_commit()
    {
        Scenario scenario = Scenario.Parse(ScenarioText(), "titration-crash");
        var store = new MemoryRecordStore();
        var commits = new CommitTrail();
        var runner = new ScenarioRunner(scenario, null, null) { Store = store };
        int branches = 0, withRises = 0, withEntry = 0, refusedAfterRestore = 0, sectionWrites = 0;
        string lastSections = "";
        long lastSectionWrite = -10;
        var failures = new List<string>();
        PowerCuts.AtEveryWrite(store, failures, write =>
        {
            PumpApplication refApp = runner.Pump.App;
            commits.Record(write, refApp, Probe(refApp));
            // Every write that carries a change of section 3 or 4 (and every other of the first day) is cut before,
            // in the middle of and after it; the step commits in between, which store the sections unchanged, a spread.
            string sections = Convert.ToHexString(Sections(refApp));
            bool sectionWrite = sections != lastSections || write.Index - lastSectionWrite <= 2;
            if (sections != lastSections) lastSectionWrite = write.Index;
            lastSections = sections;
            if (!sectionWrite && write.Index >= 300 && write.Index % 11 != 0) return;
            sectionWrites += sectionWrite ? 1 : 0;
            foreach (int keep in sectionWrite || write.Index < 300 ? write.EveryCut : write.MiddleCut)
            {
                Commit? expected = commits.Durable(write, keep);
                branches++;
                string where = write.Where(keep);
                byte[]? restored = null;
                VirtualPump branch = PowerCuts.Boot(
                    new VirtualPumpOptions { Store = write.CutAt(keep), StartWorldMicros = runner.Pump.Clock.WorldMicros + OffMicros, Seed = 3 },
                    (pump, app) => restored = PowerCuts.RestoredFingerprint(pump, app));
                if (!CommitTrail.AssertRestored(expected, branch, restored, where)) continue;
                // What the restored pump's guard says is what the reference's said at that commit (its sections restored).
                Assert.Equal(expected!.Probe, Probe(branch.App));
                if (branch.App.Titration.History.Count > 0 && RisesKept(branch.App) > 0) withRises++;
                if (branch.App.Titration.Library.PumpCount > 0) withEntry++;
                if (expected.Probe.Contains("refused")) refusedAfterRestore++;
            }
        });

        ScenarioResult result = runner.Run();
        PowerCuts.AssertNoFailures(failures);
        Assert.Empty(result.Failures);
        output.WriteLine($"reference: {store.WriteCount} storage writes, {sectionWrites} of them around a change of the sections; {branches} boots from cut stores; " +
                         $"{withRises} restored a history with rises, {withEntry} a per-pump entry, {refusedAfterRestore} a guard that refuses the next rise");
        // The run exercised what it claims: rises, entries, and restored guards that refuse.
        Assert.True(result.ExpectedErrors + result.Errors >= 3, "rises were refused in the reference run");
        Assert.True(sectionWrites >= 10, "the commits, LIB:SETs and the override were cut at");
        Assert.True(withRises > 100 && withEntry > 100 && refusedAfterRestore > 10);
        var log = runner.Pump.App.Log;
        bool sawOverride = false;
        for (long s = log.OldestSeq; s < log.NextSeq; s++) sawOverride |= log.Type(s) == EventLogTypes.TitrationOverride;
        Assert.True(sawOverride, "the override was logged");
    }

    private static int RisesKept(PumpApplication app)
    {
        var h = app.Titration.History;
        int n = 0;
        for (int i = 0; i < h.Count; i++) n += h.IncreasesAt(i);
        return n;
    }

    // The guard's verdict on "the active program plus 2.4 ug/day" at the instant of the pump's last change, and the
    // library's entry: what a restored pump must answer exactly as the reference did at that commit.
    private static string Probe(PumpApplication app)
    {
        var active = app.Controller.ActiveProgram;
        var limits = new PumpFirmware.Dosing.DrugLimits();
        app.Titration.Library.Find("ziconotide", limits);
        string entry = $"{limits.Source}/{limits.MaxIncreases7d}/{limits.MaxIncrease7dNgPerDay}";
        if (active == null) return entry + " no program";
        var next = new PumpFirmware.Dosing.Prescription();
        next.CopyFrom(active);
        next.SetStep(0, active.StepRateNgPerDay(0) + 2_400);
        // Evaluated at the newest record's time: the same instant for the reference and the restored pump.
        var h = app.Titration.History;
        long at = h.Count > 0 ? h.TimelineMicrosAt(h.Count - 1) : 0;
        app.Titration.Evaluate(next, active, at);
        string verdict = app.Titration.Refusal(false) == null ? "passes" : "refused " + app.Titration.ExceededLimits;
        return $"{entry} {verdict} rises={app.Titration.Increases7d}";
    }

    private static byte[] Sections(PumpApplication app)
    {
        var writer = new StateWriter(new byte[1024]);
        app.Titration.Library.SaveSection(writer);
        app.Titration.History.SaveSection(writer);
        return writer.Buffer[..writer.Position];
    }
}
