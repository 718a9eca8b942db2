using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>Debouncing, the watchdog deadline, step confirmation and the reset-cause marker.</summary>
public class SmallLogicTests
{
    [Fact]
    public void Debouncer_changes_only_after_the_level_holds_for_the_whole_time()
    {
        var d = new Debouncer(50_000, initial: false);
        Assert.False(d.Update(true, 0));
        Assert.False(d.Update(true, 49_999));
        Assert.True(d.Update(true, 50_000));
        Assert.True(d.Update(false, 60_000));   // a glitch low...
        Assert.True(d.Update(true, 70_000));    // ...that did not last
        Assert.True(d.Update(false, 80_000));
        Assert.True(d.Update(false, 129_999));
        Assert.False(d.Update(false, 130_000));
    }

    [Fact]
    public void Debouncer_bounce_restarts_the_count()
    {
        var d = new Debouncer(50_000, initial: false);
        d.Update(true, 0);
        d.Update(false, 30_000);
        d.Update(true, 40_000);
        Assert.False(d.Update(true, 89_999));
        Assert.True(d.Update(true, 90_000));
        Assert.True(new Debouncer(0, false).Update(true, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Debouncer(-1, false));
    }

    [Fact]
    public void Watchdog_is_overdue_only_after_the_timeout_since_the_last_feed()
    {
        var w = new WatchdogDeadline(4_000_000, nowMicros: 1_000);
        Assert.False(w.IsOverdue(4_001_000));
        Assert.True(w.IsOverdue(4_001_001));
        w.Feed(4_000_000);
        Assert.False(w.IsOverdue(8_000_000));
        Assert.True(w.IsOverdue(8_000_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WatchdogDeadline(0, 0));
    }

    [Fact]
    public void Steps_emitted_during_a_fault_are_never_confirmed()
    {
        var c = new StepConfirmation();
        Assert.Equal(10, c.Observe(10, faultAsserted: false));
        Assert.Equal(10, c.Observe(25, faultAsserted: true));   // 15 lost
        Assert.Equal(15, c.LostSteps);
        Assert.Equal(13, c.Observe(28, faultAsserted: false));  // counting resumes from 10
        Assert.Equal(13, c.Observe(20, faultAsserted: false));  // a smaller total changes nothing
        Assert.Equal(14, c.Observe(29, faultAsserted: false));
    }

    [Fact]
    public void Reset_cause_marker_round_trips_and_is_cleared()
    {
        using var folder = new TempFolder();
        var fs = new HostFileSystem();
        var path = Path.Combine(folder.Path, "reset.cause");
        Assert.Equal(ResetCause.Power, ResetCauseMarker.ReadAndClear(fs, path));
        ResetCauseMarker.Write(fs, path, ResetCause.Watchdog);
        Assert.Equal(ResetCause.Watchdog, ResetCauseMarker.ReadAndClear(fs, path));
        Assert.Equal(ResetCause.Power, ResetCauseMarker.ReadAndClear(fs, path));
        ResetCauseMarker.Write(fs, path, ResetCause.Software);
        Assert.Equal(ResetCause.Software, ResetCauseMarker.ReadAndClear(fs, path));
        File.WriteAllBytes(path, new byte[] { 77 });
        Assert.Equal(ResetCause.Power, ResetCauseMarker.ReadAndClear(fs, path));
        File.WriteAllBytes(path, new byte[] { 1, 1 });
        Assert.Equal(ResetCause.Power, ResetCauseMarker.ReadAndClear(fs, path));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(1_000_000, 1_000_000, 50_000, 0)]          // due now
    [InlineData(1_000_000, 999_000, 50_000, 0)]            // overdue
    [InlineData(1_000_000, 1_000_001, 50_000, 0)]          // 1 µs away: yield and poll
    [InlineData(1_000_000, 1_009_999, 50_000, 0)]          // less than a 10 ms tick: yield and poll
    [InlineData(1_000_000, 1_010_000, 50_000, 10)]         // one whole tick fits
    [InlineData(1_000_000, 1_029_999, 50_000, 20)]         // two ticks, never past the wake
    [InlineData(1_000_000, 2_000_000, 50_000, 50)]         // capped at the input poll period
    [InlineData(1_000_000, long.MaxValue, 50_000, 50)]     // nothing scheduled: no overflow
    [InlineData(long.MaxValue - 10, long.MaxValue, 50_000, 0)]
    public void Main_loop_sleeps_whole_ticks_that_end_before_the_next_wake(long now, long wake, long max, int expectedMillis)
    {
        Assert.Equal(expectedMillis, MainLoopTiming.SleepMillis(now, wake, max));
    }
}
