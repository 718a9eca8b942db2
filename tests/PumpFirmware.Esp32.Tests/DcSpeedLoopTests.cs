using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The DC head's speed loop against a simulated gearmotor with encoder, updated every
/// 10 ms like the device's HighResTimer (Esp32Settings.DcLoopPeriodMicros).</summary>
public class DcSpeedLoopTests
{
    private const int PeriodMicros = Esp32Settings.DcLoopPeriodMicros;

    // 2000 counts/s at full duty → 500 permille per 1000 counts/s, the board default feedforward.
    private static SimulatedDcMotor Motor() => new(countsPerSecondAtFullDuty: 2000, tauSeconds: 0.05, brakeTauSeconds: 0.005);

    private static DcSpeedLoop BoardLoop() => new(
        Esp32Settings.DcFeedforwardPermillePerKiloCps,
        Esp32Settings.DcKpPermillePerCount,
        Esp32Settings.DcKiPermillePerCountSecond,
        Esp32Settings.DcMaxDutyPermille);

    /// <summary>Drives the motor continuously at one count every intervalMicros, block after block,
    /// and returns the encoder count at each whole second, plus the totals.</summary>
    private static (List<long> CountAtSecond, long Issued, long Counted, int Credit) RunContinuous(
        DcSpeedLoop loop, SimulatedDcMotor motor, int intervalMicros, int seconds, Action<int, SimulatedDcMotor>? perSecond = null)
    {
        var counts = new List<long>();
        long now = 0;
        long issued = 0;
        int duty = 0;
        long end = seconds * 1_000_000L;
        while (now < end)
        {
            if (now % 1_000_000 == 0)
            {
                counts.Add(motor.Count);
                perSecond?.Invoke((int)(now / 1_000_000), motor);
            }

            // Like the application: the next block is issued as soon as the previous one is done.
            duty = loop.Update(motor.Count, now);
            if (!loop.IsRunning)
            {
                Assert.True(loop.TryStart(64, intervalMicros, motor.Count, now));
                issued += 64;
                duty = loop.Update(motor.Count, now);
            }

            Assert.InRange(duty, 0, 1000);
            motor.Run(duty, PeriodMicros / 1e6);
            now += PeriodMicros;
        }

        counts.Add(motor.Count);
        return (counts, issued, motor.Count, loop.CreditCounts);
    }

    [Theory]
    [InlineData(4000)]   // 250 counts/s
    [InlineData(2000)]   // 500 counts/s
    [InlineData(1000)]   // 1000 counts/s
    public void Holds_the_commanded_count_rate(int intervalMicros)
    {
        var (perSecond, _, _, _) = RunContinuous(BoardLoop(), Motor(), intervalMicros, seconds: 12);
        long commandedPerSecond = 1_000_000 / intervalMicros;

        // After 2 s of settling, every 1 s window is within 2 % of the commanded rate.
        for (int s = 2; s < 12; s++)
        {
            long inWindow = perSecond[s + 1] - perSecond[s];
            Assert.InRange(inWindow, commandedPerSecond * 98 / 100, commandedPerSecond * 102 / 100);
        }
    }

    [Fact]
    public void The_integral_term_recovers_the_rate_after_a_load_step()
    {
        // At 6 s the tubing gets stiffer: 30 % of full speed lost to load.
        var (perSecond, _, _, _) = RunContinuous(BoardLoop(), Motor(), 2000, seconds: 14,
            (second, motor) => motor.LoadCountsPerSecond = second >= 6 ? 600 : 0);
        for (int s = 9; s < 14; s++)
        {
            long inWindow = perSecond[s + 1] - perSecond[s];
            Assert.InRange(inWindow, 490, 510);
        }
    }

