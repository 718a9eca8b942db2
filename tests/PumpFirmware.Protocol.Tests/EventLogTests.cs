using PumpFirmware.Log;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

public class EventLogTests
{
    private static EventLog LogWith(int records)
    {
        var log = new EventLog();
        for (int i = 1; i <= records; i++) log.Append(i * 10, 1000 + i, EventLogTypes.State, 1, i, -i);
        return log;
    }

    [Fact]
    public void Holds_at_least_1000_records() => Assert.True(EventLog.Capacity >= 1000);

    [Theory]
    [InlineData(0, 1L, 1L)]
    [InlineData(1, 1L, 2L)]
    [InlineData(EventLog.Capacity, 1L, EventLog.Capacity + 1L)]
    [InlineData(EventLog.Capacity + 1, 2L, EventLog.Capacity + 2L)]
    [InlineData(3 * EventLog.Capacity + 5, 2L * EventLog.Capacity + 6, 3L * EventLog.Capacity + 6)]
    public void Seq_starts_at_1_and_the_oldest_records_are_dropped(int appended, long oldest, long next)
    {
        var log = LogWith(appended);
        Assert.Equal(oldest, log.OldestSeq);
        Assert.Equal(next, log.NextSeq);
        if (appended > 0)
        {
            Assert.Equal(appended * 10L, log.TimeMs(next - 1));
            Assert.Equal(oldest, log.ValueA(oldest));
        }
    }

    [Theory]
    [InlineData(0L, 2L)]       // older than the oldest kept: starts at the oldest
    [InlineData(2L, 2L)]
    [InlineData(500L, 500L)]
    [InlineData(1026L, 1026L)] // = NextSeq: nothing yet
    [InlineData(99999L, 1026L)]
    public void From_seq_is_clamped_to_the_kept_range(long from, long expected)
    {
        var log = LogWith(EventLog.Capacity + 1);
        Assert.Equal(expected, log.ClampFrom(from));
    }

    [Fact]
    public void Save_and_load_round_trip_and_seq_continues()
    {
        var log = LogWith(EventLog.Capacity + 7);
        var buffer = new byte[EventLog.MaxSavedBytes];
        var writer = new StateWriter(buffer);
        log.Save(writer);
        Assert.False(writer.Overflow);

        var copy = new EventLog();
        Assert.True(copy.Load(new StateReader(buffer, 0, writer.Position)));
        Assert.Equal(log.OldestSeq, copy.OldestSeq);
        Assert.Equal(log.NextSeq, copy.NextSeq);
        for (long s = log.OldestSeq; s < log.NextSeq; s++)
        {
            Assert.Equal(log.TimeMs(s), copy.TimeMs(s));
            Assert.Equal(log.UnixSeconds(s), copy.UnixSeconds(s));
            Assert.Equal(log.ValueB(s), copy.ValueB(s));
        }
        Assert.Equal(log.NextSeq, copy.Append(0, 0, EventLogTypes.Boot, 0, 0, 0));
    }

    [Fact]
    public void A_truncated_snapshot_is_refused_and_no_seq_is_ever_reused()
    {
        var log = LogWith(20);
        var buffer = new byte[EventLog.MaxSavedBytes];
        var writer = new StateWriter(buffer);
        log.Save(writer);

        var target = LogWith(30);
        Assert.False(target.Load(new StateReader(buffer, 0, writer.Position - 1)));
        Assert.Equal(0, target.Count);
        Assert.Equal(31L, target.NextSeq);

        var fresh = new EventLog();
        Assert.False(fresh.Load(new StateReader(buffer, 0, writer.Position - 1)));
        Assert.Equal(21L, fresh.NextSeq);
    }

    [Fact]
    public void A_header_that_fails_its_checks_changes_nothing()
    {
        var target = LogWith(3);
        var buffer = new byte[16];
        Assert.False(target.Load(new StateReader(buffer, 0, buffer.Length))); // version 0
        Assert.Equal(4L, target.NextSeq);
        Assert.Equal(3L, target.ValueA(3));
    }

    [Fact]
    public void A_gap_in_journaled_records_is_kept_as_LOST_records()
    {
        var log = LogWith(10);
        var buffer = new byte[256];
        var writer = new StateWriter(buffer);
        log.WriteRecord(9, writer);
        var replica = LogWith(5);
        Assert.True(replica.ReadRecord(new StateReader(buffer, 0, writer.Position)));
        Assert.Equal(10L, replica.NextSeq);
        Assert.Equal(EventLogTypes.Lost, replica.Type(6));
        Assert.Equal(EventLogTypes.Lost, replica.Type(8));
        Assert.Equal(90L, replica.TimeMs(9));
        Assert.Equal(5L, replica.ValueA(5));
    }

    [Fact]
    public void Records_can_be_journaled_one_by_one()
    {
        var log = LogWith(5);
        var buffer = new byte[256];
        var replica = LogWith(4);
        var writer = new StateWriter(buffer);
        log.WriteRecord(4, writer); // already present: ignored
        log.WriteRecord(5, writer);
        var reader = new StateReader(buffer, 0, writer.Position);
        Assert.True(replica.ReadRecord(reader));
        Assert.True(replica.ReadRecord(reader));
        Assert.Equal(6L, replica.NextSeq);
        Assert.Equal(50L, replica.TimeMs(5));
    }
}
