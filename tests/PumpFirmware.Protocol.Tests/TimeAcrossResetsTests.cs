using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>
/// PROTOCOL.md, time across resets: lockouts, the PTM history and the 24 h window count the time the pump
/// was off; off-time is counted down to the counter's resolution, never up; where it is unknown the timeline
/// never goes back, delivery resumes at once by the clock as it stands, <c>!BOOT</c> says
/// <c>offtime=UNKNOWN</c> and <c>TIME?</c> says <c>set=NO</c> until the next <c>TIME</c>. The test device's
/// counter reads whole seconds, as an RTC module's does.
/// </summary>
public class TimeAcrossResetsTests
{
    private const long Unix = 1_767_225_600; // 2026-01-01 00:00:00 UTC

    private static TestDevice Programmed(string ptm = "PROG:PTM 10 5 2 24", string step = "PROG:STEP 00:00 1000")
    {
        var device = new TestDevice();
        foreach (string line in new[] { "AUTH 0000", "TIME " + Unix, "PROG:DRUG baclofen 500", "PROG:LIMIT 2240", step, ptm })
            Assert.StartsWith("OK", device.Status(line));
        string crc = device.Status("PROG:REVIEW").Substring(7, 4);
        Assert.StartsWith("OK", device.Status("PROG:COMMIT " + crc));
        Assert.StartsWith("OK", device.Status("REFILL 20000"));
        Assert.StartsWith("OK", device.Status("START"));
        device.Link.TakeLines();
        return device;
    }

