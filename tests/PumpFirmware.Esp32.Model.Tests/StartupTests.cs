using System.Linq;
using PumpFirmware.Esp32.NativeModel;
using PumpFirmware.Hal.Esp32;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>The device's whole start-up (DeviceRuntime.Start, what Program.Main runs before its
/// loop) and thousands of main-loop passes, on the model of nanoFramework's native layer.</summary>
public class StartupTests
{
    [Theory]
    [InlineData(Build.StepperRmt)]
    [InlineData(Build.StepperLedc)]
    [InlineData(Build.DcHead)]
    public void Start_up_completes_and_the_first_line_is_BOOT(Build build)
    {
        using var rig = new ModelRig(build);
        rig.Loop(5);
        Assert.StartsWith("!BOOT fw=1.0.0 reset=POWER state=STOPPED", rig.Lines.First());
        Assert.False(rig.PowerStageOnAtPads);
        Assert.Equal(0, NativeBoard.RebootRequests);
    }

    [Theory]
    [InlineData(Build.StepperRmt)]
    [InlineData(Build.StepperLedc)]
    public void The_stepper_ENABLE_pad_is_never_low_from_reset_to_the_first_Poll(Build build)
    {
        using var rig = new ModelRig(build);
        Assert.All(NativeBoard.LevelHistory(PinMap.StepperEnableGpio), change => Assert.True(change.High, $"ENABLE low at {change.Micros} µs"));
        Assert.Equal(0, NativeBoard.DriverSteps);
        Assert.Equal(0, NativeBoard.PulsesWhileDisabled);
    }

    [Fact]
    public void The_DC_standby_pad_is_never_high_from_reset_to_the_first_Poll()
    {
        using var rig = new ModelRig(Build.DcHead);
        Assert.All(NativeBoard.LevelHistory(PinMap.DcStandbyGpio), change => Assert.False(change.High, $"STBY high at {change.Micros} µs"));
        Assert.Equal(0, NativeBoard.DcEncoderCounts);
    }

    [Theory]
    [InlineData(Build.StepperRmt)]
    [InlineData(Build.StepperLedc)]
    public void Thousands_of_passes_of_a_basal_program_move_the_motor_exactly_the_counted_steps(Build build)
    {
        using var rig = new ModelRig(build);
        rig.Programmed(start: true, rateUgPerDay: "20000");
        long before = rig.StatusSteps();
        long driverBefore = NativeBoard.DriverSteps;
        rig.Loop(5000);
        Assert.StartsWith("OK", rig.Send("STOP"));
        rig.Run(30);
        long counted = rig.StatusSteps() - before;
        Assert.True(counted > 50, $"only {counted} steps counted");
        long moved = NativeBoard.DriverSteps - driverBefore;
        Assert.InRange(moved, counted - 1, counted); // the LEDC path may owe one step to credit
        Assert.False(rig.PowerStageOnAtPads);
        Assert.Equal(0, NativeBoard.RebootRequests);
    }

    [Fact]
    public void A_prime_at_the_board_maximum_moves_the_stepper_exactly_the_counted_steps()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        rig.Programmed(start: false);
        long before = rig.StatusSteps();
        Assert.StartsWith("OK", rig.Send("PRIME 20"));
        rig.Run(10);
        long counted = rig.StatusSteps() - before;
        Assert.True(counted > 500, $"prime counted only {counted} steps");
        Assert.Equal(counted, NativeBoard.DriverSteps);
        Assert.False(rig.PowerStageOnAtPads);
    }

    [Fact]
    public void The_DC_head_primes_and_its_encoder_counts_what_the_pump_counted()
    {
        using var rig = new ModelRig(Build.DcHead);
        rig.Programmed(start: false);
        long before = rig.StatusSteps();
        long encoderBefore = NativeBoard.DcEncoderCounts;
        Assert.StartsWith("OK", rig.Send("PRIME 20"));
        rig.Run(20);
        long counted = rig.StatusSteps() - before;
        Assert.True(counted > 500, $"prime counted only {counted} counts");
        long turned = NativeBoard.DcEncoderCounts - encoderBefore;
        Assert.InRange(turned, counted, counted + 20); // coasting past the last block is credit
        Assert.DoesNotContain(rig.Lines, l => l.Contains("STALL"));
        Assert.False(rig.PowerStageOnAtPads);
    }

    [Fact]
    public void A_driver_fault_disables_the_driver_and_raises_STALL()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        rig.Programmed(start: false);
        Assert.StartsWith("OK", rig.Send("PRIME 20"));
        rig.Run(0.5);
        Assert.True(NativeBoard.DriverSteps > 100);
        NativeBoard.DriveExternally(PinMap.StepperFaultGpio, false); // DRV8825 nFAULT asserted
        rig.Run(1);
        Assert.Contains(rig.Lines, l => l.StartsWith("!ALARM code=STALL state=RAISED"));
        Assert.False(rig.PowerStageOnAtPads);
        long after = NativeBoard.DriverSteps;
        rig.Run(1);
        Assert.Equal(after, NativeBoard.DriverSteps);
        Assert.Equal(0, NativeBoard.RebootRequests);
    }

    [Fact]
    public void Thousands_of_passes_of_a_basal_program_turn_the_DC_head_the_counted_counts()
    {
        using var rig = new ModelRig(Build.DcHead);
        Assert.Equal(0, NativeBoard.DcEncoderCounts); // a fresh board: the totals below start at 0
        rig.Programmed(start: true, rateUgPerDay: "20000");
        long before = rig.StatusSteps();
        rig.Loop(5000);
        Assert.StartsWith("OK", rig.Send("STOP"));
        rig.Run(1);
        long counted = rig.StatusSteps() - before;
        Assert.True(counted > 20, $"only {counted} counts");
        // Totals since the board was reset, not differences: when `before` is read the head may be coasting a count
        // or two past what was issued (credit the next block takes up), so a difference could read low by that much.
        Assert.InRange(NativeBoard.DcEncoderCounts, rig.StatusSteps(), rig.StatusSteps() + 20);
        Assert.DoesNotContain(rig.Lines, l => l.Contains("STALL"));
        Assert.False(rig.PowerStageOnAtPads);
        Assert.Equal(0.0, NativeBoard.PwmHardwareDuty(PinMap.DcPwmGpio));
    }

    [Fact]
    public void A_jammed_DC_head_raises_STALL_and_drops_the_bridge_to_standby()
    {
        using var rig = new ModelRig(Build.DcHead);
        rig.Programmed(start: false);
        Assert.StartsWith("OK", rig.Send("PRIME 20"));
        rig.Run(0.3);
        NativeBoard.JamDcHead(true);
        rig.Run(2);
        Assert.Contains(rig.Lines, l => l.StartsWith("!ALARM code=STALL state=RAISED"));
        Assert.False(rig.PowerStageOnAtPads);
        Assert.Equal(0.0, NativeBoard.PwmHardwareDuty(PinMap.DcPwmGpio));
        Assert.Equal(0, NativeBoard.RebootRequests);
    }
}
