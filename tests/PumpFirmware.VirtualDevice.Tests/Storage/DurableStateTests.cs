using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Storage;

/// <summary>Diff-journalled persistence: what comes back after a cut is exactly the last commit that landed.</summary>
public class DurableStateTests
{
    private const int MaxState = 4096;
    private const int MaxLog = 8 + 4 + FakeLog.Capacity * 16;

    /// <summary>Log segments of 8 records (the pump's hold 119), so that random workloads fill, seal and drop many.</summary>
    internal const int SegmentBytes = LogSegments.HeaderBytes + 8 * FakeLog.RecordBytes + LogSegments.CrcBytes;

    internal const int FirstLogFileId = 13;

    /// <summary>Persistence of <paramref name="state"/> and <paramref name="log"/> on files 10 to 12 (snapshots, journal)
    /// and 13 onwards (log segments).</summary>
    internal static DurableState Make(PumpFirmware.Hal.IRecordStore store, FakeState state, FakeLog log, int journalBytes)
    {
        var segments = new LogSegments(store, FirstLogFileId, FakeLog.RecordBytes, FakeLog.Capacity, SegmentBytes);
        var journal = new Journal(store, 10, DurableState.SnapshotPayloadBytes(MaxState, segments.MaxReferenceBytes), journalBytes,
            DurableState.LegacySnapshotPayloadBytes(MaxState, MaxLog));
        return new DurableState(journal, segments, state, log, MaxState);
    }

    private sealed class Rig
    {
        public readonly MemoryRecordStore Store;
        public readonly FakeState State = new(64);
        public readonly FakeLog Log = new();
        public readonly DurableState Durable;

        public Rig(MemoryRecordStore store, int journalBytes = 1200)
        {
            Store = store;
            Durable = Make(store, State, Log, journalBytes);
        }

        public string Fingerprint() =>
            string.Join(",", State.Values) + "|" + Log.NextSeq + ":" + string.Join(",", Log.Records.Select(r => r.Key + "=" + r.Value));
    }

    // One scripted run: random small changes (like delivered-step counters) and log records.
    private static void Mutate(Rig rig, Random random)
    {
        int changes = random.Next(1, 4);
        for (int c = 0; c < changes; c++) rig.State.Values[random.Next(rig.State.Values.Length)] += random.Next(1, 1000);
        if (random.Next(4) == 0) rig.Log.Add(random.Next());
        if (random.Next(50) == 0) for (int i = 0; i < 70; i++) rig.Log.Add(i); // a burst larger than one delta
    }

    [Fact]
    public void A_fresh_store_boots_empty_and_the_first_commit_is_a_snapshot()
    {
        var rig = new Rig(new MemoryRecordStore());
        Assert.Equal(JournalOpenResult.Empty, rig.Durable.Boot());
        rig.Durable.Commit();
        Assert.Equal(1, rig.Durable.Snapshots);
        rig.State.Values[3] = 42;
        rig.Durable.Commit();
        Assert.Equal(1, rig.Durable.Deltas);
        Assert.True(rig.Durable.LastCommitBytes < 40, $"a one-field change cost {rig.Durable.LastCommitBytes} bytes");

        var again = new Rig(rig.Store);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(42, again.State.Values[3]);
        Assert.Equal(1, again.Durable.ReplayedDeltas);
    }

    /// <summary>A store whose writes throw (a record file replaced by a folder), tearing a record first.</summary>
    private sealed class ThrowingStore(MemoryRecordStore inner) : PumpFirmware.Hal.IRecordStore
    {
        public bool Failing { get; set; }
        public int Read(int fileId, byte[] buffer) => inner.Read(fileId, buffer);
        public void Write(int fileId, byte[] buffer, int offset, int count)
        {
            if (Failing) { inner.Write(fileId, buffer, offset, count / 2); throw new IOException("write failed"); }
            inner.Write(fileId, buffer, offset, count);
        }
        public void Append(int fileId, byte[] buffer, int offset, int count)
        {
            if (Failing) { inner.Append(fileId, buffer, offset, count / 2); throw new IOException("append failed"); }
            inner.Append(fileId, buffer, offset, count);
        }
        public void Delete(int fileId)
        {
            if (Failing) throw new IOException("delete failed");
            inner.Delete(fileId);
        }
    }

