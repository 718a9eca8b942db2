using System.Reflection;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Tests.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Storage;

/// <summary>The stored format is versioned and a store written by older firmware still boots: the stores in
/// tests/Fixtures/store-layout1, store-layout2 and store-layout3 were written by the firmware of image layouts 1, 2 and
/// 3 in snapshot format 1 (the whole event log inside each snapshot) themselves (how: their README.md), not built by this
/// test, so the test cannot drift with the code it checks. All ran the same day, so all answer the same STATUS?.</summary>
public sealed class FormatUpgradeTests
{
    private static string RepoRoot => typeof(FormatUpgradeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    private static string FixtureDir(int layout) => Path.Combine(RepoRoot, "tests", "Fixtures", "store-layout" + layout);

    private static MemoryRecordStore LoadFixture(int layout)
    {
        var store = new MemoryRecordStore();
        foreach (string path in Directory.GetFiles(FixtureDir(layout), "record-*.bin"))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            int id = int.Parse(name.Substring("record-".Length), System.Globalization.CultureInfo.InvariantCulture);
            byte[] bytes = File.ReadAllBytes(path);
            store.Write(id, bytes, 0, bytes.Length);
        }
        return store;
    }

    private static string Field(string line, string key)
    {
        foreach (string part in line.Split(' '))
        {
            if (part.StartsWith(key + "=", StringComparison.Ordinal)) return part.Substring(key.Length + 1);
        }
        throw new Xunit.Sdk.XunitException($"no {key}= in '{line}'");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_store_written_by_older_firmware_boots_with_its_program_and_counters(int layout)
    {
        string oldStatus = File.ReadAllLines(Path.Combine(FixtureDir(layout), "status.txt"))[0];
        // The fixture is of the old format: each snapshot's image (after the 16-byte header and its length) starts with its layout.
        foreach (string copy in new[] { "record-1.bin", "record-2.bin" })
        {
            Assert.Equal(layout, BitConverter.ToInt32(File.ReadAllBytes(Path.Combine(FixtureDir(layout), copy)), Journal.SnapshotHeaderBytes + 4));
        }
        Assert.True(layout < PumpFirmware.App.PumpApplication.StateFormatVersion);
        var bench = new PumpBench(new VirtualPumpOptions { Store = LoadFixture(layout) });

        Assert.Equal(JournalOpenResult.Restored, bench.Pump.LastRestore);
        // The boot's first commit is a snapshot, in the current layout.
        Assert.Equal(PumpFirmware.App.PumpApplication.StateFormatVersion, BitConverter.ToInt32(bench.Pump.Persistence.Durable.Image, 0));
        string status = bench.Status("STATUS?");
        foreach (string key in new[] { "state", "delivered_ul", "steps", "reservoir_ul", "program_crc", "alarms" })
        {
            Assert.Equal(Field(oldStatus, key), Field(status, key));
        }
        Assert.Contains("daily_ug=", bench.Status("PROG?"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void After_the_upgrade_the_pump_runs_on_and_a_power_cut_restores_the_current_layout(int layout)
    {
        var bench = new PumpBench(new VirtualPumpOptions { Store = LoadFixture(layout) });
        long stepsAtBoot = bench.Pump.App.Controller.TotalSteps;

        bench.Pump.Advance(3_600_000_000); // an hour of the night rate: a few dozen commits
        long steps = bench.Pump.App.Controller.TotalSteps;
        Assert.True(steps > stepsAtBoot);
        Assert.Equal(PumpFirmware.App.PumpApplication.StateFormatVersion, BitConverter.ToInt32(bench.Pump.Persistence.Durable.Image, 0));

        bench.Pump.PowerCycle(1_000_000);
        Assert.Equal(JournalOpenResult.Restored, bench.Pump.LastRestore);
        long restored = bench.Pump.App.Controller.TotalSteps;
        // At most the allowance (64 steps = 1 uL at 64000 steps/mL) may be lost from the counters at a cut.
        Assert.InRange(restored, steps - 64, steps);
        Assert.Equal("RUNNING", Field(bench.Status("STATUS?"), "state"));
    }

    // The !LOG lines LOG? answers from seq 1, 100 at a time.
    private static List<string> WholeLog(PumpBench bench)
    {
        var lines = new List<string>();
        for (long seq = 1; ; seq += 100)
        {
            List<string> page = bench.Send($"LOG? {seq} 100").Where(l => l.StartsWith("!LOG ", StringComparison.Ordinal)).ToList();
            lines.AddRange(page);
            if (page.Count < 100) return lines;
        }
    }

    [Fact]
    public void A_store_of_snapshot_format_1_boots_with_its_program_counters_and_whole_log_and_its_first_snapshot_moves_the_log_to_segment_files()
    {
        string dir = FixtureDir(3);
        string oldStatus = File.ReadAllLines(Path.Combine(dir, "status.txt"))[0];
        string[] oldLog = File.ReadAllLines(Path.Combine(dir, "log.txt"));
        Assert.Equal(10, oldLog.Length);
        // The fixture is of the old format: snapshots of format 1 whose image is of layout 3 and whose log follows it.
        foreach (string copy in new[] { "record-1.bin", "record-2.bin" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, copy));
            Assert.Equal(Journal.LegacyFormatVersion, bytes[2]);
            Assert.Equal(3, BitConverter.ToInt32(bytes, Journal.SnapshotHeaderBytes + 4));
        }
        Assert.True(Journal.LegacyFormatVersion < Journal.FormatVersion);
        MemoryRecordStore store = LoadFixture(3);
        var bench = new PumpBench(new VirtualPumpOptions { Store = store });

        Assert.Equal(JournalOpenResult.Restored, bench.Pump.LastRestore);
        string status = bench.Status("STATUS?");
        foreach (string key in new[] { "state", "delivered_ul", "steps", "reservoir_ul", "program_crc", "alarms" })
        {
            Assert.Equal(Field(oldStatus, key), Field(status, key));
        }
        // The whole log, record for record, then this boot's own record.
        List<string> log = WholeLog(bench);
        Assert.Equal(oldLog, log.Take(oldLog.Length));
        Assert.Contains("type=BOOT", log[oldLog.Length]);
        Assert.Equal(oldLog.Length + 1, log.Count);

        // The boot's first commit was a snapshot of format 2: the image and a log reference only, the log in a segment.
        DurableState durable = bench.Pump.Persistence.Durable;
        Assert.Equal(1, durable.Segments.SegmentCount);
        byte[] segment = store.Load(durable.Segments.FileIdOf(0))!;
        Assert.Equal(durable.Segments.FileBytes(11), segment.Length);
        byte[] newest = new[] { store.Load(1)!, store.Load(2)! }.Single(b => b[2] == Journal.FormatVersion);
        Assert.Equal(Journal.SnapshotHeaderBytes + 4 + durable.ImageLength + LogSegments.ReferenceHeaderBytes + LogSegments.ReferenceEntryBytes
            + Journal.CrcBytes, newest.Length);

        // Booted again (now from format 2): the same log.
        var again = new PumpBench(new VirtualPumpOptions { Store = store });
        Assert.Equal(JournalOpenResult.Restored, again.Pump.LastRestore);
        Assert.Equal(log, WholeLog(again).Take(log.Count));
    }

    [Fact]
    public void A_power_cut_at_any_write_of_the_upgrade_and_the_hour_after_it_boots_with_the_whole_old_log()
    {
        string[] oldLog = File.ReadAllLines(Path.Combine(FixtureDir(3), "log.txt"));
        long oldSteps = long.Parse(Field(File.ReadAllLines(Path.Combine(FixtureDir(3), "status.txt"))[0], "steps"),
            System.Globalization.CultureInfo.InvariantCulture);
        MemoryRecordStore store = LoadFixture(3);
        var failures = new List<string>();
        int branches = 0, segmentCuts = 0;
        store.BeforeWrite += (index, kind, fileId, buffer, offset, count) =>
        {
            int[] keeps = kind == StoreWriteKind.Delete ? new[] { 1 } : new[] { 0, count / 2, count };
            foreach (int keep in keeps)
            {
                MemoryRecordStore copy = store.Clone();
                switch (kind)
                {
                    case StoreWriteKind.Write: copy.Write(fileId, buffer, offset, keep); break;
                    case StoreWriteKind.Append: copy.Append(fileId, buffer, offset, keep); break;
                    default: copy.Delete(fileId); break;
                }
                branches++;
                if (fileId >= PumpPersistence.FirstLogFileId) segmentCuts++;
                string where = $"cut at write {index} ({kind} of file {fileId}) keeping {keep} of {count} bytes";
                try
                {
                    var branch = new PumpBench(new VirtualPumpOptions { Store = copy });
                    if (branch.Pump.LastRestore != JournalOpenResult.Restored) { failures.Add($"{where}: {branch.Pump.LastRestore}"); continue; }
                    List<string> log = WholeLog(branch);
                    if (!log.Take(oldLog.Length).SequenceEqual(oldLog)) failures.Add($"{where}: the old log is not whole");
                    if (log.Count(l => l.Contains("type=BOOT", StringComparison.Ordinal)) < 2) failures.Add($"{where}: a boot record is missing");
                    long steps = branch.Pump.App.Controller.TotalSteps;
                    if (steps < oldSteps) failures.Add($"{where}: {steps} steps, fewer than the old store's {oldSteps}");
                }
                catch (Exception e)
                {
                    failures.Add($"{where}: {e.Message}");
                }
            }
        };

        var bench = new PumpBench(new VirtualPumpOptions { Store = store }); // the upgrade: segment, snapshot, journal delete
        bench.Pump.Advance(3_600_000_000);                                  // an hour of commits on format 2
        Assert.Empty(failures);
        Assert.True(segmentCuts >= 3, $"{segmentCuts} cuts of the upgrade's segment write");
        Assert.True(branches > 30, $"{branches} branches");
    }
}
