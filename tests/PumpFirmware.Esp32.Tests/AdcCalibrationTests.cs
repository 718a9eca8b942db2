using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>Raw ESP32 ADC counts to terminal millivolts (hal/Esp32/Logic/AdcCalibration), hand-computed.</summary>
public class AdcCalibrationTests
{
    [Theory]
    // The line through (1000, 1500 mV) and (3000, 4500 mV): 1.5 mV per count.
    [InlineData(1000, 1, 1500)]
    [InlineData(3000, 1, 4500)]
    [InlineData(2000, 1, 3000)]
    [InlineData(1, 1, 2)]          // 1500 - 999 x 1.5 = 1.5, rounded to 2
    [InlineData(8001, 8, 1500)]    // the average 1000.125 counts: 1500.19 mV
    [InlineData(8004, 8, 1501)]    // 1000.5 counts: 1500.75 mV, rounded to the nearest
    public void Counts_convert_on_the_two_point_line_rounded_to_the_nearest(long rawSum, int samples, int expected)
    {
        var line = new AdcCalibration(1000, 1500, 3000, 4500);
        Assert.True(line.TryConvert(rawSum, samples, out int mv));
        Assert.Equal(expected, mv);
    }

    [Fact]
    public void A_line_that_goes_below_zero_gives_no_reading()
    {
        var line = new AdcCalibration(1000, 100, 2000, 2100); // 2 mV per count: raw 900 is -100 mV
        Assert.False(line.TryConvert(900, 1, out int mv));
        Assert.Equal(0, mv);
        Assert.False(line.TryConvert(1000, 0, out _));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(4094, true)]
    [InlineData(4095, false)]
    [InlineData(-1, false)]
    public void Counts_at_the_ends_of_the_scale_are_clipped_and_out_of_range(int raw, bool inRange)
    {
        Assert.Equal(inRange, AdcCalibration.InRange(raw));
    }

    [Fact]
    public void The_nominal_divider_line_doubles_the_pin_voltage_for_the_battery_divider()
    {
        var line = AdcCalibration.FromDivider(Esp32Settings.BatteryDividerTopOhms, Esp32Settings.BatteryDividerBottomOhms,
            Esp32Settings.AdcNominalOffsetMillivolts, Esp32Settings.AdcNominalFullScaleMillivolts);
        // Count 2048 is 3100 x 2048 / 4095 = 1550.4 mV at the pin, 3100.8 mV at the battery.
        Assert.True(line.TryConvert(2048, 1, out int mv));
        Assert.InRange(mv, 3099, 3102);
    }

    [Theory]
    [InlineData(0, 1000, 1, 1)]
    [InlineData(4095, 1000, 4096, 1)]
    [InlineData(2000, 1000, 2000, 1)]
    [InlineData(2001, 1000, 2000, 1)]
    public void A_calibration_with_counts_outside_the_scale_or_in_the_wrong_order_is_refused(int rawLow, int mvLow, int rawHigh, int mvHigh)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdcCalibration(rawLow, mvLow, rawHigh, mvHigh));
    }

    [Fact]
    public void Both_analog_inputs_are_on_adc1_pins_in_both_builds()
    {
        Assert.Equal(3, AdcCalibration.Adc1ChannelOf(PinMap.BatteryVoltageGpio));
        Assert.Equal(0, AdcCalibration.Adc1ChannelOf(PinMap.PressureGpio));
        Assert.Equal(6, AdcCalibration.Adc1ChannelOf(PinMap.DcPressureGpio));
    }
}
