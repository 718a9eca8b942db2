using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Tests.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Scenarios;

/// <summary>
/// The one-shot faults that scenarios and SIM: commands reach: a power cut at the n-th storage
/// write (SIM:CUT; in a request it is a power cycle that loses the reply, then !BOOT), a torn
/// write (SIM:TEAR), a bit flip in a stored copy (SIM:FLIP), and the battery-backed counter's
/// jump, standstill and loss (SIM:RTC). Bad arguments get their error and change nothing.
/// </summary>
public class SimFaultCommandTests
{
    // A running pump: baclofen 480 µg/day, full reservoir.
    private static PumpBench Running()
    {
        var bench = new PumpBench(new VirtualPumpOptions());
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 500", "PROG:STEP 00:00 480");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        return bench;
    }

    [Theory]
    [InlineData("SIM:CUT", "ERR 400")]
    [InlineData("SIM:CUT x", "ERR 400")]
    [InlineData("SIM:CUT 1.5", "ERR 400")]
    [InlineData("SIM:CUT 1 2 3", "ERR 400")]
    [InlineData("SIM:CUT 0", "ERR 422")]
    [InlineData("SIM:CUT 1000001", "ERR 422")]
    [InlineData("SIM:CUT 1 315576000.001", "ERR 422")]
    [InlineData("SIM:TEAR 1", "ERR 400")]
    [InlineData("SIM:TEAR 1 x", "ERR 400")]
    [InlineData("SIM:TEAR 1 1000001", "ERR 422")]
    [InlineData("SIM:WRITEFAIL x", "ERR 400")]
    [InlineData("SIM:WRITEFAIL 1 2", "ERR 400")]
    [InlineData("SIM:WRITEFAIL 0", "ERR 422")]
    [InlineData("SIM:WRITEFAIL 1000001", "ERR 422")]
    [InlineData("SIM:FLIP A 1", "ERR 400")]
    [InlineData("SIM:FLIP C 1 1", "ERR 400")]
    [InlineData("SIM:FLIP A 1 8", "ERR 422")]
    [InlineData("SIM:FLIP A 99999999 0", "ERR 422")]
    [InlineData("SIM:FLIP B 0 0", "ERR 422")] // one boot has written copy A only
    [InlineData("SIM:RTC", "ERR 400")]
    [InlineData("SIM:RTC JUMP", "ERR 400")]
    [InlineData("SIM:RTC JUMP +5", "ERR 400")]
    [InlineData("SIM:RTC JUMP 1.5", "ERR 400")]
    [InlineData("SIM:RTC JUMP -", "ERR 400")]
    [InlineData("SIM:RTC JUMP 99999999999999999999999", "ERR 422")]
    [InlineData("SIM:RTC FAST", "ERR 400")]
    [InlineData("SIM:RTC STUCK 1", "ERR 400")]
    public void Bad_fault_commands_get_their_error_and_change_nothing(string line, string error)
    {
        var bench = Running();
        byte[]? a = bench.Pump.Store.Load(1);
        Assert.StartsWith(error, Assert.Single(bench.Send(line)));
        Assert.True(bench.Pump.OffTimeClock.TryReadSeconds(out long seconds));
        Assert.Equal(bench.Pump.Clock.WorldMicros / 1_000_000, seconds);
        Assert.False(bench.Pump.OffTimeClock.Stuck);
        Assert.Equal(a, bench.Pump.Store.Load(1));
        bench.Status("SIM:ADVANCE 86400"); // plenty of storage writes: none is cut
        Assert.Equal(0, bench.Pump.StorageCuts);
        Assert.Equal(0, bench.Pump.Store.WriteFailures);
        Assert.Equal(1, bench.Pump.Boots);
    }

