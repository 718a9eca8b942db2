using PumpFirmware.Hal.Simulated;
using PumpFirmware.Log;
using PumpFirmware.Storage;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Storage;

/// <summary>Storage format 2: the event log lives in its own segment files (the pump's sizes: 119 records a file of at
/// most 4096 bytes, 20 slots), a snapshot holds the image and names the segments, and every cut of every write, the
/// segments' included, restores exactly the last commit that landed, with its whole log: never a record lost that the
/// log's 1,024 records keep, never one twice.</summary>
public sealed class LogSegmentsTests
{
    private const int MaxState = 1024;

    private sealed class Rig
    {
        public readonly MemoryRecordStore Store;
        public readonly FakeState State = new(16);
        public readonly EventLog Log = new();
        public readonly DurableState Durable;

        public Rig(MemoryRecordStore store, int journalBytes = 2048)
        {
            Store = store;
            var segments = new LogSegments(store, PumpPersistence.FirstLogFileId, EventLog.RecordBytes, EventLog.Capacity,
                PumpPersistence.LogSegmentBytes);
            var journal = new Journal(store, PumpPersistence.FirstFileId, DurableState.SnapshotPayloadBytes(MaxState, segments.MaxReferenceBytes),
                journalBytes, DurableState.LegacySnapshotPayloadBytes(MaxState, EventLog.MaxSavedBytes));
            Durable = new DurableState(journal, segments, State, Log, MaxState);
        }

        public string Fingerprint()
        {
            var records = new List<string>();
            for (long seq = Log.OldestSeq; seq < Log.NextSeq; seq++)
                records.Add($"{seq}:{Log.TimeMs(seq)}/{Log.UnixSeconds(seq)}/{Log.Type(seq)}/{Log.Code(seq)}/{Log.ValueA(seq)}/{Log.ValueB(seq)}");
            return string.Join(",", State.Values) + "|" + Log.NextSeq + "|" + string.Join(",", records);
        }
    }

    // A workload heavy in log records: most commits append a few, some a burst, so segments fill, seal and are dropped.
    private static void Mutate(Rig rig, Random random)
    {
        rig.State.Values[random.Next(rig.State.Values.Length)] += random.Next(1, 1000);
        int records = random.Next(8) == 0 ? random.Next(20, 70) : random.Next(0, 4);
        for (int i = 0; i < records; i++)
            rig.Log.Append(random.Next(), random.Next(), random.Next(1, 20), random.Next(256), random.NextInt64(), random.NextInt64());
    }

    [Fact]
    public void A_snapshot_holds_the_image_and_names_the_log_segments_which_hold_119_records_each()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        for (int i = 0; i < 300; i++) rig.Log.Append(i, 0, 1, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());

