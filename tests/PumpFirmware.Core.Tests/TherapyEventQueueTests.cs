using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>The controller's outbox: a fixed ring that drops (and counts) the oldest event when full.</summary>
public class TherapyEventQueueTests
{
    private static TherapyEvent Take(TherapyEventQueue q)
    {
        var e = new TherapyEvent();
        Assert.True(q.TryTake(e));
        return e;
    }

    [Fact]
    public void Events_come_out_oldest_first_with_every_field()
    {
        var q = new TherapyEventQueue(3);
        Assert.Equal(0, q.Count);
        Assert.False(q.TryTake(new TherapyEvent()));
        q.Push(TherapyEventKind.AlarmRaised, 10, AlarmCode.Stall, 7, 8);
        q.Push(TherapyEventKind.AlarmCleared, 20, AlarmCode.Stall, 0, 0);
        Assert.Equal(2, q.Count);
        var e = Take(q);
        Assert.Equal((TherapyEventKind.AlarmRaised, 10L, AlarmCode.Stall, 7L, 8L), (e.Kind, e.TimelineMicros, e.Code, e.Value1, e.Value2));
        Assert.Equal(1, q.Count);
        Assert.Equal(20, Take(q).TimelineMicros);
        Assert.Equal(0, q.Count);
        Assert.Equal(0, q.Dropped);
    }

    [Fact]
    public void A_full_ring_drops_the_oldest_and_counts_it()
    {
        var q = new TherapyEventQueue(3);
        for (int i = 1; i <= 5; i++) q.Push(TherapyEventKind.Refilled, i, 0, i, 0);
        Assert.Equal(3, q.Count);          // capacity
        Assert.Equal(2, q.Dropped);        // events 1 and 2
        Assert.Equal(3, Take(q).TimelineMicros);
        Assert.Equal(4, Take(q).TimelineMicros);
        Assert.Equal(5, Take(q).TimelineMicros);
        Assert.False(q.TryTake(new TherapyEvent()));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void The_ring_wraps_many_times_without_losing_order()
    {
        // Interleaved pushes and takes move the head around a ring of 3 more than once; then it overflows mid-wrap.
        var q = new TherapyEventQueue(3);
        long next = 1, expected = 1;
        for (int round = 0; round < 7; round++)
        {
            q.Push(TherapyEventKind.Refilled, next++, 0, 0, 0);
            q.Push(TherapyEventKind.Refilled, next++, 0, 0, 0);
            Assert.Equal(expected++, Take(q).TimelineMicros);
            Assert.Equal(expected++, Take(q).TimelineMicros);
        }
        for (int i = 0; i < 4; i++) q.Push(TherapyEventKind.Refilled, next++, 0, 0, 0);   // 15..18: 15 dropped
        Assert.Equal(1, q.Dropped);
        Assert.Equal(16, Take(q).TimelineMicros);
        Assert.Equal(17, Take(q).TimelineMicros);
        Assert.Equal(18, Take(q).TimelineMicros);
        Assert.Equal(0, q.Count);
    }
}