    private static long Field(string line, string key)
    {
        int at = line.IndexOf(" " + key + "=", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {key}= in '{line}'");
        string rest = line[(at + key.Length + 2)..];
        int end = rest.IndexOf(' ');
        return long.Parse(end < 0 ? rest : rest[..end]);
    }

    [Fact]
    public void Short_power_cycles_that_cross_second_boundaries_never_shorten_the_ptm_lockout_nor_put_the_clock_ahead()
    {
        // A 2 minute lockout. Each cycle: 0.95 s on, 0.1 s off, so every outage crosses a boundary of the
        // whole-seconds counter somewhere; 100 cycles are 105 s of real time, still inside the lockout.
        var device = Programmed();
        Assert.StartsWith("OK dose_ug=10.000", device.Status("PTM"));
        long trueMicros = 0;
        for (int cycle = 0; cycle < 100; cycle++)
        {
            device.Advance(0.95);
            device = device.PowerCycleMicros(100_000);
            trueMicros += 1_050_000;
            long unix = Field(device.Status("STATUS?"), "unix_s");
            Assert.True(unix <= Unix + trueMicros / 1_000_000, $"cycle {cycle}: the clock reads {unix - Unix} s after {trueMicros / 1e6} s");
        }
        string refused = device.Status("PTM");
        Assert.StartsWith("ERR 423 lockout", refused);
        // Counted down: the lockout may run long (the clock lags a little per reset), never short.
        Assert.True(Field(refused, "remaining_s") >= 120 - trueMicros / 1_000_000);
    }

    [Fact]
    public void Off_time_is_counted_down_to_the_whole_second_the_counter_can_vouch_for()
    {
        var device = Programmed();
        long before = Field(device.Status("STATUS?"), "unix_s");
        device = device.PowerCycle(300);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=RUNNING", device.Link.TakeLines()[0]); // known: no offtime field
        long after = Field(device.Status("STATUS?"), "unix_s");
        // Two whole-second readings: the 300 s off count as 299 s, so the clock lags by under two seconds.
        Assert.InRange(after - before, 298, 299);
    }

    [Fact]
    public void Where_off_time_is_unknown_the_boot_says_so_the_clock_is_not_vouched_for_and_delivery_resumes_at_once()
    {
        var device = Programmed();
        device.Advance(3600);
        long unixBefore = Field(device.Status("STATUS?"), "unix_s");
        long stepsBefore = Field(device.Status("STATUS?"), "steps");
        var stateBefore = device.App.Controller.TotalSteps;

        // No trustworthy counter now (a board without one, or a battery pulled): an hour off, unknown.
        device = device.PowerCycle(3600, offClockValid: false);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=RUNNING offtime=UNKNOWN", device.Link.TakeLines()[0]);
        Assert.EndsWith(" set=NO", device.Status("TIME?"));
        string status = device.Status("STATUS?");
        // The timeline resumes from the last persisted instant, never earlier; the clock runs on from there.
        Assert.InRange(Field(status, "unix_s"), unixBefore - 2, unixBefore);
        Assert.Equal("RUNNING", status.Split(' ')[1]["state=".Length..]);

        // Delivery resumes at once, by the clock as it stands (and the counter is trustworthy again).
        device.OffClock.Valid = true;
        device.Advance(60);
        Assert.True(Field(device.Status("STATUS?"), "steps") > stepsBefore, "delivery resumed");

        // A later reset with a good counter does not vouch for the clock again; only TIME does.
        device = device.PowerCycle(10);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=RUNNING", device.Link.TakeLines()[0]);
        Assert.EndsWith(" set=NO", device.Status("TIME?"));
        Assert.Equal("OK session_s=600", device.Status("AUTH 0000"));
        Assert.Equal("OK", device.Status("TIME " + (Unix + 7200)));
        Assert.Equal($"OK unix_s={Unix + 7200} set=YES", device.Status("TIME?"));
        device = device.PowerCycle(10);
        Assert.EndsWith(" set=YES", device.Status("TIME?"));
        Assert.True(stateBefore > 0);
    }

    [Fact]
    public void A_counter_that_went_back_is_unknown_off_time_and_the_timeline_does_not_go_back()
    {
        var device = Programmed();
        device.Advance(600);
        long before = Field(device.Status("STATUS?"), "unix_s");
        // The counter was reset (a new battery): it reads less than it did at the last change.
        var state = device.PersistentImageParts(out byte[] log);
        var next = new TestDevice(state, savedLog: log, offClockSeconds: 5);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=RUNNING offtime=UNKNOWN", next.Link.TakeLines()[0]);
        Assert.True(Field(next.Status("STATUS?"), "unix_s") >= before - 1);
    }

    [Fact]
    public void An_image_of_layout_1_still_loads_and_its_whole_second_counter_is_counted_down()
    {
        // Layout 1, as the firmware before version 2 of the image wrote it: version, timeline, counter valid,
        // counter seconds, program CRC seen, then the therapy and the PIN.
        var source = Programmed();
        source.Advance(600);
        var controllerWriter = new StateWriter(new byte[PumpApplication.MaxStateBytes]);
        source.App.Controller.Save(controllerWriter);
        var authWriter = new StateWriter(new byte[256]);
        source.App.Auth.Save(authWriter);
        long timeline = source.App.NowMicros;
        long counterSeconds = source.OffClock.Seconds;
        var v1 = new StateWriter(new byte[PumpApplication.MaxStateBytes]);
        v1.WriteInt(1);
        v1.WriteLong(timeline);
        v1.WriteBool(true);
        v1.WriteLong(counterSeconds);
        v1.WriteInt(source.App.Controller.ProgramCrc);
        for (int i = 0; i < controllerWriter.Position; i++) v1.WriteByte(controllerWriter.Buffer[i]);
        for (int i = 0; i < authWriter.Position; i++) v1.WriteByte(authWriter.Buffer[i]);

        var upgraded = new TestDevice(boot: false, offClockSeconds: counterSeconds + 100);
        Assert.True(upgraded.App.LoadState(new StateReader(v1.Buffer, 0, v1.Position)));
        upgraded.App.Boot(ResetCause.Power, 64);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=RUNNING", upgraded.Link.TakeLines()[0]);
        Assert.Equal(source.App.Controller.TotalSteps, upgraded.App.Controller.TotalSteps);
        Assert.Equal(source.App.Controller.ProgramCrc, upgraded.App.Controller.ProgramCrc);
        // 100 s by two whole-second readings: 99 s counted.
        Assert.Equal(timeline + 99_000_000, upgraded.App.NowMicros);
        // Layout 1 named no allowance: the boot charges the caller's bound, as that firmware did.
        Assert.Equal(-1, upgraded.App.Allowance.RestoredAllowance);
        var log = upgraded.Send("LOG? 0 100");
        Assert.Contains(log, l => l.Contains("type=BOOT") && l.EndsWith("lost_steps=64"));
        // The next image is written in layout 2.
        var image = upgraded.PersistentImage();
        Assert.Equal(PumpApplication.StateFormatVersion, BitConverter.ToInt32(image, 0));
    }
}
