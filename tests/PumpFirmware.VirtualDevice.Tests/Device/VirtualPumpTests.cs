using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Scenarios;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>The virtual device's own commands and power behaviour, in process.</summary>
public class VirtualPumpTests
{
    // AUTH, then the baclofen program with the given limit, each line answered exactly OK.
    private static void Program(PumpBench bench, string limit = "500")
    {
        bench.Status("AUTH 0000");
        foreach (string l in new[] { "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT " + limit, "PROG:STEP 00:00 480" }) Assert.Equal("OK", bench.Status(l));
        string review = bench.Status("PROG:REVIEW");
        Assert.StartsWith("OK", bench.Status("PROG:COMMIT " + review.Substring(7, 4)));
    }

    [Theory]
    [InlineData("SIM:ADVANCE", "ERR 400")]
    [InlineData("SIM:ADVANCE 1 2", "ERR 400")]
    [InlineData("SIM:ADVANCE -1", "ERR 400")]
    [InlineData("SIM:ADVANCE 1.2345", "ERR 400")]
    [InlineData("SIM:ADVANCE 1e3", "ERR 400")]
    [InlineData("SIM:ADVANCE 315576000.001", "ERR 422")]
    [InlineData("SIM:ADVANCE 9999999999999999999999999", "ERR 422")]
    [InlineData("SIM:POWERCYCLE x", "ERR 400")]
    [InlineData("SIM:POWERCYCLE 1 2", "ERR 400")]
    [InlineData("SIM:POWERCYCLE 315576001", "ERR 422")]
    [InlineData("SIM:FAULT", "ERR 400")]
    [InlineData("SIM:FAULT FIRE", "ERR 400")]
    [InlineData("SIM:NOPE", "ERR 400")]
    public void Bad_sim_commands_get_their_error_and_change_nothing(string line, string error)
    {
        var bench = new PumpBench();
        long before = bench.Pump.Clock.WorldMicros;
        var lines = bench.Send(line);
        Assert.StartsWith(error, Assert.Single(lines));
        Assert.Equal(before, bench.Pump.Clock.WorldMicros);
        Assert.Equal(1, bench.Pump.Boots);
        Assert.False(bench.Pump.Plant.Stalled || bench.Pump.Plant.Occluded || bench.Pump.LowBattery.IsAsserted);
    }

    [Fact]
    public void Advance_runs_up_to_ten_years_at_once()
    {
        var bench = new PumpBench();
        Assert.Equal("OK t_ms=0", bench.Status("SIM:ADVANCE 0"));
        Assert.Equal("OK t_ms=1500", bench.Status("SIM:ADVANCE 1.5"));
        Assert.Equal("OK t_ms=315576001500", bench.Status("SIM:ADVANCE 315576000"));
    }

    [Fact]
    public void Faults_raise_their_alarms_and_none_clears_the_inputs()
    {
        var bench = new PumpBench();
        Program(bench);
        bench.Status("REFILL 5000");
        bench.Status("START");
        var lines = bench.Send("SIM:FAULT LOW_BATTERY");
        Assert.Equal("OK", lines[0]);
        Assert.StartsWith("!ALARM code=LOW_BATTERY state=RAISED", lines[1]);
        bench.Send("SIM:FAULT STALL");
        var advance = bench.Send("SIM:ADVANCE 600");
        Assert.Contains(advance, l => l.StartsWith("!ALARM code=STALL state=RAISED", StringComparison.Ordinal));
        Assert.False(bench.Pump.Driver.IsEnabled);
        long stallSteps = bench.Pump.Steps.EmittedSteps - bench.Pump.Plant.MovedSteps;
        Assert.InRange(stallSteps, 1, 16); // detected within 16 steps of its onset
        bench.Send("SIM:FAULT NONE");
        Assert.False(bench.Pump.Plant.Stalled || bench.Pump.LowBattery.IsAsserted);
    }

    [Fact]
    public void Both_snapshot_copies_corrupted_boots_into_critical_with_the_motor_disabled_until_a_new_program()
    {
        var store = new MemoryRecordStore();
        var bench = new PumpBench(new VirtualPumpOptions { Store = store });
        Program(bench);
        bench.Status("REFILL 5000");
        bench.Status("START");
        bench.Send("SIM:ADVANCE 3600");
        bench.Pump.Persistence.Durable.ForceSnapshot(); // both copies now hold a snapshot
        foreach (int file in new[] { 1, 2 }) store.FlipBit(file, 40, 3);

        var boot = bench.Send("SIM:POWERCYCLE 1");
        Assert.Equal(JournalOpenResult.Corrupt, bench.Pump.LastRestore);
        Assert.StartsWith("!BOOT fw=1.0.0-sim reset=POWER state=ALARM", boot[0]);
        string status = bench.Status("STATUS?");
        Assert.Contains("alarms=CRITICAL", status);
        Assert.Equal("OK t_ms=600000", bench.Status("SIM:ADVANCE 600"));
        Assert.False(bench.Pump.Driver.IsEnabled);
        Assert.Equal(0, bench.Pump.Plant.PulsesReceived - bench.Pump.Plant.MovedSteps - bench.Pump.Plant.PulsesWhileDisabled);
        long moved = bench.Pump.Plant.MovedSteps;
        bench.Send("SIM:ADVANCE 600");
        Assert.Equal(moved, bench.Pump.Plant.MovedSteps); // nothing moves in CRITICAL

        Program(bench); // a new committed program clears CRITICAL
        Assert.DoesNotContain("CRITICAL", bench.Status("STATUS?"));
    }

    [Fact]
    public void Real_clock_mode_follows_the_host_clock()
    {
        var bench = new PumpBench(new VirtualPumpOptions { Clock = ClockMode.Real });
        Thread.Sleep(250);
        long tMs = long.Parse(ScenarioRunner.Field(bench.Status("STATUS?"), "t_ms")!);
        Assert.InRange(tMs, 250, 60_000);
    }
}
