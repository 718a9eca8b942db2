using PumpFirmware.Esp32.NativeModel;
using PumpFirmware.Hal.Esp32;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>The optional DS3231 off-time clock on the model's I2C bus.</summary>
public class RtcTests
{
    private static Esp32Ds3231OffTimeClock Fresh()
    {
        return new Esp32Ds3231OffTimeClock(PinMap.RtcSdaGpio, PinMap.RtcSclGpio);
    }

    [Theory]
    [InlineData(2000, 1, 1, 0L)]
    [InlineData(2000, 3, 1, 60L)]
    [InlineData(2024, 2, 29, 8825L)]
    [InlineData(2099, 12, 31, 36524L)]
    public void Days_since_2000_are_counted_on_the_Gregorian_calendar(int year, int month, int day, long days)
    {
        Assert.Equal(days, Esp32Ds3231OffTimeClock.DaysSince2000(year, month, day));
    }

    [Fact]
    public void A_running_module_gives_its_count_in_seconds_and_it_advances_with_time()
    {
        NativeBoard.Reset();
        NativeBoard.FitRtc(800_000_000, oscillatorStopped: false);
        var clock = Fresh();
        Assert.True(clock.TryReadSeconds(out long first));
        Assert.Equal(800_000_000, first);
        NativeBoard.Advance(90_000_000);
        Assert.True(clock.TryReadSeconds(out long later));
        Assert.Equal(800_000_090, later);
    }

    [Fact]
    public void Without_a_module_the_off_time_is_unknown_and_nothing_throws()
    {
        NativeBoard.Reset();
        var clock = Fresh();
        Assert.False(clock.TryReadSeconds(out long seconds));
        Assert.Equal(0, seconds);
        Assert.Equal("absent or bus fault", clock.State);
    }

    [Fact]
    public void A_stopped_oscillator_means_unknown_for_this_boot_and_a_fresh_count_from_the_next()
    {
        NativeBoard.Reset();
        NativeBoard.FitRtc(123_456_789, oscillatorStopped: true);
        var clock = Fresh();
        Assert.False(clock.TryReadSeconds(out _));
        Assert.False(NativeBoard.RtcOscillatorStopFlag());
        NativeBoard.Advance(5_000_000);
        Assert.False(clock.TryReadSeconds(out _)); // still this boot
        var nextBoot = Fresh();
        Assert.True(nextBoot.TryReadSeconds(out long seconds));
        Assert.InRange(seconds, 4, 6);
    }

    [Fact]
    public void A_hung_bus_costs_one_second_once_then_the_clock_is_not_asked_again()
    {
        NativeBoard.Reset();
        NativeBoard.FitRtc(1000, oscillatorStopped: false);
        NativeBoard.JamI2c();
        var clock = Fresh();
        long t0 = NativeBoard.NowMicros;
        Assert.False(clock.TryReadSeconds(out _));
        Assert.Equal(1_000_000, NativeBoard.NowMicros - t0);
        Assert.False(clock.TryReadSeconds(out _));
        Assert.Equal(1_000_000, NativeBoard.NowMicros - t0);
    }

    [Fact]
    public void The_stepper_build_with_an_RTC_boots_and_runs()
    {
        using var rig = new ModelRig(Build.StepperRmt, start: false, hasRtc: true);
        NativeBoard.FitRtc(700_000_000, oscillatorStopped: false);
        rig.Start();
        rig.Loop(20);
        Assert.StartsWith("!BOOT", rig.Lines[0]);
    }
}