    [Fact]
    public void Without_the_integral_term_the_same_load_step_loses_rate()
    {
        // Shows the test above measures something: proportional + feedforward alone lag behind.
        var loop = new DcSpeedLoop(Esp32Settings.DcFeedforwardPermillePerKiloCps, 1, 0, 1000);
        var (perSecond, _, _, _) = RunContinuous(loop, Motor(), 2000, seconds: 14,
            (second, motor) => motor.LoadCountsPerSecond = second >= 6 ? 600 : 0);
        long lateWindow = perSecond[13] - perSecond[12];
        Assert.True(lateWindow < 490, $"expected a lagging rate, got {lateWindow}");
    }

    [Fact]
    public void Totals_stay_exact_block_after_block_with_inertia_credited()
    {
        var loop = BoardLoop();
        var motor = Motor();
        var (_, issued, _, _) = RunContinuous(loop, motor, 2000, seconds: 10);

        // Let the last block finish and the motor stop.
        long now = 10_000_000;
        while (loop.IsRunning)
        {
            motor.Run(loop.Update(motor.Count, now), PeriodMicros / 1e6);
            now += PeriodMicros;
        }

        motor.Run(0, 0.2);
        loop.ObserveIdle(motor.Count);
        Assert.Equal(issued + loop.CreditCounts, motor.Count);
        // What the simulated rotor coasts after the last stop (about 500 counts/s into a 5 ms brake).
        Assert.InRange(loop.CreditCounts, 0, 10);
    }

    [Fact]
    public void A_single_block_ends_when_the_encoder_reaches_its_count_and_then_brakes()
    {
        var loop = BoardLoop();
        var motor = Motor();
        Assert.True(loop.TryStart(50, 2000, motor.Count, 0));
        long now = 0;
        while (loop.IsRunning && now < 2_000_000)
        {
            motor.Run(loop.Update(motor.Count, now), PeriodMicros / 1e6);
            now += PeriodMicros;
        }

        Assert.False(loop.IsRunning);
        Assert.True(motor.Count >= 50);
        Assert.Equal(0, loop.DutyPermille);

        // The ramp asks for 50 counts by 100 ms; lag from the motor's time constant is bounded.
        Assert.InRange(now, 100_000, 200_000);
        motor.Run(0, 0.1);
        loop.ObserveIdle(motor.Count);
        Assert.Equal(50 + loop.CreditCounts, motor.Count);
    }

