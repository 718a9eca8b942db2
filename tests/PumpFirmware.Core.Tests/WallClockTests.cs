using PumpFirmware.Therapy;

namespace PumpFirmware.Core.Tests;

/// <summary>The wall clock (docs/ARCHITECTURE.md "Time"): unix time is the timeline plus the offset TIME sets; before
/// TIME there is none (unix 0, the time of day is the timeline's); every set or restore is counted, so that a reader
/// that derived something from it knows to derive it again.</summary>
public class WallClockTests
{
    private const long Jan1Unix = 1_767_225_600;   // 2026-01-01 00:00 UTC

    [Fact]
    public void Before_TIME_unix_time_is_0_and_the_time_of_day_is_the_timelines()
    {
        var clock = new WallClock();
        Assert.False(clock.IsSet);
        Assert.Equal(0, clock.OffsetMicros);
        Assert.Equal(0, clock.UnixSeconds(5 * Rig.Day + 3 * Rig.Hour));
        Assert.Equal(3 * Rig.Hour, clock.MicrosOfDay(5 * Rig.Day + 3 * Rig.Hour));
    }

    [Fact]
    public void TIME_makes_the_clock_read_the_given_second_at_that_instant_and_it_runs_on_with_the_timeline()
    {
        var clock = new WallClock();
        clock.Set(Jan1Unix + 7 * 3600, 2 * Rig.Hour);                   // 07:00 at timeline 2 h
        Assert.True(clock.IsSet);
        Assert.Equal((Jan1Unix + 5 * 3600) * 1_000_000, clock.OffsetMicros);
        Assert.Equal(Jan1Unix + 7 * 3600, clock.UnixSeconds(2 * Rig.Hour));
        Assert.Equal(Jan1Unix + 7 * 3600, clock.UnixSeconds(2 * Rig.Hour + 999_999));   // whole seconds, rounded down
        Assert.Equal(Jan1Unix + 26 * 3600, clock.UnixSeconds(21 * Rig.Hour));
        Assert.Equal(2 * Rig.Hour, clock.MicrosOfDay(21 * Rig.Hour));   // 02:00 the next day
    }

    [Fact]
    public void A_time_of_day_before_the_timelines_start_is_still_within_the_day()
    {
        var clock = new WallClock();
        clock.Set(3600, 3 * Rig.Hour);                                  // offset -2 h: timeline 0 is 22:00 the day before
        Assert.Equal(22 * Rig.Hour, clock.MicrosOfDay(0));
    }

    [Fact]
    public void Restore_puts_back_a_stored_clock_and_an_unset_one_has_no_offset()
    {
        var clock = new WallClock();
        clock.Restore(true, Jan1Unix * 1_000_000);
        Assert.Equal(Jan1Unix + 1, clock.UnixSeconds(Rig.Second));
        clock.Restore(false, 12345);
        Assert.False(clock.IsSet);
        Assert.Equal(0, clock.OffsetMicros);
        Assert.Equal(0, clock.UnixSeconds(Rig.Day));
    }

    [Fact]
    public void Every_set_and_restore_is_counted_even_one_that_changes_nothing()
    {
        var clock = new WallClock();
        int before = clock.Changes;
        clock.Set(Jan1Unix, 0);
        clock.Set(Jan1Unix, 0);
        clock.Restore(true, clock.OffsetMicros);
        Assert.Equal(before + 3, clock.Changes);
    }
}
