using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Storage;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>The application loop: steps and the driver, STALL, buzzer, resets, persistence seams, the extension hook.</summary>
public class ApplicationTests
{
    private static TestDevice Programmed(bool start = true)
    {
        var device = new TestDevice();
        foreach (string line in new[] { "AUTH 0000", "PROG:DRUG baclofen 500", "PROG:LIMIT 2000", "PROG:STEP 00:00 1000",
                     "PROG:PTM 10 5 60 4", "PROG:CATHETER 150" })
            Assert.StartsWith("OK", device.Status(line));
        string crc = device.Status("PROG:REVIEW").Substring(7, 4);
        Assert.StartsWith("OK", device.Status("PROG:COMMIT " + crc));
        Assert.StartsWith("OK", device.Status("REFILL 20000"));
        if (start) Assert.StartsWith("OK", device.Status("START"));
        device.Link.TakeLines();
        return device;
    }

    [Fact]
    public void The_driver_is_disabled_at_start_and_only_enabled_to_emit_steps()
    {
        var device = new TestDevice(boot: false);
        Assert.False(device.Driver.IsEnabled);
        device = Programmed();
        // 1000 ug/day at 500 ug/mL = 2 mL/day = 128000 steps/day: one step every 0.675 s.
        device.Advance(3600);
        Assert.True(device.Steps.Emitted > 5000);
        Assert.Equal(0, device.Steps.IssuedWhileDisabled);
        Assert.False(device.Driver.IsEnabled); // idle between steps
    }

    [Fact]
    public void A_stopping_alarm_disables_the_driver_and_no_step_follows()
    {
        var device = Programmed();
        device.Advance(60);
        device.Occlusion.IsAsserted = true;
        device.Advance(0.5);
        long emitted = device.Steps.Emitted;
        Assert.Contains("OCCLUSION", device.Status("ALARM?"));
        Assert.False(device.Driver.IsEnabled);
        device.Advance(3600);
        Assert.Equal(emitted, device.Steps.Emitted);
    }

    [Theory]
    [InlineData(false)] // basal: one step at a time
    [InlineData(true)]  // prime: blocks at the motor's maximum rate
    public void A_stall_is_seen_within_16_steps_of_its_onset(bool prime)
    {
        var device = Programmed(start: !prime);
        if (prime) Assert.Equal("OK", device.Status("PRIME 100"));
        device.Advance(prime ? 1 : 600);
        long onset = device.Steps.Emitted;
        Assert.True(onset > 0);
        device.Feedback.Stalled = true;
        string? raised = null;
        for (int i = 0; i < 100000 && raised == null; i++)
        {
            raised = device.Advance(0.001).FirstOrDefault(l => l.StartsWith("!ALARM code=STALL state=RAISED"));
        }
        Assert.NotNull(raised);
        long after = device.Steps.Emitted - onset;
        Assert.InRange(after, 1, 16);
        Assert.False(device.Driver.IsEnabled);
        // Every step the core counted was emitted, or dropped at the alarm (at most one block).
        Assert.Equal(device.App.Controller.TotalSteps, device.Steps.Emitted + device.App.DroppedSteps);
        Assert.InRange(device.App.DroppedSteps, 0, PumpFirmware.App.PumpApplication.StepBlockMax);
    }

    [Fact]
    public void A_stall_clears_after_ack_and_START_retries_the_motor()
    {
        var device = Programmed();
        device.Feedback.Stalled = true;
        device.Advance(600);
        Assert.Equal("OK alarms=STALL acked=NONE", device.Status("ALARM?"));
        Assert.Equal("OK session_s=600", device.Status("AUTH 0000"));
        Assert.Equal("OK", device.Status("ALARM:ACK STALL"));
        Assert.Equal("OK alarms=NONE acked=NONE", device.Status("ALARM?"));
        Assert.Equal("OK", device.Status("START"));
        var lines = device.Advance(600); // still stuck: STALL again
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=STALL state=RAISED"));
    }

