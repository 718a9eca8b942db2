using System.Security.Cryptography;
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

    private sealed class Reference
    {
        public readonly List<(long Index, byte[] Hash, string Probe)> Commits = new();
        public ScenarioRunner Runner = null!;
    }

    [Fact]
    public void Power_cuts_at_every_write_keep_the_library_and_the_titration_history_of_the_last_commit()
    {
        Scenario scenario = Scenario.Parse(ScenarioText(), "titration-crash");
        var store = new MemoryRecordStore();
        var reference = new Reference();
        reference.Runner = new ScenarioRunner(scenario, null, null) { Store = store };
        int branches = 0, withRises = 0, withEntry = 0, refusedAfterRestore = 0, sectionWrites = 0;
        string lastSections = "";
        long lastSectionWrite = -10;
        var failures = new List<string>();
        store.BeforeWrite += (index, kind, fileId, buffer, offset, count) =>
        {
            try
            {
                PumpApplication refApp = reference.Runner.Pump.App;
                // A commit lands with its snapshot or journal write; a log segment file is written before the snapshot
                // that names it (storage format 2), so a cut there restores the commit before.
                if (kind != StoreWriteKind.Delete && fileId < PumpPersistence.FirstLogFileId)
                    reference.Commits.Add((index, Fingerprint(refApp), Probe(refApp)));
                // Every write that carries a change of section 3 or 4 (and every other of the first day) is cut before,
                // in the middle of and after it; the step commits in between, which store the sections unchanged, a spread.
                string sections = Convert.ToHexString(Sections(refApp));
                bool sectionWrite = sections != lastSections || index - lastSectionWrite <= 2;
                if (sections != lastSections) lastSectionWrite = index;
                lastSections = sections;
                if (!sectionWrite && index >= 300 && index % 11 != 0) return;
                sectionWrites += sectionWrite ? 1 : 0;
                var keeps = kind == StoreWriteKind.Delete ? new[] { 0, 1 } : sectionWrite || index < 300 ? new[] { 0, count / 2, count } : new[] { count / 2 };
                foreach (int keep in keeps)
                {
                    MemoryRecordStore copy = store.Clone();
                    switch (kind)
                    {
                        case StoreWriteKind.Write: copy.Write(fileId, buffer, offset, keep); break;
                        case StoreWriteKind.Append: copy.Append(fileId, buffer, offset, keep); break;
                        case StoreWriteKind.Delete: if (keep > 0) copy.Delete(fileId); break;
                    }
                    bool complete = kind == StoreWriteKind.Delete || keep == count;
                    (byte[] Hash, string Probe)? expected = null;
                    foreach (var c in reference.Commits)
                    {
                        if (c.Index < index || (c.Index == index && complete)) expected = (c.Hash, c.Probe);
                    }
                    branches++;
                    string where = $"cut at write {index} ({kind}) keeping {keep} bytes";
                    byte[]? restored = null;
                    var branch = new VirtualPump(new VirtualPumpOptions
                    {
                        Store = copy, StartWorldMicros = reference.Runner.Pump.Clock.WorldMicros + OffMicros, Seed = 3,
                    });
                    branch.AfterRestore = app => restored = RestoredFingerprint(branch.Persistence.Durable, app);
                    branch.PowerOn();
                    if (expected == null)
                    {
                        Assert.True(branch.LastRestore != JournalOpenResult.Restored, where);
                        continue;
                    }
                    Assert.True(branch.LastRestore == JournalOpenResult.Restored, $"{where}: {branch.LastRestore}");
                    Assert.True(expected.Value.Hash.AsSpan().SequenceEqual(restored), $"{where}: the restored image and log are not those of the last commit that landed");
                    // What the restored pump's guard says is what the reference's said at that commit (its sections restored).
                    Assert.Equal(expected.Value.Probe, Probe(branch.App));
                    if (branch.App.Titration.History.Count > 0 && RisesKept(branch.App) > 0) withRises++;
                    if (branch.App.Titration.Library.PumpCount > 0) withEntry++;
                    if (expected.Value.Probe.Contains("refused")) refusedAfterRestore++;
                }
            }
            catch (Exception e)
            {
                failures.Add($"write {index}: {e.Message}");
            }
        };

        ScenarioResult result = reference.Runner.Run();
        Assert.Empty(failures);
        Assert.Empty(result.Failures);
        output.WriteLine($"reference: {store.WriteCount} storage writes, {sectionWrites} of them around a change of the sections; {branches} boots from cut stores; " +
                         $"{withRises} restored a history with rises, {withEntry} a per-pump entry, {refusedAfterRestore} a guard that refuses the next rise");
        // The run exercised what it claims: rises, entries, and restored guards that refuse.
        Assert.True(result.ExpectedErrors + result.Errors >= 3, "rises were refused in the reference run");
        Assert.True(sectionWrites >= 10, "the commits, LIB:SETs and the override were cut at");
        Assert.True(withRises > 100 && withEntry > 100 && refusedAfterRestore > 10);
        var log = reference.Runner.Pump.App.Log;
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

    private static byte[] Fingerprint(PumpApplication app)
    {
        var buffer = new byte[PumpApplication.MaxStateBytes + EventLog.MaxSavedBytes];
        var writer = new StateWriter(buffer);
        app.SaveState(writer);
        app.Log.Save(writer);
        Assert.False(writer.Overflow);
        return SHA256.HashData(buffer.AsSpan(0, writer.Position));
    }

    private static byte[] RestoredFingerprint(DurableState durable, PumpApplication app)
    {
        var buffer = new byte[PumpApplication.MaxStateBytes + EventLog.MaxSavedBytes];
        durable.Image.AsSpan(0, durable.ImageLength).CopyTo(buffer);
        var logWriter = new StateWriter(new byte[EventLog.MaxSavedBytes]);
        app.Log.Save(logWriter);
        logWriter.Buffer.AsSpan(0, logWriter.Position).CopyTo(buffer.AsSpan(durable.ImageLength));
        return SHA256.HashData(buffer.AsSpan(0, durable.ImageLength + logWriter.Position));
    }
}