        LogSegments segments = rig.Durable.Segments;
        Assert.Equal(119, segments.RecordsPerSegment);
        Assert.Equal(3, segments.SegmentCount); // 119 + 119 + 62
        Assert.Equal(LogSegments.HeaderBytes + 119 * EventLog.RecordBytes + LogSegments.CrcBytes, rig.Store.Load(segments.FileIdOf(0))!.Length);
        Assert.True(rig.Store.Load(segments.FileIdOf(0))!.Length <= 4096, "a full segment fits one littlefs block");
        Assert.Equal(LogSegments.HeaderBytes + 62 * EventLog.RecordBytes + LogSegments.CrcBytes, rig.Store.Load(segments.FileIdOf(2))!.Length);
        // The snapshot: header, image length, image, the log reference (oldest, bound, count, 3 entries), CRC.
        int image = rig.Durable.ImageLength;
        Assert.Equal(Journal.SnapshotHeaderBytes + 4 + image + LogSegments.ReferenceHeaderBytes + 3 * LogSegments.ReferenceEntryBytes + Journal.CrcBytes,
            rig.Store.Load(PumpPersistence.FirstFileId)!.Length);
        Assert.Equal(Journal.FormatVersion, rig.Store.Load(PumpPersistence.FirstFileId)![2]);
        Assert.Equal(2, Journal.FormatVersion);

        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(rig.Fingerprint(), again.Fingerprint());
    }

    [Theory]
    [InlineData(300)] // the newest segment partly filled (62 records)
    [InlineData(238)] // the newest segment full (119 records)
    public void A_compaction_with_no_record_since_the_last_keeps_every_segment_and_writes_none(int records)
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        for (int i = 0; i < records; i++) rig.Log.Append(i, 0, 1, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());
        LogSegments segments = rig.Durable.Segments;
        int[] files = Enumerable.Range(0, segments.SegmentCount).Select(segments.FileIdOf).ToArray();

        rig.State.Values[0]++;
        Assert.True(rig.Durable.ForceSnapshot());

        Assert.Equal(0, segments.LastWrites);
        Assert.Equal(files, Enumerable.Range(0, segments.SegmentCount).Select(segments.FileIdOf).ToArray());
        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(rig.Fingerprint(), again.Fingerprint());
    }

    [Fact]
    public void The_log_keeps_its_newest_1024_records_through_many_compactions_and_boots_and_only_a_full_segment_outside_them_is_dropped()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            Mutate(rig, random);
            Assert.True(rig.Durable.Commit());
            if (i % 400 == 399)
            {
                var booted = new Rig(rig.Store);
                Assert.Equal(JournalOpenResult.Restored, booted.Durable.Boot());
                Assert.Equal(rig.Fingerprint(), booted.Fingerprint());
            }
        }
        Assert.True(rig.Log.NextSeq > 5 * EventLog.Capacity, $"only {rig.Log.NextSeq} records");
        Assert.Equal(EventLog.Capacity, rig.Log.Count);
        LogSegments segments = rig.Durable.Segments;
        Assert.InRange(segments.SegmentCount, 1, segments.MaxSegments);
        // The segments named reach back to the oldest record the log keeps, and no further than the segment holding it.
        Assert.True(segments.NamedOldest == rig.Log.OldestSeq || segments.NamedBound <= rig.Log.OldestSeq + EventLog.Capacity);
        for (int id = PumpPersistence.FirstLogFileId + segments.SlotCount; id < PumpPersistence.FirstLogFileId + segments.SlotCount + 5; id++)
            Assert.Null(rig.Store.Load(id)); // never a file outside the pool

        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(rig.Fingerprint(), again.Fingerprint());
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void A_power_cut_at_any_byte_of_any_write_segments_included_restores_the_last_commit_that_landed_with_its_whole_log(int seed)
    {
        const int Commits = 400;
        var reference = new Rig(new MemoryRecordStore());
        reference.Durable.Boot();
        var random = new Random(seed);
        var landed = new List<(long Write, string Fingerprint)>();
        var segmentWrites = new HashSet<long>();
        reference.Store.BeforeWrite += (index, kind, fileId, buffer, offset, count) =>
        {
            if (fileId >= PumpPersistence.FirstLogFileId) segmentWrites.Add(index);
        };
        for (int i = 0; i < Commits; i++)
        {
            Mutate(reference, random);
            long before = reference.Store.WriteCount;
            long snapshots = reference.Durable.Snapshots;
            Assert.True(reference.Durable.Commit());
            // A snapshot lands at its own write, after the segments it names and before the journal's delete.
            if (reference.Durable.Snapshots > snapshots) landed.Add((reference.Store.WriteCount - 2, reference.Fingerprint()));
            else if (reference.Store.WriteCount > before) landed.Add((before, reference.Fingerprint()));
        }
        Assert.True(reference.Log.NextSeq > 2 * EventLog.Capacity, "the log wrapped: old segments were dropped");
        Assert.True(segmentWrites.Count > 20, $"{segmentWrites.Count} segment writes");

        int cuts = 0;
        for (long cut = 0; cut < reference.Store.WriteCount; cut++)
        {
            // Every segment write at many bytes (torn in its header, records, CRC, or whole with no snapshot after it);
            // every other write at a few.
            int[] keeps = segmentWrites.Contains(cut) ? new[] { 0, 1, 15, 16, 17, 500, 2000, 4000, 4063, int.MaxValue } : new[] { 0, 20, int.MaxValue };
            foreach (int keep in keeps)
            {
                var rig = new Rig(new MemoryRecordStore());
                rig.Durable.Boot();
                rig.Store.ArmPowerCut(cut, keep);
                var replay = new Random(seed);
                for (int i = 0; i < Commits && !rig.Store.IsDead; i++)
                {
                    Mutate(rig, replay);
                    rig.Durable.Commit();
                }
                rig.Store.PowerOn();
                cuts++;

                string expected = "";
                foreach (var (write, fingerprint) in landed)
                {
                    if (write < cut || (write == cut && keep == int.MaxValue)) expected = fingerprint;
                }
                var booted = new Rig(rig.Store);
                JournalOpenResult result = booted.Durable.Boot();
                string where = $"seed {seed} cut at write {cut} byte {keep}{(segmentWrites.Contains(cut) ? " (a segment)" : "")}";
                if (expected == "")
                {
                    Assert.NotEqual(JournalOpenResult.Restored, result);
                    continue;
                }
                Assert.True(result == JournalOpenResult.Restored, $"{where}: {result}");
                Assert.True(expected == booted.Fingerprint(), where);

                // It runs on: the records numbered after the cut (seqs a cut compaction may have written into a segment
                // with other contents) are new ones, compacted and restored without a duplicate or an old copy.
                var after = new Random(seed * 1000 + (int)cut);
                for (int i = 0; i < 3; i++)
                {
                    Mutate(booted, after);
                    Assert.True(booted.Durable.Commit(), where);
                }
                Assert.True(booted.Durable.ForceSnapshot(), where);
                Mutate(booted, after);
                Assert.True(booted.Durable.Commit(), where);
                var twice = new Rig(rig.Store);
                Assert.Equal(JournalOpenResult.Restored, twice.Durable.Boot());
                Assert.True(booted.Fingerprint() == twice.Fingerprint(), where + ", then run on");
            }
        }
        Assert.True(cuts > 1000);
    }

    [Fact]
    public void A_named_segment_that_is_torn_or_stale_is_never_read_as_the_log_the_pump_boots_into_critical()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        for (int i = 0; i < 200; i++) rig.Log.Append(i, 0, 1, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());
        int newest = rig.Durable.Segments.FileIdOf(1); // 81 records, rewritten at the next snapshot into another slot
        byte[] stale = rig.Store.Load(newest)!;
        for (int i = 0; i < 10; i++) rig.Log.Append(1000 + i, 0, 2, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());
        int current = rig.Durable.Segments.FileIdOf(1);
        Assert.NotEqual(newest, current); // written beside the old one, never over a file the last snapshot named
        byte[] good = rig.Store.Load(current)!;

        // A stale segment (the 81-record file of the previous snapshot) in the slot the snapshot names.
        rig.Store.Write(current, stale, 0, stale.Length);
        Assert.Equal(JournalOpenResult.Corrupt, new Rig(rig.Store).Durable.Boot());
        // A torn tail: the file as a cut write would leave it.
        rig.Store.Write(current, good, 0, good.Length - 30);
        Assert.Equal(JournalOpenResult.Corrupt, new Rig(rig.Store).Durable.Boot());
        // One bit of one record.
        rig.Store.Write(current, good, 0, good.Length);
        rig.Store.FlipBit(current, LogSegments.HeaderBytes + 40, 3);
        Assert.Equal(JournalOpenResult.Corrupt, new Rig(rig.Store).Durable.Boot());
        // Missing.
        rig.Store.Delete(current);
        Assert.Equal(JournalOpenResult.Corrupt, new Rig(rig.Store).Durable.Boot());
        // Whole again: it boots with every record.
        rig.Store.Write(current, good, 0, good.Length);
        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(rig.Fingerprint(), again.Fingerprint());
        Assert.Equal(210, again.Log.Count);
    }

    [Fact]
    public void A_reference_naming_a_slot_outside_the_pool_is_refused_even_where_that_file_reads_as_the_segment()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        for (int i = 0; i < 50; i++) rig.Log.Append(i, 0, 1, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());
        LogSegments pool = rig.Durable.Segments;
        int fileId = pool.FileIdOf(0);
        byte[] file = rig.Store.Load(fileId)!;
        var header = new StateReader(file, 4, 12);
        long first = header.ReadLong();
        int count = header.ReadInt();
        int crc = Crc16.Update(Crc16.Initial, file, 0, file.Length - LogSegments.CrcBytes);

        // The pool is file ids FirstLogFileId .. FirstLogFileId + SlotCount - 1; the file just past it holds a copy of
        // the segment, so only the slot's range can refuse a reference naming it.
        int outside = pool.SlotCount;
        rig.Store.Write(PumpPersistence.FirstLogFileId + outside, file, 0, file.Length);
        Assert.False(Restore(rig.Store, Reference(first, count, outside, crc)));
        Assert.False(Restore(rig.Store, Reference(first, count, 255, crc)));
        // The same reference naming the segment's own slot is read: the reference is otherwise whole.
        Assert.True(Restore(rig.Store, Reference(first, count, fileId - PumpPersistence.FirstLogFileId, crc)));
    }

    [Fact]
    public void A_named_segment_that_is_whole_but_holds_other_records_than_the_one_named_is_refused()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        for (int i = 0; i < 200; i++) rig.Log.Append(i, 0, 1, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());
        int fileId = rig.Durable.Segments.FileIdOf(0);
        byte[] good = rig.Store.Load(fileId)!;

        // Same header (first seq, count), one record's value changed, and the file's own CRC made right for it: only
        // the CRC the snapshot names tells it from the segment it relies on.
        byte[] other = (byte[])good.Clone();
        other[LogSegments.HeaderBytes + 40] ^= 0x10;
        int crc = Crc16.Update(Crc16.Initial, other, 0, other.Length - LogSegments.CrcBytes);
        other[^2] = (byte)crc;
        other[^1] = (byte)(crc >> 8);
        rig.Store.Write(fileId, other, 0, other.Length);
        Assert.Equal(JournalOpenResult.Corrupt, new Rig(rig.Store).Durable.Boot());

        rig.Store.Write(fileId, good, 0, good.Length);
        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(rig.Fingerprint(), again.Fingerprint());
    }

    private static byte[] Reference(long first, int count, int slot, int crc)
    {
        var w = new StateWriter(new byte[LogSegments.ReferenceHeaderBytes + LogSegments.ReferenceEntryBytes]);
        w.WriteLong(first);         // oldest kept
        w.WriteLong(first + count); // bound
        w.WriteByte(1);             // one segment
        w.WriteByte(slot);
        w.WriteLong(first);
        w.WriteByte(count & 0xFF);
        w.WriteByte(count >> 8);
        w.WriteByte(crc & 0xFF);
        w.WriteByte(crc >> 8);
        return w.Buffer;
    }

    private static bool Restore(MemoryRecordStore store, byte[] reference)
    {
        var segments = new LogSegments(store, PumpPersistence.FirstLogFileId, EventLog.RecordBytes, EventLog.Capacity,
            PumpPersistence.LogSegmentBytes);
        return segments.Restore(new StateReader(reference, 0, reference.Length), new EventLog(), new byte[PumpPersistence.LogSegmentBytes]);
    }

    [Fact]
    public void A_compaction_cut_after_its_segments_leaves_them_unnamed_and_the_next_one_writes_around_them()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        for (int i = 0; i < 130; i++) rig.Log.Append(i, 0, 1, 0, i, 0);
        Assert.True(rig.Durable.ForceSnapshot());
        string durable = rig.Fingerprint();
        for (int i = 0; i < 5; i++) rig.Log.Append(500 + i, 0, 3, 0, i, 0);
        // Cut the power right after the next compaction's segment write, before its snapshot.
        rig.Store.ArmPowerCut(rig.Store.WriteCount + 1, 0);
        rig.Durable.ForceSnapshot();
        rig.Store.PowerOn();

        var booted = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, booted.Durable.Boot());
        Assert.Equal(durable, booted.Fingerprint()); // the 5 records were never committed: gone, numbers free again
        // Seqs 131..135 again, with other contents; compacted and booted, the log has these and no trace of the others.
        for (int i = 0; i < 5; i++) booted.Log.Append(900 + i, 0, 4, 0, i, 0);
        Assert.True(booted.Durable.Commit());
        Assert.True(booted.Durable.ForceSnapshot());
        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(booted.Fingerprint(), again.Fingerprint());
        Assert.Equal(900, again.Log.TimeMs(131));
        Assert.Equal(135, again.Log.Count);
    }
}
