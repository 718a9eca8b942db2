using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Storage;

/// <summary>The two-copy snapshot plus delta journal, against every cut a power loss can make.</summary>
public class JournalTests
{
    private static Journal NewJournal(PumpFirmware.Hal.IRecordStore store) => new(store, 1, 1000, 2000);

    private static byte[] Payload(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    private static byte[] Restored(Journal journal) =>
        journal.OpenPayload.AsSpan(Journal.SnapshotHeaderBytes, journal.OpenPayloadLength).ToArray();

    private static List<byte[]> Deltas(Journal journal)
    {
        var list = new List<byte[]>();
        for (int i = 0; i < journal.OpenDeltaCount; i++)
        {
            journal.GetOpenDelta(i, out int offset, out int length);
            list.Add(journal.OpenDeltaBuffer.AsSpan(offset, length).ToArray());
        }
        return list;
    }

    [Fact]
    public void An_empty_store_opens_empty_and_asks_for_a_snapshot()
    {
        var journal = NewJournal(new MemoryRecordStore());
        Assert.Equal(JournalOpenResult.Empty, journal.Open());
        Assert.True(journal.NeedsSnapshot);
        Assert.False(journal.AppendDelta(new byte[3], 0, 3));
    }

    [Fact]
    public void A_snapshot_and_its_deltas_come_back_in_order()
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        Assert.True(journal.WriteSnapshot(Payload(10, 7), 0, 10));
        Assert.True(journal.AppendDelta(new byte[] { 1, 2 }, 0, 2));
        Assert.True(journal.AppendDelta(new byte[] { 3 }, 0, 1));

        var reopened = NewJournal(store);
        Assert.Equal(JournalOpenResult.Restored, reopened.Open());
        Assert.Equal(Payload(10, 7), Restored(reopened));
        Assert.Equal(new[] { new byte[] { 1, 2 }, new byte[] { 3 } }, Deltas(reopened));
        Assert.Equal(1, reopened.SnapshotSequence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void A_snapshot_of_0_to_the_largest_payload_is_written_and_opens_back(int length)
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        Assert.True(journal.WriteSnapshot(Payload(length, 9), 0, length));
        Assert.False(journal.NeedsSnapshot);
        var reopened = NewJournal(store);
        Assert.Equal(JournalOpenResult.Restored, reopened.Open());
        Assert.Equal(Payload(length, 9), Restored(reopened));
    }

    [Fact]
    public void A_snapshot_over_the_largest_payload_is_refused_and_writes_nothing()
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        Assert.True(journal.WriteSnapshot(Payload(5, 1), 0, 5));
        Assert.False(journal.WriteSnapshot(Payload(1001, 2), 0, 1001));
        var reopened = NewJournal(store);
        Assert.Equal(JournalOpenResult.Restored, reopened.Open());
        Assert.Equal(1, reopened.SnapshotSequence);
        Assert.Equal(Payload(5, 1), Restored(reopened));
    }

