using CsCheck;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The LEDC+PCNT stop logic against a simulated PWM pin counted by a simulated PCNT.</summary>
public class PwmPcntStopControllerTests
{
    /// <summary>An LEDC output: a rising edge when started, then one per period; a frequency change
    /// takes effect from the last edge. The PCNT count is the number of edges so far.</summary>
    private sealed class SimulatedPwmWithCounter
    {
        private long _nextEdgeMicros = long.MaxValue;
        private long _lastEdgeMicros;
        private int _frequencyHz;

        public long Count { get; private set; }

        public void AdvanceTo(long nowMicros)
        {
            while (_frequencyHz > 0 && _nextEdgeMicros <= nowMicros)
            {
                Count++;
                _lastEdgeMicros = _nextEdgeMicros;
                _nextEdgeMicros += 1_000_000 / _frequencyHz;
            }
        }

        public void Apply(int frequencyHz, long nowMicros)
        {
            if (frequencyHz == _frequencyHz)
            {
                return;
            }

            if (frequencyHz == 0)
            {
                _nextEdgeMicros = long.MaxValue;
            }
            else if (_frequencyHz == 0)
            {
                _nextEdgeMicros = nowMicros; // starts with a rising edge
            }
            else
            {
                _nextEdgeMicros = Math.Max(nowMicros, _lastEdgeMicros + (1_000_000 / frequencyHz));
            }

            _frequencyHz = frequencyHz;
        }
    }

    /// <summary>Runs blocks back to back; polls at random gaps up to maxGap µs. Returns (commanded, counted, final credit, max credit).</summary>
    private static (long Commanded, long Counted, int Credit, int MaxCredit) Run(int promisedLatency, int maxGap, int blocks, int seed)
    {
        var random = new Random(seed);
        var controller = new PwmPcntStopController(promisedLatency);
        var pwm = new SimulatedPwmWithCounter();
        long now = 0;
        long commanded = 0;
        int maxCredit = 0;
        for (int b = 0; b < blocks; b++)
        {
            int steps = random.Next(1, 65);
            int interval = random.Next(500, 5000);
            Assert.True(controller.TryStart(steps, interval, pwm.Count));
            commanded += steps;
            pwm.Apply(controller.FrequencyHz, now);
            int guard = 0;
            while (controller.IsRunning)
            {
                now += random.Next(1, maxGap + 1);
                pwm.AdvanceTo(now);
                pwm.Apply(controller.Poll(pwm.Count), now);
                Assert.True(++guard < 1_000_000, "block never ended");
            }

            maxCredit = Math.Max(maxCredit, controller.CreditSteps);
            now += random.Next(0, 20_000);
            pwm.AdvanceTo(now);
        }

        return (commanded, pwm.Count, controller.CreditSteps, maxCredit);
    }

    [Fact]
    public void Within_the_promised_poll_latency_every_block_stops_at_exactly_its_count()
    {
        Gen.Int[0, 1_000_000].Sample(seed =>
        {
            var (commanded, counted, credit, maxCredit) = Run(promisedLatency: 20_000, maxGap: 20_000, blocks: 30, seed);
            Assert.Equal(0, maxCredit);
            Assert.Equal(commanded, counted);
            Assert.Equal(0, credit);
        }, iter: 40);
    }

    [Fact]
    public void Late_polls_overshoot_but_the_credit_keeps_the_total_exact()
    {
        Gen.Int[0, 1_000_000].Sample(seed =>
        {
            // Polls up to 5× later than promised: steps run past the target...
            var (commanded, counted, credit, _) = Run(promisedLatency: 4_000, maxGap: 20_000, blocks: 30, seed);

            // ...and every extra step is owed back: counted = commanded + credit still outstanding.
            Assert.Equal(commanded + credit, counted);
        }, iter: 40);
    }

