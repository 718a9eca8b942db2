using System;
using System.Device.Adc;
using PumpFirmware.Energy;
using PumpFirmware.Esp32.NativeModel;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>The ADC inputs on the model of nanoFramework's ESP32 ADC natives (ModelAdc.cs cites the upstream lines):
/// channel numbering, raw counts converted by the board's calibration, clipped and failed conversions as "no reading",
/// and the battery-powered device start-up reading its battery through BATTERY_V.</summary>
public class AdcTests
{
    // The model board: count 0 at 75 mV, 4095 at 3100 mV at the pin. A calibration measured on it: the battery input's
    // divider halves the terminal voltage, so terminal 3000 mV is 1500 mV at the pin: (1500 - 75) x 4095 / 3025 = 1929.
    private static AdcCalibration MeasuredBatteryLine() => new(Raw(1500), 3000, Raw(1800), 3600);

    private static int Raw(int pinMillivolts) => (pinMillivolts - 75) * 4095 / 3025;

    [Fact]
    public void Adc1_channels_are_numbered_as_nanoframework_numbers_them_and_adc2_pins_are_refused()
    {
        Assert.Equal(0, AdcCalibration.Adc1ChannelOf(36));
        Assert.Equal(3, AdcCalibration.Adc1ChannelOf(39));
        Assert.Equal(4, AdcCalibration.Adc1ChannelOf(32));
        Assert.Equal(6, AdcCalibration.Adc1ChannelOf(34));
        Assert.Equal(7, AdcCalibration.Adc1ChannelOf(35));
        Assert.Equal(-1, AdcCalibration.Adc1ChannelOf(25)); // ADC2
        Assert.Equal(-1, AdcCalibration.Adc1ChannelOf(4));  // ADC2
        NativeBoard.Reset();
        var adc = new AdcController();
        Assert.Throws<ArgumentException>(() => new Esp32AdcInput(adc, 25, MeasuredBatteryLine()));
        Assert.Throws<ArgumentException>(() => adc.OpenChannel(20));
    }

    [Fact]
    public void A_reading_averages_conversions_and_reports_the_terminal_voltage()
    {
        NativeBoard.Reset();
        var input = new Esp32AdcInput(new AdcController(), PinMap.BatteryVoltageGpio, MeasuredBatteryLine());
        NativeBoard.SetAnalogMillivolts(PinMap.BatteryVoltageGpio, 1650); // a 3.3 V battery
        Assert.True(input.TryReadMillivolts(out int mv));
        Assert.InRange(mv, 3298, 3302);
        Assert.Contains("AdcController.OpenChannel 3", NativeBoard.Calls);
        int conversions = 0;
        foreach (string call in NativeBoard.Calls) if (call.StartsWith("AdcChannel.ReadValue 3 ", StringComparison.Ordinal)) conversions++;
        Assert.Equal(Esp32AdcInput.SamplesPerReading, conversions);
    }

    [Theory]
    [InlineData(0)]     // below the ADC's range: count 0, clipped
    [InlineData(50)]
    [InlineData(3300)]  // above full scale: count 4095, clipped
    public void A_clipped_conversion_is_no_reading_never_a_voltage(int pinMillivolts)
    {
        NativeBoard.Reset();
        var input = new Esp32AdcInput(new AdcController(), PinMap.BatteryVoltageGpio, MeasuredBatteryLine());
        NativeBoard.SetAnalogMillivolts(PinMap.BatteryVoltageGpio, pinMillivolts);
        Assert.False(input.TryReadMillivolts(out int mv));
        Assert.Equal(0, mv);
    }

    [Fact]
    public void An_adc2_channel_fails_while_wifi_runs_and_a_disposed_channel_throws()
    {
        NativeBoard.Reset();
        var adc = new AdcController();
        AdcChannel adc2 = adc.OpenChannel(18); // GPIO25
        NativeBoard.WifiStarted = true;
        Assert.Throws<InvalidOperationException>(() => adc2.ReadValue());
        AdcChannel ch = adc.OpenChannel(3);
        ch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ch.ReadValue());
        Assert.Equal(4095, adc.MaxValue);
        Assert.Equal(12, adc.ResolutionInBits);
        Assert.Equal(20, adc.ChannelCount);
    }

    [Fact]
    public void A_battery_powered_rig_reads_its_battery_through_battery_v_and_reports_it_in_batt()
    {
        using var rig = new ModelRig(Build.StepperRmt, start: false)
        {
            Battery = BatteryProfile.SynchroMedClass(),
            BatteryCalibration = MeasuredBatteryLine(),
            PressureCalibration = AdcCalibration.FromDivider(10_000, 10_000, 75, 3100),
        };
        NativeBoard.SetAnalogMillivolts(PinMap.BatteryVoltageGpio, 1800); // 3.6 V: a fresh cell
        NativeBoard.SetAnalogMillivolts(PinMap.PressureGpio, 500);
        rig.Start();
        string batt = rig.Send("BATT?");
        Assert.StartsWith("OK source=BATTERY remaining_mah=", batt);
        Assert.Contains(" adc=OK ", batt);
        int mv = int.Parse(batt.Split(" voltage_mv=")[1].Split(' ')[0]);
        Assert.InRange(mv, 3598, 3602);
        Assert.NotNull(rig.App.Hardware.Pressure);
        Assert.True(rig.App.Hardware.Pressure.TryReadMillivolts(out int pressureMv));
        Assert.InRange(pressureMv, 990, 1010);
        Assert.Contains("BATTERY", rig.Send("CAPS?"));
    }

    [Fact]
    public void A_mains_powered_rig_opens_no_adc_channel()
    {
        using var rig = new ModelRig(Build.DcHead);
        Assert.Equal("OK source=MAINS", rig.Send("BATT?"));
        Assert.DoesNotContain(NativeBoard.Calls, c => c.StartsWith("Adc", StringComparison.Ordinal));
        Assert.Null(rig.App.Hardware.BatteryVoltage);
    }
}
