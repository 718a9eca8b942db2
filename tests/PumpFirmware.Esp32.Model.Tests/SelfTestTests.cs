using System.Linq;
using PumpFirmware.Esp32.NativeModel;
using PumpFirmware.Hal.Esp32;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>SELFTEST, the bench bring-up's measurements, on the model.</summary>
public class SelfTestTests
{
    [Fact]
    public void On_a_correctly_wired_stepper_rig_every_measurement_passes_and_nothing_moves()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        rig.Loop(3);
        string reply = rig.Send("SELFTEST");
        Assert.StartsWith("OK enable_idle=HIGH fault=QUIET step_loop=40/40 flash_block=63/63 flash_us=", reply);
        Assert.EndsWith("rtc=UNKNOWN occlusion=0 battery_low=0", reply);
        Assert.Equal(0, NativeBoard.DriverSteps);
        Assert.False(rig.PowerStageOnAtPads);
    }

    [Fact]
    public void Without_the_STEP_SENSE_jumper_the_loop_counts_nothing_and_an_asserted_fault_line_shows()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        NativeBoard.WireJumper(-1, -1);
        NativeBoard.DriveExternally(PinMap.StepperFaultGpio, false);
        rig.Loop(3);
        string reply = rig.Send("SELFTEST");
        Assert.Contains("fault=ASSERTED step_loop=0/40 flash_block=0/63", reply);
    }

    [Fact]
    public void Refused_while_the_pump_runs()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        rig.Programmed(start: true);
        Assert.StartsWith("ERR 409", rig.Send("SELFTEST"));
    }

    [Fact]
    public void With_an_RTC_it_reports_the_seconds()
    {
        using var rig = new ModelRig(Build.StepperLedc, start: false, hasRtc: true);
        NativeBoard.FitRtc(700_000_000, oscillatorStopped: false);
        rig.Start();
        rig.Loop(3);
        string reply = rig.Send("SELFTEST");
        Assert.Contains("step_loop=40/40", reply);
        Assert.Contains("rtc=7000000", reply);
    }

    [Fact]
    public void The_DC_build_reports_the_encoder_at_rest()
    {
        using var rig = new ModelRig(Build.DcHead);
        rig.Loop(3);
        Assert.StartsWith("OK enable_idle=N/A fault=NONE encoder=0 rtc=UNKNOWN", rig.Send("SELFTEST"));
    }
}