    [Fact]
    public void The_buzzer_has_distinct_patterns_and_ack_silences_it()
    {
        var device = Programmed();
        device.LowBattery.IsAsserted = true;
        device.Advance(10);
        Assert.Contains("Set 1000 500", device.Buzzer.Calls);
        Assert.DoesNotContain("Set 2000 500", device.Buzzer.Calls);
        device.Occlusion.IsAsserted = true;
        device.Buzzer.Calls.Clear();
        device.Advance(1);
        Assert.Contains("Set 2000 500", device.Buzzer.Calls);
        Assert.Equal("OK", device.Status("ALARM:ACK OCCLUSION"));
        Assert.Equal("OK", device.Status("ALARM:ACK LOW_BATTERY"));
        device.Buzzer.Calls.Clear();
        for (int i = 0; i < 200; i++) device.Advance(0.05);
        Assert.DoesNotContain(device.Buzzer.Calls, c => c.StartsWith("Set"));
    }

    [Fact]
    public void A_reset_clears_session_staging_crc_mode_and_telemetry_and_restarts_seq()
    {
        var device = Programmed();
        Assert.Equal("OK", device.Status("TEL 1"));
        device.Advance(3);
        Assert.Equal("OK", device.Status("PROG:NEW"));
        Assert.Equal("OK", device.Status("PROG:DRUG x 1"));
        string crcOn = "CRC ON*" + Crc16.ToHex(Crc16.Compute("CRC ON"));
        Assert.StartsWith("OK*", device.Status(crcOn));

        device = device.PowerCycle(60);
        Assert.Equal(new[] { "!BOOT fw=1.0.0 reset=POWER state=RUNNING" }, device.Link.TakeLines());
        Assert.Empty(device.Advance(5));                                    // telemetry off
        Assert.Equal("ERR 403 auth required", device.Status("PROG:REVIEW")); // no session, no CRC needed
        Assert.Equal("OK session_s=600", device.Status("AUTH 0000"));
        Assert.Equal("ERR 409 program incomplete", device.Status("PROG:REVIEW")); // staging emptied
        Assert.Equal("OK", device.Status("TEL 1"));
        Assert.StartsWith("!TEL seq=1 ", device.Advance(1).Single());
    }

    [Fact]
    public void A_bolus_running_at_a_reset_ends_and_the_log_says_so_after_the_boot_record()
    {
        var device = Programmed();
        Assert.Equal("OK", device.Status("BOLUS 5 10"));
        device.Advance(60);
        device = device.PowerCycle(30);
        Assert.Contains(" bolus=NONE ", device.Status("STATUS?"));
        var log = device.Send("LOG? 0 100");
        int boot = log.FindLastIndex(l => l.Contains("type=BOOT"));
        Assert.Contains("type=BOLUS_END kind=CLINICIAN reason=RESET", log[boot + 1]);
    }

    [Fact]
    public void The_pin_lock_survives_a_power_cycle_and_off_time_counts()
    {
        var device = new TestDevice();
        for (int i = 0; i < 5; i++) device.Status("AUTH 1111");
        Assert.Equal("ERR 429 pin locked for_s=900", device.Status("AUTH 0000"));
        device = device.PowerCycle(300);
        // The test device's counter reads whole seconds: 300 s off count as 299, never more, so the lock is a
        // second longer rather than shorter.
        Assert.Equal("ERR 429 pin locked for_s=601", device.Status("AUTH 0000"));
        device = device.PowerCycle(602);
        Assert.Equal("OK session_s=600", device.Status("AUTH 0000"));
    }

    [Fact]
    public void Without_a_trustworthy_off_time_counter_the_lock_lasts_longer_never_shorter()
    {
        var device = new TestDevice();
        for (int i = 0; i < 5; i++) device.Status("AUTH 1111");
        device.Advance(100);
        device = device.PowerCycle(3600, offClockValid: false);
        // The timeline resumes where the last change left it (the fifth wrong PIN, at 0 s):
        // neither the 100 s on nor the hour off is counted.
        Assert.Equal("ERR 429 pin locked for_s=900", device.Status("AUTH 0000"));
    }