    [Fact]
    public void A_jammed_head_saturates_at_full_duty_and_counts_nothing()
    {
        // Stall: the core sees commanded counts go unconfirmed (the encoder is the feedback).
        var loop = BoardLoop();
        var motor = Motor();
        motor.LoadCountsPerSecond = 5000;
        Assert.True(loop.TryStart(64, 2000, 0, 0));
        long now = 0;
        for (int i = 0; i < 100; i++)
        {
            motor.Run(loop.Update(motor.Count, now), PeriodMicros / 1e6);
            now += PeriodMicros;
        }

        Assert.Equal(0, motor.Count);
        Assert.Equal(1000, loop.DutyPermille);
        Assert.Equal(64, loop.PendingCounts(motor.Count));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1999, 0)]
    [InlineData(2000, 1)]
    [InlineData(19_999, 9)]
    [InlineData(20_000, 10)]
    [InlineData(1_000_000, 10)]  // capped at the block
    public void Reference_ramp_is_one_count_per_interval(long elapsed, long expected)
    {
        var loop = BoardLoop();
        Assert.True(loop.TryStart(10, 2000, 0, 1_000));
        Assert.Equal(expected, loop.ReferenceCounts(1_000 + elapsed));
    }

    [Fact]
    public void Feedforward_alone_is_the_calibrated_duty_for_the_rate()
    {
        // 500 permille per 1000 counts/s at 500 counts/s = 250 permille, with no error yet.
        var loop = new DcSpeedLoop(500, 0, 0, 1000);
        Assert.True(loop.TryStart(10, 2000, 0, 0));
        Assert.Equal(250, loop.Update(0, 0));
    }

    [Fact]
    public void Credit_covers_a_small_next_block_and_abort_clears_everything()
    {
        var loop = new DcSpeedLoop(500, 40, 200, 1000);
        Assert.True(loop.TryStart(5, 2000, 0, 0));
        Assert.Equal(0, loop.Update(8, 10_000));     // 3 counts of coasting past the target
        Assert.Equal(3, loop.CreditCounts);
        Assert.True(loop.TryStart(2, 2000, 8, 20_000));
        Assert.False(loop.IsRunning);
        Assert.Equal(1, loop.CreditCounts);
        Assert.True(loop.TryStart(10, 2000, 8, 20_000));
        Assert.False(loop.TryStart(10, 2000, 8, 20_000)); // busy
        loop.Abort();
        Assert.False(loop.IsRunning);
        Assert.Equal(0, loop.CreditCounts);
        Assert.Equal(0, loop.Update(100, 30_000));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcSpeedLoop(-1, 0, 0, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcSpeedLoop(0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcSpeedLoop(0, 0, 0, 1001));
        var loop = BoardLoop();
        Assert.False(loop.TryStart(0, 2000, 0, 0));
        Assert.False(loop.TryStart(5, 0, 0, 0));
        Assert.False(loop.IsRunning);
    }

    [Fact]
    public void A_jammed_head_gives_its_block_up_after_the_stall_timeout_and_never_makes_it_up()
    {
        var loop = new DcSpeedLoop(500, 40, 200, 1000, stallTimeoutMicros: 300_000, holdMicros: 0);
        Assert.True(loop.TryStart(64, 2000, countNow: 0, nowMicros: 0));
        Assert.True(loop.Update(3, 100_000) > 0);          // 3 counts, then nothing more
        Assert.True(loop.Update(3, 399_999) > 0);          // 299.999 ms without a count
        Assert.Equal(0, loop.Update(3, 400_000));          // 300 ms: given up
        Assert.False(loop.IsRunning);
        Assert.Equal(0, loop.PendingCounts(3));
        Assert.Equal(61, loop.AbandonedCounts);

        // The next block asks for its own counts only, not the 61 dropped ones.
        Assert.True(loop.TryStart(4, 2000, 3, 500_000));
        Assert.Equal(4, loop.PendingCounts(3));
    }

    [Fact]
    public void Between_blocks_the_last_duty_is_held_for_the_hold_time_then_released()
    {
        var loop = new DcSpeedLoop(500, 0, 0, 1000, stallTimeoutMicros: 300_000, holdMicros: 30_000);
        Assert.True(loop.TryStart(4, 2000, 0, 0));
        Assert.Equal(250, loop.Update(0, 0));
        Assert.Equal(250, loop.Update(4, 10_000));         // block done: feedforward held
        Assert.False(loop.IsRunning);
        Assert.Equal(250, loop.Update(6, 39_999));
        Assert.Equal(0, loop.Update(7, 40_000));           // hold over
        Assert.True(loop.TryStart(4, 2000, 7, 50_000));    // 3 counts coasted past: 1 left
        Assert.Equal(1, loop.PendingCounts(7));
        loop.Abort();
        Assert.Equal(0, loop.Update(7, 50_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcSpeedLoop(500, 0, 0, 1000, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcSpeedLoop(500, 0, 0, 1000, 1, -1));
    }

    [Fact]
    public void Coasted_counts_are_confirmed_only_as_blocks_command_them()
    {
        var loop = BoardLoop();
        Assert.True(loop.TryStart(4, 2000, 0, 0));
        Assert.Equal(0, loop.Update(7, 10_000));      // 3 counts past the block
        Assert.Equal(4, loop.ConfirmedCounts(7));     // not a surplus: credit for the next block
        Assert.True(loop.TryStart(4, 2000, 7, 20_000));
        Assert.Equal(7, loop.ConfirmedCounts(7));
        loop.Abort();
        Assert.Equal(7, loop.ConfirmedCounts(5));     // never decreases
        Assert.Equal(9, loop.ConfirmedCounts(9));     // unsynced after an abort: the encoder as is
    }
}
