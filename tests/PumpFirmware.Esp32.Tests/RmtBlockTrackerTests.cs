using CsCheck;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The RMT generator's bookkeeping: emitted, pending, block ends and aborts.</summary>
public class RmtBlockTrackerTests
{
    private static RmtBlockTracker Tracker() => new(new RmtStepBlockEncoder(5, 5));

    [Fact]
    public void A_block_of_three_at_500us_from_start_to_end()
    {
        var t = Tracker();
        Assert.True(t.Start(3, 500, nowMicros: 10_000));
        Assert.False(t.Start(1, 500, 10_000));          // one block at a time
        Assert.Equal(3, t.PendingSteps(10_000));
        Assert.Equal(1, t.EmittedSteps(10_000));          // the first pulse rises at once
        Assert.Equal(2, t.PendingSteps(10_010));          // first pulse and low time over
        Assert.Equal(3, t.EmittedSteps(11_000));
        Assert.Equal(1, t.PendingSteps(11_010));          // the last waits a whole interval
        t.Update(11_400, channelIdle: true);
        Assert.True(t.IsActive);
        t.Update(11_500, channelIdle: true);              // 3 × 500 µs after the start
        Assert.False(t.IsActive);
        Assert.Equal(0, t.PendingSteps(11_500));
        Assert.Equal(3, t.EmittedSteps(99_999));
    }

    [Fact]
    public void A_busy_channel_keeps_the_block_active_even_when_its_time_is_up()
    {
        var t = Tracker();
        t.Start(2, 500, 0);
        t.Update(5_000, channelIdle: false);
        Assert.True(t.IsActive);
        Assert.Equal(0, t.PendingSteps(5_000));
        t.Update(5_001, channelIdle: true);
        Assert.False(t.IsActive);
    }

    [Fact]
    public void Abort_keeps_the_pulses_already_started_and_drops_the_rest()
    {
        var t = Tracker();
        t.Start(10, 1000, 0);
        t.Abort(3_500);                                   // pulses at 0, 1000, 2000, 3000 started
        Assert.False(t.IsActive);
        Assert.Equal(4, t.EmittedSteps(10_000));
        Assert.Equal(0, t.PendingSteps(10_000));
        Assert.True(t.Start(1, 1000, 10_000));
        Assert.Equal(5, t.EmittedSteps(10_000));
    }

    [Fact]
    public void Invalid_blocks_are_refused()
    {
        var t = Tracker();
        Assert.False(t.Start(0, 500, 0));
        Assert.False(t.Start(3, 9, 0));
        Assert.False(t.IsActive);
        Assert.Throws<ArgumentNullException>(() => new RmtBlockTracker(null!));
    }

    [Fact]
    public void Blocks_issued_whenever_nothing_is_pending_keep_every_step_one_interval_apart()
    {
        // Like the application: poll at random times, issue the next block when nothing is pending.
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Int[1, 8]).Sample((seed, blockSteps) =>
        {
            var random = new Random(seed);
            var t = Tracker();
            const int interval = 500;
            long now = 0;
            long issued = 0;
            var rises = new List<long>();
            for (int poll = 0; poll < 400; poll++)
            {
                now += random.Next(1, 700);
                t.Update(now, channelIdle: true);
                if (t.PendingSteps(now) == 0 && !t.IsActive)
                {
                    Assert.True(t.Start(blockSteps, interval, now));
                    for (int k = 0; k < blockSteps; k++) rises.Add(now + (long)k * interval);
                    issued += blockSteps;
                }

                Assert.InRange(t.EmittedSteps(now), issued - blockSteps, issued);
            }

            for (int i = 1; i < rises.Count; i++)
            {
                Assert.True(rises[i] - rises[i - 1] >= interval, $"steps {i - 1} and {i} only {rises[i] - rises[i - 1]} µs apart");
            }

            t.Update(now + 1_000_000, channelIdle: true);
            Assert.Equal(issued, t.EmittedSteps(now + 1_000_000));
        }, iter: 100);
    }
}
