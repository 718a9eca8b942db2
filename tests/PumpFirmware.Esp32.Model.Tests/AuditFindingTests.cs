using System;
using System.Device.Gpio;
using System.Linq;
using System.Text;
using PumpFirmware.Esp32.NativeModel;
using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>One test per finding of the ESP32 audit (issue 12), each on the native model and each
/// seen to fail against the adapters before their fix (docs/DEVICE.md, "What the model proves").</summary>
public class AuditFindingTests
{
    /// <summary>A clock for adapters built directly in a test.</summary>
    private sealed class BoardClock : IMonotonicClock
    {
        public long NowMicros => NativeBoard.NowMicros;
    }

    private sealed class QuietLine : IDigitalInput
    {
        public bool IsAsserted => false;
    }

    // ---- 1. Write before SetPinMode throws; output mode drives low first --------------------

    [Fact]
    public void Finding1_the_stepper_driver_opens_without_writing_an_input_and_never_pulls_ENABLE_low_until_enabled()
    {
        NativeBoard.Reset();
        NativeBoard.WireStepperDriver(PinMap.StepperStepGpio, PinMap.StepperEnableGpio, enablePullUp: true);
        NativeBoard.PowerOn();
        var driver = new Esp32StepperDriver(new GpioController(), PinMap.StepperEnableGpio, PinMap.StepperDirGpio, null);
        driver.Disable();
        driver.Disable();
        Assert.All(NativeBoard.LevelHistory(PinMap.StepperEnableGpio), c => Assert.True(c.High));
        Assert.True(driver.EnableLineReadsHigh);
        driver.Enable();
        Assert.False(NativeBoard.LevelNow(PinMap.StepperEnableGpio));
        driver.Disable();
        Assert.True(NativeBoard.LevelNow(PinMap.StepperEnableGpio));
    }

    [Fact]
    public void Finding1_without_the_ENABLE_pull_up_the_released_line_reads_low_and_the_self_check_says_so()
    {
        NativeBoard.Reset();
        NativeBoard.WireStepperDriver(PinMap.StepperStepGpio, PinMap.StepperEnableGpio, enablePullUp: false);
        NativeBoard.PowerOn();
        // GPIO27 does have an internal pull-up, so the model's line reads high; on the carriers the
        // EN pull-down fights it: the bring-up measures the level (hardware/BRINGUP.md step 2).
        var driver = new Esp32StepperDriver(new GpioController(), PinMap.StepperEnableGpio, PinMap.StepperDirGpio, null);
        Assert.Equal(PinMode.InputPullUp, NativeBoard.ModeOf(PinMap.StepperEnableGpio));
        NativeBoard.DriveExternally(PinMap.StepperEnableGpio, false); // a carrier pull-down stronger than the internal pull-up
        Assert.False(driver.EnableLineReadsHigh);
    }

    // ---- 2. One isStarted flag for every PWM channel -----------------------------------------

    [Fact]
    public void Finding2_the_DC_head_follows_its_duty_while_the_buzzer_beeps_and_stops()
    {
        using var rig = new ModelRig(Build.DcHead);
        rig.Programmed(start: false);
        long before = rig.StatusSteps();
        long encoderBefore = NativeBoard.DcEncoderCounts;
        // An alarm tone, then silence: the buzzer's Stop() is the last PWM call before the prime.
        rig.App.Hardware.Buzzer.Set(2000, 500);
        rig.Loop(3);
        rig.App.Hardware.Buzzer.Stop();
        Assert.StartsWith("OK", rig.Send("PRIME 20"));
        rig.Run(20);
        long counted = rig.StatusSteps() - before;
        Assert.True(counted > 500, $"prime counted only {counted} counts");
        Assert.InRange(NativeBoard.DcEncoderCounts - encoderBefore, counted, counted + 20);
        Assert.DoesNotContain(rig.Lines, l => l.Contains("STALL"));
    }

    [Fact]
    public void Finding2_the_buzzer_changes_tone_and_falls_silent_after_the_LEDC_step_generator_has_stopped_a_block()
    {
        using var rig = new ModelRig(Build.StepperLedc);
        rig.Programmed(start: false);
        rig.App.Hardware.Buzzer.Set(2000, 500);
        rig.Loop(2);
        Assert.Equal(0.5, NativeBoard.PwmHardwareDuty(PinMap.BuzzerGpio));
        Assert.StartsWith("OK", rig.Send("PRIME 1"));
        rig.Run(5); // blocks start and stop the STEP channel
        Assert.True(NativeBoard.DriverSteps > 10);
        rig.App.Hardware.Buzzer.Set(1000, 500); // the tone changes while it sounds
        rig.Loop(2);
        Assert.Equal(1000, NativeBoard.PwmHardwareFrequency(PinMap.BuzzerGpio));
        rig.App.Hardware.Buzzer.Stop();
        rig.Loop(2);
        Assert.Equal(0.0, NativeBoard.PwmHardwareDuty(PinMap.BuzzerGpio));
    }

    // ---- 3. One buffer-size field, no TX buffer, a timed-out write keeps sending ---------------