    [Fact]
    public void A_write_that_fails_raises_CRITICAL_and_the_request_that_made_it_is_refused_with_the_power_on()
    {
        var bench = Running();
        bench.Ok("AUTH 0000");
        long writes = bench.Pump.Store.WriteCount;
        byte[]? journal = bench.Pump.Store.Load(3);
        Assert.Equal("OK at_write=" + writes, bench.Status("SIM:WRITEFAIL"));
        List<string> lines = bench.Send("STOP"); // STOP stores the new state: that write fails
        Assert.Equal("ERR 500 storage", lines.Single(l => !l.StartsWith('!')));
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=CRITICAL state=RAISED", StringComparison.Ordinal));
        Assert.Equal(1, bench.Pump.Store.WriteFailures);
        Assert.Equal(journal, bench.Pump.Store.Load(3)); // the failed write landed nothing
        // No power cut: the same instance answers, the motor is off, the STOP changed nothing else.
        Assert.Equal(1, bench.Pump.Boots);
        Assert.Equal(0, bench.Pump.StorageCuts);
        Assert.False(bench.Pump.Driver.IsEnabled);
        string status = bench.Status("STATUS?");
        Assert.Equal("ALARM", PumpBench.Word(status, "state"));
        Assert.Equal("CRITICAL", PumpBench.Word(status, "alarms"));
        // One write only: the next commit succeeds and clears CRITICAL.
        bench.Ok("AUTH 0000");
        bench.Ok("PROG:LOAD");
        string review = bench.Status("PROG:REVIEW");
        List<string> commit = bench.Send("PROG:COMMIT " + review.Substring(7, 4));
        Assert.StartsWith("OK crc=", commit.Single(l => !l.StartsWith('!')));
        Assert.Contains(commit, l => l.StartsWith("!ALARM code=CRITICAL state=CLEARED", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cut_at_a_write_a_request_makes_is_a_power_cycle_that_loses_the_reply()
    {
        var bench = Running();
        long writes = bench.Pump.Store.WriteCount;
        Assert.Equal("OK at_write=" + writes, bench.Status("SIM:CUT 1"));
        List<string> lines = bench.Send("STOP"); // STOP stores the new state: the power goes first
        Assert.Equal("!BOOT fw=1.0.0-sim reset=POWER state=RUNNING", Assert.Single(lines));
        Assert.Equal(2, bench.Pump.Boots);
        Assert.Equal(1, bench.Pump.PowerCycles);
        Assert.Equal(1, bench.Pump.StorageCuts);
        Assert.Contains("state=RUNNING", bench.Status("STATUS?"));
    }

    [Fact]
    public void A_cut_during_an_advance_reboots_the_pump_and_the_advance_still_answers_after_the_boot()
    {
        var bench = Running();
        Assert.StartsWith("OK", bench.Status("SIM:CUT 2 600"));
        long before = bench.Pump.Clock.WorldMicros;
        List<string> lines = bench.Send("SIM:ADVANCE 3600");
        int boot = lines.FindIndex(l => l.StartsWith("!BOOT", StringComparison.Ordinal));
        Assert.True(boot >= 0, string.Join("\n", lines));
        Assert.StartsWith("OK t_ms=", lines[^1]);
        Assert.True(boot < lines.Count - 1);
        // The advance covers 3600 s of world time, the 600 s off included.
        Assert.Equal(before + 3_600_000_000, bench.Pump.Clock.WorldMicros);
        Assert.Equal(2, bench.Pump.Boots);
    }

    [Fact]
    public void A_torn_write_lands_only_its_first_bytes_then_the_power_goes()
    {
        var bench = Running();
        bench.Status("SIM:ADVANCE 60");
        Assert.StartsWith("OK", bench.Status("SIM:TEAR 1 5"));
        long bytes = bench.Pump.Store.BytesWritten;
        bench.Send("STOP");
        Assert.Equal(1, bench.Pump.StorageCuts);
        // The torn write (5 bytes), then the boot's own writes: the boot's snapshot is whole.
        Assert.True(bench.Pump.Store.BytesWritten > bytes + 5);
        Assert.Contains("state=RUNNING", bench.Status("STATUS?"));
    }

    [Fact]
    public void A_flip_changes_exactly_one_bit_of_the_named_copy()
    {
        var bench = Running();
        byte[] before = bench.Pump.Store.Load(1)!;
        Assert.Equal("OK length=" + before.Length, bench.Status("SIM:FLIP A 20 3"));
        byte[] after = bench.Pump.Store.Load(1)!;
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++) Assert.Equal(i == 20 ? before[i] ^ 8 : before[i], after[i]);
    }

    [Fact]
    public void The_battery_backed_counter_jumps_sticks_is_lost_and_is_repaired()
    {
        var bench = new PumpBench(new VirtualPumpOptions());
        var clock = bench.Pump.OffTimeClock;
        bench.Status("SIM:ADVANCE 100");
        Assert.Equal("OK", bench.Status("SIM:RTC JUMP 3600"));
        Assert.True(clock.TryReadSeconds(out long s));
        Assert.Equal(3700, s);
        Assert.Equal("OK", bench.Status("SIM:RTC JUMP -1700"));
        Assert.True(clock.TryReadSeconds(out s));
        Assert.Equal(2000, s);
        Assert.Equal("OK", bench.Status("SIM:RTC STUCK"));
        bench.Status("SIM:ADVANCE 500");
        Assert.True(clock.TryReadSeconds(out s)); // it lies: still "trusted"
        Assert.Equal(2000, s);
        Assert.Equal("OK", bench.Status("SIM:RTC JUMP 10"));
        bench.Status("SIM:ADVANCE 5");
        Assert.True(clock.TryReadSeconds(out s));
        Assert.Equal(2010, s);
        Assert.Equal("OK", bench.Status("SIM:RTC LOST"));
        Assert.False(clock.TryReadSeconds(out _));
        Assert.Equal("OK", bench.Status("SIM:RTC OK"));
        bench.Status("SIM:ADVANCE 90");
        Assert.True(clock.TryReadSeconds(out s));
        Assert.Equal(2100, s); // runs again from where it stood
        Assert.Equal("OK", bench.Status("SIM:RTC JUMP -999999"));
        Assert.True(clock.TryReadSeconds(out s));
        Assert.Equal(0, s); // a counter never reads below 0
    }
}