    [Fact]
    public void A_write_that_throws_fails_the_commit_and_the_next_commit_writes_a_whole_snapshot_behind_no_torn_record()
    {
        var memory = new MemoryRecordStore();
        var store = new ThrowingStore(memory);
        var state = new FakeState(64);
        var durable = Make(store, state, new FakeLog(), 1200);
        durable.Boot();
        Assert.True(durable.Commit());
        state.Values[1] = 7;
        Assert.True(durable.Commit()); // a delta

        store.Failing = true;
        state.Values[2] = 8;
        Assert.False(durable.Commit()); // the append tore and threw: reported, not thrown
        Assert.False(durable.Commit());
        store.Failing = false;
        state.Values[3] = 9;
        long snapshots = durable.Snapshots;
        Assert.True(durable.Commit());
        Assert.Equal(snapshots + 1, durable.Snapshots); // not appended behind the torn record

        var again = new Rig(memory);
        Assert.Equal(JournalOpenResult.Restored, again.Durable.Boot());
        Assert.Equal(new long[] { 7, 8, 9 }, again.State.Values.Skip(1).Take(3).ToArray());
    }

    [Fact]
    public void An_unchanged_state_writes_nothing()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        rig.Durable.Commit();
        long writes = rig.Store.WriteCount;
        rig.Durable.Commit();
        Assert.Equal(writes, rig.Store.WriteCount);
    }

    [Fact]
    public void A_growing_and_shrinking_image_round_trips()
    {
        var rig = new Rig(new MemoryRecordStore());
        rig.Durable.Boot();
        rig.Durable.Commit();
        rig.State.Values = Enumerable.Range(0, 80).Select(i => (long)i).ToArray();
        rig.Durable.Commit();
        rig.State.Values = new long[] { 5, 6 };
        rig.Durable.Commit();
        var again = new Rig(rig.Store);
        again.Durable.Boot();
        Assert.Equal(new long[] { 5, 6 }, again.State.Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_power_cut_at_any_write_and_byte_restores_the_last_commit_that_landed(int seed)
    {
        // Reference run: the fingerprint after each commit, and the write index at which it landed. Every write is
        // cut, the log segments' included (a random workload of FakeLog fills 8-record segments, seals and drops them).
        const int Commits = 120;
        var reference = new Rig(new MemoryRecordStore());
        reference.Durable.Boot();
        var random = new Random(seed);
        var landedAtWrite = new List<(long Write, string Fingerprint)>();
        for (int i = 0; i < Commits; i++)
        {
            Mutate(reference, random);
            long before = reference.Store.WriteCount;
            long snapshots = reference.Durable.Snapshots;
            reference.Durable.Commit();
            // A delta lands with its one append; a snapshot with the write of the snapshot itself, after the log
            // segments it names and before the journal's delete.
            if (reference.Durable.Snapshots > snapshots) landedAtWrite.Add((reference.Store.WriteCount - 2, reference.Fingerprint()));
            else if (reference.Store.WriteCount > before) landedAtWrite.Add((before, reference.Fingerprint()));
        }
        long totalWrites = reference.Store.WriteCount;
        Assert.True(reference.Durable.Snapshots >= 3, "the journal must have been compacted a few times");
        Assert.True(reference.Log.NextSeq > 2 * FakeLog.Capacity, "the log must have wrapped its capacity, so segments were dropped");

        for (long cutWrite = 0; cutWrite < totalWrites; cutWrite++)
        {
            foreach (int keep in new[] { 0, 1, 7, 16, 20, int.MaxValue })
            {
                var rig = new Rig(new MemoryRecordStore());
                rig.Durable.Boot();
                rig.Store.ArmPowerCut(cutWrite, keep);
                var replay = new Random(seed);
                for (int i = 0; i < Commits && !rig.Store.IsDead; i++)
                {
                    Mutate(rig, replay);
                    rig.Durable.Commit();
                }
                rig.Store.PowerOn();

                // Which commit is durable: the last one whose first write completed whole.
                string expected = "";
                foreach (var (write, fingerprint) in landedAtWrite)
                {
                    bool complete = write < cutWrite || (write == cutWrite && keep == int.MaxValue);
                    if (complete) expected = fingerprint;
                }
                var booted = new Rig(rig.Store);
                var result = booted.Durable.Boot();
                if (expected == "")
                {
                    Assert.NotEqual(JournalOpenResult.Restored, result);
                    continue;
                }
                Assert.True(result == JournalOpenResult.Restored, $"seed {seed} cut {cutWrite}/{keep}: {result}");
                Assert.True(expected == booted.Fingerprint(), $"seed {seed} cut at write {cutWrite} byte {keep}");

                // And it keeps working after the reboot.
                booted.State.Values[0]++;
                booted.Durable.Commit();
                booted.State.Values[1]++;
                booted.Durable.Commit();
                var twice = new Rig(rig.Store);
                twice.Durable.Boot();
                Assert.Equal(booted.Fingerprint(), twice.Fingerprint());
            }
        }
    }
}
