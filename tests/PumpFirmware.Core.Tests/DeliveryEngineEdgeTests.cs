using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The delivery engine on its own, with numbers small enough to follow by hand (added to kill
/// surviving mutants, see docs/TESTING-EVIDENCE.md). Rates are Q32 steps per day: one step is
/// 2^32 = 4,294,967,296 sub-steps; a day is 86,400,000,000 µs.
/// </summary>
public class DeliveryEngineEdgeTests
{
    private const long One = DeliveryEngine.OneStepQ32;

    private static DeliveryEngine At(long rate, long start = 0)
    {
        var e = new DeliveryEngine();
        e.SetRate(rate, start);
        e.Restart(start);
        return e;
    }

    [Fact]
    public void Rate_zero_never_wakes()
    {
        var e = At(0);
        Assert.Equal(long.MaxValue, e.NextMicros);
        Assert.False(e.NextIsStep);
        e.SetRate(-5, 0);                       // a negative rate is taken as 0
        Assert.Equal(0, e.RateQ32PerDay);
        Assert.Equal(long.MaxValue, e.NextMicros);
    }

    [Fact]
    public void Two_steps_a_day_fall_at_12_00_and_24_00_then_the_day_re_anchors()
    {
        var e = At(2 * One);
        Assert.True(e.NextIsStep);
        Assert.Equal(Day / 2, e.NextMicros);    // need 1 step = half the day's 2
        e.ConsumeStep();
        Assert.True(e.NextIsStep);
        Assert.Equal(Day, e.NextMicros);        // need 2 steps = the whole day's
        e.ConsumeStep();
        Assert.False(e.NextIsStep);             // the 3rd step is more than a day's rate away
        Assert.Equal(Day, e.NextMicros);
        e.Reanchor(Day);
        Assert.Equal(Day, e.AnchorMicros);
        Assert.Equal(0, e.AnchorFractionQ32);   // exactly 2 steps accrued, 2 consumed
        Assert.Equal(Day + Day / 2, e.NextMicros);
    }

    [Fact]
    public void Exactly_one_step_a_day_is_due_at_the_end_of_the_day()
    {
        var e = At(One);
        Assert.True(e.NextIsStep);              // need == rate: still a step, not a re-anchor
        Assert.Equal(Day, e.NextMicros);
    }

    [Fact]
    public void Just_under_one_step_a_day_re_anchors_first_then_the_step_is_21_us_later()
    {
        var e = At(One - 1);
        Assert.False(e.NextIsStep);
        Assert.Equal(Day, e.NextMicros);
        e.Reanchor(Day);
        // Accrued One - 1 sub-steps; 1 more needed at One - 1 per day: ceil(86,400,000,000 / 4,294,967,295) = 21 µs.
        Assert.Equal(One - 1, e.AnchorFractionQ32);
        Assert.True(e.NextIsStep);
        Assert.Equal(Day + 21, e.NextMicros);
    }

    [Fact]
    public void A_re_anchor_over_two_and_a_half_days_carries_every_day_and_owes_the_steps_now()
    {
        var e = At(2 * One);
        e.ConsumeStep();                        // the 12:00 step
        e.Reanchor(2 * Day + Day / 2);
        // Accrued 5 steps (2.5 days x 2), consumed 1: 4 steps owed, due at once.
        Assert.Equal(4 * One, e.AnchorFractionQ32);
        Assert.True(e.NextIsStep);
        Assert.Equal(2 * Day + Day / 2, e.NextMicros);
    }

    [Fact]
    public void A_re_anchor_never_moves_back()
    {
        var e = At(2 * One, start: 10 * Hour);
        e.Reanchor(5 * Hour);
        Assert.Equal(10 * Hour, e.AnchorMicros);
        Assert.Equal(0, e.AnchorFractionQ32);
        Assert.Equal(10 * Hour + Day / 2, e.NextMicros);
    }

    [Fact]
    public void The_same_rate_within_a_day_keeps_the_anchor_and_a_day_later_re_anchors()
    {
        var e = At(2 * One);
        e.SetRate(2 * One, 6 * Hour);
        Assert.Equal(0, e.AnchorMicros);
        e.SetRate(2 * One, Day);
        Assert.Equal(Day, e.AnchorMicros);
        Assert.Equal(2 * One, e.AnchorFractionQ32);   // both of the day's steps accrued, none consumed
        Assert.True(e.NextIsStep);
        Assert.Equal(Day, e.NextMicros);                  // owed now
    }

    [Fact]
    public void A_rate_change_carries_the_fraction_rounded_up()
    {
        var e = At(2 * One);
        e.SetRate(4 * One, Day / 4);            // a quarter day at 2/day: half a step accrued
        Assert.Equal(Day / 4, e.AnchorMicros);
        Assert.Equal(One / 2, e.AnchorFractionQ32);
        // Half a step more at 4/day: an eighth of a day.
        Assert.Equal(Day / 4 + Day / 8, e.NextMicros);
        // 1 sub-step over 3 µs of a day's rate rounds up to 1.
        var f = At(3);
        f.SetRate(One, 1);
        Assert.Equal(1, f.AnchorFractionQ32);
    }

    [Fact]
    public void A_calibration_scales_the_carried_fraction_rounded_up()
    {
        var e = At(2 * One);
        e.ScalePosition(3, 2, Day / 4);         // half a step accrued, x 3/2
        Assert.Equal(3 * One / 4, e.AnchorFractionQ32);
        Assert.Equal(Day / 4, e.AnchorMicros);
        Assert.Equal(Day / 4 + Day / 8, e.NextMicros);   // a quarter step at 2/day
        var f = At(One);
        f.ScalePosition(1, 3, 1);               // ceil(ceil(2^32 / 86.4e9) / 3) = ceil(1 / 3) = 1
        Assert.Equal(1, f.AnchorFractionQ32);
    }

    [Fact]
    public void Save_and_load_restore_the_schedule()
    {
        var e = At(2 * One);
        e.ConsumeStep();
        var writer = new StateWriter(new byte[64]);
        e.Save(writer);
        Assert.Equal(32, writer.Position);
        var back = new DeliveryEngine();
        Assert.True(back.Load(new StateReader(writer.Buffer, 0, writer.Position)));
        Assert.Equal(2 * One, back.RateQ32PerDay);
        Assert.Equal(0, back.AnchorMicros);
        Assert.Equal(-One, back.AnchorFractionQ32);   // one step consumed against nothing carried
        Assert.Equal(Day, back.NextMicros);
        Assert.True(back.NextIsStep);
    }

    [Fact]
    public void A_loaded_fraction_ahead_of_the_consumed_steps_is_due_at_the_anchor()
    {
        var writer = new StateWriter(new byte[64]);
        writer.WriteLong(7 * Hour);   // anchor
        writer.WriteLong(2 * One);    // rate
        writer.WriteLong(3 * One);    // fraction: 3 steps accrued
        writer.WriteLong(1);          // 1 consumed: 2 owed
        var e = new DeliveryEngine();
        Assert.True(e.Load(new StateReader(writer.Buffer, 0, writer.Position)));
        Assert.True(e.NextIsStep);
        Assert.Equal(7 * Hour, e.NextMicros);
        // need == 0 exactly is due at the anchor too.
        writer.Reset();
        writer.WriteLong(7 * Hour);
        writer.WriteLong(2 * One);
        writer.WriteLong(2 * One);
        writer.WriteLong(1);
        Assert.True(e.Load(new StateReader(writer.Buffer, 0, writer.Position)));
        Assert.Equal(7 * Hour, e.NextMicros);
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(0, 0, -1)]
    public void A_bad_stored_engine_is_refused_and_changes_nothing(long rate, long fraction, long consumed)
    {
        var e = At(2 * One, start: Hour);
        var writer = new StateWriter(new byte[64]);
        writer.WriteLong(0);
        writer.WriteLong(rate);
        writer.WriteLong(fraction);
        writer.WriteLong(consumed);
        var reader = new StateReader(writer.Buffer, 0, writer.Position);
        Assert.False(e.Load(reader));
        Assert.True(reader.Failed);
        Assert.Equal(2 * One, e.RateQ32PerDay);
        Assert.Equal(Hour, e.AnchorMicros);
        Assert.Equal(Hour + Day / 2, e.NextMicros);
        Assert.False(e.Load(new StateReader(writer.Buffer, 0, 24)));   // truncated
    }
}