    [Fact]
    public void Stored_state_that_fails_its_checks_boots_into_CRITICAL_with_the_motor_disabled()
    {
        var device = Programmed();
        device.Advance(60);
        var buffer = new byte[PumpApplication.MaxStateBytes];
        var writer = new StateWriter(buffer);
        device.App.SaveState(writer);
        byte[] image = buffer[..writer.Position];
        image[image.Length / 2] ^= 0xFF;
        var broken = new TestDevice(boot: false);
        bool loaded = broken.App.LoadState(new StateReader(image[..^3], 0, image.Length - 3));
        Assert.False(loaded);
        broken.App.Boot(ResetCause.Power, 0);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=ALARM", broken.Link.TakeLines()[0]);
        Assert.Contains("alarms=CRITICAL", broken.Status("ALARM?"));
        broken.Advance(600);
        Assert.Equal(0, broken.Steps.Emitted);
        Assert.False(broken.Driver.IsEnabled);
    }

    [Fact]
    public void The_application_part_of_the_image_does_not_stamp_now()
    {
        // IPersistentState: an unchanged state must save the same bytes, so the timeline is the one
        // of the last change, not "now". (The controller's own part is the core's responsibility.)
        var device = Programmed(start: false);
        byte[] first = device.PersistentImage();
        device.Clock.NowMicros += 10_000_000;
        device.Status("STATUS?");
        byte[] second = device.PersistentImage();
        const int HeaderBytes = 4 + 8 + 1 + 8 + 4;
        Assert.Equal(first[..HeaderBytes], second[..HeaderBytes]);
        device.Status("AUTH 1234"); // a change: the header moves to the time of the change
        Assert.NotEqual(first[..HeaderBytes], device.PersistentImage()[..HeaderBytes]);
    }

    [Fact]
    public void The_log_keeps_the_newest_1024_and_an_old_from_seq_starts_at_the_oldest()
    {
        var device = Programmed(start: false);
        for (int i = 0; i < 1100; i++) Assert.StartsWith("ERR 409", device.Status("PTM"));
        long next = device.App.Log.NextSeq;
        var lines = device.Send("LOG? 0 2");
        Assert.StartsWith($"!LOG seq={next - 1024} ", lines[0]);
        Assert.Equal($"OK next_seq={next - 1022}", lines[^1]);
        Assert.Contains("type=PTM result=REFUSED err=409", lines[0]);
    }

    [Fact]
    public void The_watchdog_is_fed_every_poll()
    {
        var device = new TestDevice();
        long before = device.Watchdog.Feeds;
        for (int i = 0; i < 10; i++) device.App.Poll();
        Assert.Equal(before + 10, device.Watchdog.Feeds);
    }

    [Fact]
    public void NextWakeMicros_includes_the_next_telemetry_line()
    {
        var device = new TestDevice();
        device.Clock.NowMicros = 5_000_000;
        Assert.Equal("OK", device.Status("TEL 10"));
        Assert.Equal(15_000_000, device.App.NextWakeMicros);
    }

    private sealed class PingExtension : ICommandExtension
    {
        public int Calls;
        public bool TryHandle(RequestLine request, StatusReply reply)
        {
            Calls++;
            if (!request.Is(0, "SIM:PING")) return false;
            reply.Ok();
            reply.Line.AppendField("args", request.ArgumentCount);
            reply.Send();
            return true;
        }
    }

    [Fact]
    public void The_extension_hook_gets_unknown_commands_only_and_replies_with_crc_when_asked()
    {
        var device = new TestDevice();
        var extension = new PingExtension();
        device.App.SetExtension(extension);
        device.Link.TakeLines();
        Assert.Equal("OK args=2", device.Status("sim:ping a b"));
        string request = "SIM:PING";
        Assert.Equal("OK args=0*" + Crc16.ToHex(Crc16.Compute("OK args=0")),
            device.Status(request + "*" + Crc16.ToHex(Crc16.Compute(request))));
        Assert.Equal("ERR 400 unknown command", device.Status("SIM:NOPE"));
        int calls = extension.Calls;
        device.Status("STATUS?");
        Assert.Equal("ERR 401 checksum mismatch", device.Status("SIM:PING*0000").Split('*')[0]);
        Assert.Equal(calls, extension.Calls);
    }
}
