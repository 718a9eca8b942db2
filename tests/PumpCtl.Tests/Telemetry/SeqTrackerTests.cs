// Lost-line detection from seq, with the device reset (seq back to 1) told apart from a loss.
using PumpCtl.Telemetry;
using Xunit;

namespace PumpCtl.Tests.Telemetry;

public class SeqTrackerTests
{
    [Theory]
    // sequence received        lost  gaps  restarts
    [InlineData("1 2 3 4", 0, 0, 0)]
    [InlineData("5 6 7", 0, 0, 0)]           // a log may start mid-sequence: nothing lost before the first
    [InlineData("1 2 5 6", 2, 1, 0)]         // 3 and 4 lost
    [InlineData("1 3 5", 2, 2, 0)]
    [InlineData("1 2 3 1 2", 0, 0, 1)]       // a reset restarts seq at 1: no loss
    [InlineData("1 2 3 3 4", 0, 0, 0)]       // a repeated line is a duplicate: neither a loss nor a restart
    [InlineData("8 9 10 4 5", 3, 1, 1)]      // restart seen at 4: 1-3 of the new run are lost
    [InlineData("1 100", 98, 1, 0)]
    public void Counts_lost_lines(string received, long lost, long gaps, long restarts)
    {
        var tracker = new SeqTracker();
        foreach (string s in received.Split(' '))
        {
            tracker.Observe(long.Parse(s));
        }
        Assert.Equal(lost, tracker.Lost);
        Assert.Equal(gaps, tracker.Gaps);
        Assert.Equal(restarts, tracker.Restarts);
    }

    [Fact]
    public void Observe_returns_the_loss_just_before_the_line_and_names_the_gap()
    {
        var tracker = new SeqTracker();
        Assert.Equal(0, tracker.Observe(1));
        Assert.Equal(3, tracker.Observe(5));
        Assert.Equal(0, tracker.Observe(6));
        Assert.Equal(new[] { "seq 2-4 (3 lost)" }, tracker.RecentGaps);
    }

    [Fact]
    public void Memory_stays_bounded_over_many_gaps()
    {
        var tracker = new SeqTracker();
        for (long s = 1; s < 200_000; s += 2)
        {
            tracker.Observe(s);
        }
        Assert.Equal(99_999, tracker.Gaps);
        Assert.Equal(SeqTracker.RecentCapacity, tracker.RecentGaps.Count);
    }
}