    [Fact]
    public void Late_polls_really_do_overshoot_in_this_simulation()
    {
        // Guards the test above against passing vacuously.
        var any = Enumerable.Range(0, 20).Select(seed => Run(4_000, 20_000, 30, seed).MaxCredit).Max();
        Assert.True(any > 0);
    }

    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(500, 2000)]
    [InlineData(3, 333_333)]
    [InlineData(1_000_000, 1)]
    [InlineData(1_000_001, 0)]   // slower than 1 Hz: LEDC is not used
    [InlineData(0, 0)]
    public void Bulk_frequency_is_rounded_down_so_steps_are_never_early(int interval, int expectedHz)
    {
        Assert.Equal(expectedHz, PwmPcntStopController.BulkFrequencyFor(interval));
    }

    [Fact]
    public void Approach_phase_runs_at_one_step_per_promised_latency()
    {
        var controller = new PwmPcntStopController(20_000);
        Assert.Equal(50, controller.ApproachFrequencyFor(500));      // 2000 Hz bulk → 50 Hz approach
        Assert.Equal(10, controller.ApproachFrequencyFor(100_000));  // bulk 10 Hz is already slower
    }

    [Fact]
    public void A_block_switches_to_approach_near_its_end_and_stops_at_its_target()
    {
        var controller = new PwmPcntStopController(20_000);
        Assert.True(controller.TryStart(100, 500, countNow: 1000));
        Assert.Equal(1100, controller.TargetCount);
        Assert.Equal(2000, controller.FrequencyHz);
        // 2000 Hz × 20 ms = 40 steps per latency, +1: approach when 41 or fewer remain.
        Assert.Equal(2000, controller.Poll(1058));   // 42 remain
        Assert.Equal(50, controller.Poll(1059));     // 41 remain
        Assert.Equal(1, controller.PendingSteps(1099));
        Assert.Equal(0, controller.Poll(1100));
        Assert.False(controller.IsRunning);
        Assert.Equal(0, controller.CreditSteps);
    }

    [Fact]
    public void Overshoot_is_credited_and_taken_off_the_next_block()
    {
        var controller = new PwmPcntStopController(20_000);
        Assert.True(controller.TryStart(10, 1000, 0));
        Assert.Equal(0, controller.Poll(13));         // 3 too many
        Assert.Equal(3, controller.CreditSteps);
        Assert.True(controller.TryStart(2, 1000, 13)); // fully covered by credit: nothing runs
        Assert.False(controller.IsRunning);
        Assert.Equal(1, controller.CreditSteps);
        Assert.True(controller.TryStart(5, 1000, 13)); // 5 - 1 credit = 4 to emit
        Assert.Equal(17, controller.TargetCount);
        Assert.Equal(0, controller.CreditSteps);
    }

    [Fact]
    public void Bad_or_overlapping_blocks_are_refused_and_change_nothing()
    {
        var controller = new PwmPcntStopController(20_000);
        Assert.False(controller.TryStart(0, 1000, 0));
        Assert.False(controller.TryStart(5, 0, 0));
        Assert.False(controller.TryStart(2, 2_000_000, 0)); // several steps slower than 1 Hz
        Assert.True(controller.TryStart(1, 2_000_000, 0));  // a single step may be slow
        Assert.False(controller.TryStart(5, 1000, 0));      // still running
        Assert.Equal(1, controller.TargetCount);
        controller.Abort();
        Assert.False(controller.IsRunning);
        Assert.Equal(0, controller.Poll(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PwmPcntStopController(999));
    }

    [Fact]
    public void An_overshoot_is_reported_only_as_later_blocks_command_it()
    {
        var controller = new PwmPcntStopController(20_000);
        Assert.True(controller.TryStart(10, 1000, 0));
        Assert.Equal(0, controller.Poll(13));
        Assert.Equal(10, controller.ReportableCount(13));
        Assert.True(controller.TryStart(2, 1000, 13));   // covered by the credit
        Assert.Equal(12, controller.ReportableCount(13));
        Assert.True(controller.TryStart(5, 1000, 13));
        Assert.Equal(17, controller.CommandedCount);
        Assert.Equal(13, controller.ReportableCount(13));
    }
}