    [Fact]
    public void Finding3_a_long_reply_and_the_lines_after_it_arrive_whole_with_valid_CRCs_and_no_write_holds_the_loop()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        rig.Programmed(start: false);
        Assert.StartsWith("OK", rig.Send("CRC ON"));
        int first = rig.Lines.Count;
        foreach (var request in new[] { "PROG:REVIEW", "STATUS?", "LOG? 0 100", "STATUS?", "PROG:REVIEW" })
        {
            byte[] bytes = Encoding.ASCII.GetBytes(request);
            NativeBoard.UartHostSend(request + "*" + Crc16.Update(Crc16.Initial, bytes, 0, bytes.Length).ToString("X4") + "\n");
        }

        rig.Run(8);
        var lines = rig.Lines.Skip(first).ToList();
        Assert.True(lines.Count(l => l.StartsWith("OK")) >= 5, "replies: " + string.Join("\n", lines) + "\nwire tail: " + NativeBoard.UartHostReceived()[^300..]);
        foreach (var line in lines)
        {
            int star = line.LastIndexOf('*');
            Assert.True(star > 0, "no CRC on: " + line);
            byte[] body = Encoding.ASCII.GetBytes(line[..star]);
            int crc = Crc16.Update(Crc16.Initial, body, 0, body.Length);
            Assert.True(crc.ToString("X4") == line[(star + 1)..], "corrupt line: " + line);
        }

        Assert.True(NativeBoard.UartLongestWriteMicros <= 1000, $"a serial write held the main loop {NativeBoard.UartLongestWriteMicros} µs");
        Assert.InRange(NativeBoard.UartRxRingBytes, 129, 4096);
    }

    // ---- 4. IsChannelIdle is "idle output enabled"; completion by time, from the real start ----

    [Fact]
    public void Finding4_a_block_stays_pending_until_its_last_pulse_when_SendData_reaches_the_RMT_late()
    {
        using var rig = new ModelRig(Build.StepperRmt);
        rig.Programmed(start: false);
        long before = rig.StatusSteps();
        NativeBoard.RmtDispatchDelayMicros = 3000; // a GC pause between the clock read and SendData
        Assert.StartsWith("OK", rig.Send("PRIME 10"));
        rig.Run(10);
        NativeBoard.RmtDispatchDelayMicros = 0;
        long counted = rig.StatusSteps() - before;
        Assert.True(counted > 200, $"prime counted only {counted} steps");
        Assert.Equal(0, NativeBoard.PulsesWhileDisabled);
        Assert.Equal(counted, NativeBoard.DriverSteps);
    }

    // ---- 5. Refill from a non-IRAM ISR: a block beyond the channel memory replays stale items -

    [Fact]
    public void Finding5_the_largest_block_the_RMT_generator_accepts_survives_a_flash_write_without_extra_pulses()
    {
        NativeBoard.Reset();
        NativeBoard.WireStepperDriver(PinMap.StepperStepGpio, PinMap.StepperEnableGpio, enablePullUp: true);
        NativeBoard.PowerOn();
        NativeBoard.DriveExternally(PinMap.StepperEnableGpio, false); // driver held enabled by the test
        var generator = new Esp32RmtStepGenerator(PinMap.StepperStepGpio, new BoardClock(), null);
        var files = new Esp32LittleFsFileSystem();
        int steps = generator.MaxBlockSteps;
        int interval = 1_000_000 / Esp32Settings.MaxStepsPerSecond;
        Assert.True(generator.TryIssue(steps, interval));
        NativeBoard.Advance(3 * interval);
        files.WriteNew("I:\\journal.bin", new byte[4096], 0, 4096); // a journal write with a sector erase
        NativeBoard.Advance(((long)steps * interval) + 100_000);
        Assert.Equal(0, NativeBoard.RmtStaleReplays);
        Assert.Equal(steps, NativeBoard.DriverSteps);
        Assert.Equal(steps, generator.ConfirmedSteps);
    }

    // ---- 6. Dispose does not stop the transmitter ----------------------------------------------

    [Fact]
    public void Finding6_after_an_abort_no_step_pulse_reaches_an_enabled_driver_that_the_generator_did_not_count()
    {
        NativeBoard.Reset();
        NativeBoard.WireStepperDriver(PinMap.StepperStepGpio, PinMap.StepperEnableGpio, enablePullUp: true);
        NativeBoard.PowerOn();
        var gpio = new GpioController();
        var driver = new Esp32StepperDriver(gpio, PinMap.StepperEnableGpio, PinMap.StepperDirGpio, null);
        var generator = new Esp32RmtStepGenerator(PinMap.StepperStepGpio, new BoardClock(), null);
        if ((object)generator is IStepOutputInterlock interlock)
        {
            driver.SetInterlock(interlock);
        }

        driver.Enable();
        Assert.True(generator.TryIssue(30, 2000)); // 60 ms of pulses
        NativeBoard.Advance(10_000);

        // The fault path: disable, abort; then the application retries at once (ACK + START).
        driver.Disable();
        generator.Abort();
        Assert.Equal(0, generator.PendingSteps);
        long issuedAfter = 0;
        for (int i = 0; i < 200; i++)
        {
            if (issuedAfter == 0)
            {
                driver.Enable();
                if (driver.IsEnabled && generator.TryIssue(8, 2000))
                {
                    issuedAfter = 8;
                }
            }

            NativeBoard.Advance(1000);
        }

        Assert.Equal(8, issuedAfter);
        driver.Disable();
        NativeBoard.Advance(100_000);
        Assert.Equal(generator.ConfirmedSteps, NativeBoard.DriverSteps);
    }
}