    [Fact]
    public void Snapshots_alternate_between_the_two_copies_and_the_newest_wins()
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        journal.WriteSnapshot(Payload(5, 1), 0, 5); // A, seq 1
        journal.WriteSnapshot(Payload(5, 2), 0, 5); // B, seq 2
        journal.WriteSnapshot(Payload(5, 3), 0, 5); // A, seq 3
        Assert.Equal(new[] { 1, 2 }, store.FileIds.ToArray()); // the journal file was deleted
        var reopened = NewJournal(store);
        reopened.Open();
        Assert.Equal(3, reopened.SnapshotSequence);
        Assert.Equal(Payload(5, 3), Restored(reopened));
    }

    [Fact]
    public void Deltas_of_an_older_snapshot_are_never_applied_to_a_newer_one()
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        journal.WriteSnapshot(Payload(5, 1), 0, 5);
        journal.AppendDelta(new byte[] { 9 }, 0, 1);
        byte[] staleJournal = store.Load(3)!;
        journal.WriteSnapshot(Payload(5, 2), 0, 5); // deletes the journal...
        store.Append(3, staleJournal, 0, staleJournal.Length); // ...but pretend the delete was lost
        var reopened = NewJournal(store);
        reopened.Open();
        Assert.Equal(2, reopened.SnapshotSequence);
        Assert.Empty(Deltas(reopened));
        Assert.True(reopened.NeedsSnapshot);
    }

    [Fact]
    public void Cutting_a_snapshot_write_at_any_byte_keeps_the_old_or_the_new_snapshot_whole()
    {
        int writesBefore;
        {
            var probe = new MemoryRecordStore();
            var j = NewJournal(probe);
            j.Open();
            j.WriteSnapshot(Payload(20, 1), 0, 20);
            j.AppendDelta(new byte[] { 5 }, 0, 1);
            writesBefore = (int)probe.WriteCount;
        }
        int frame = Journal.SnapshotHeaderBytes + 20 + Journal.CrcBytes;
        for (int keep = 0; keep <= frame; keep++)
        {
            var store = new MemoryRecordStore();
            var journal = NewJournal(store);
            journal.Open();
            journal.WriteSnapshot(Payload(20, 1), 0, 20);
            journal.AppendDelta(new byte[] { 5 }, 0, 1);
            store.ArmPowerCut(writesBefore, keep);
            journal.WriteSnapshot(Payload(20, 2), 0, 20);
            store.PowerOn();

            var reopened = NewJournal(store);
            Assert.Equal(JournalOpenResult.Restored, reopened.Open());
            if (keep == frame)
            {
                Assert.Equal(Payload(20, 2), Restored(reopened));
                Assert.Empty(Deltas(reopened)); // the delete never happened, but the delta is stale
            }
            else
            {
                Assert.Equal(Payload(20, 1), Restored(reopened));
                Assert.Equal(new[] { new byte[] { 5 } }, Deltas(reopened));
            }
        }
    }

    [Fact]
    public void Cutting_a_delta_at_any_byte_keeps_exactly_the_deltas_before_it()
    {
        int frame = Journal.DeltaFrameBytes(4);
        for (int keep = 0; keep <= frame; keep++)
        {
            var store = new MemoryRecordStore();
            var journal = NewJournal(store);
            journal.Open();
            journal.WriteSnapshot(Payload(8, 1), 0, 8);
            journal.AppendDelta(new byte[] { 1, 1, 1, 1 }, 0, 4);
            store.ArmPowerCut(store.WriteCount, keep);
            journal.AppendDelta(new byte[] { 2, 2, 2, 2 }, 0, 4);
            store.PowerOn();

            var reopened = NewJournal(store);
            reopened.Open();
            int expected = keep == frame ? 2 : 1;
            Assert.Equal(expected, reopened.OpenDeltaCount);
            Assert.True(reopened.NeedsSnapshot); // a torn tail must never have records appended behind it
        }
    }

    [Fact]
    public void A_flipped_bit_in_one_copy_falls_back_to_the_other()
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        journal.WriteSnapshot(Payload(6, 1), 0, 6); // A
        journal.WriteSnapshot(Payload(6, 2), 0, 6); // B, newest
        store.FlipBit(2, Journal.SnapshotHeaderBytes + 3, 4);
        var reopened = NewJournal(store);
        Assert.Equal(JournalOpenResult.Restored, reopened.Open());
        Assert.Equal(Payload(6, 1), Restored(reopened));
    }

    [Theory]
    [InlineData(0)]   // magic
    [InlineData(4)]   // sequence
    [InlineData(12)]  // length
    [InlineData(17)]  // payload
    [InlineData(22)]  // crc
    public void Both_copies_failing_their_checks_is_corruption(int byteOffset)
    {
        var store = new MemoryRecordStore();
        var journal = NewJournal(store);
        journal.Open();
        journal.WriteSnapshot(Payload(6, 1), 0, 6);
        journal.WriteSnapshot(Payload(6, 2), 0, 6);
        store.FlipBit(1, byteOffset, 0);
        store.FlipBit(2, byteOffset, 0);
        Assert.Equal(JournalOpenResult.Corrupt, NewJournal(store).Open());
    }

    [Fact]
    public void A_full_journal_refuses_the_delta_so_the_caller_compacts()
    {
        var store = new MemoryRecordStore();
        var journal = new Journal(store, 1, 100, Journal.DeltaFrameBytes(Journal.MaxDeltaPayloadBytes));
        journal.Open();
        journal.WriteSnapshot(Payload(4, 1), 0, 4);
        var big = new byte[Journal.MaxDeltaPayloadBytes];
        Assert.True(journal.AppendDelta(big, 0, big.Length));
        Assert.False(journal.AppendDelta(new byte[1], 0, 1));
        Assert.Equal(Journal.DeltaFrameBytes(big.Length), journal.JournalBytes);
    }
}
