using PumpFirmware.Hal.Simulated;
using PumpFirmware.Log;
using PumpFirmware.Storage;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Tests.Crash;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>
/// PROTOCOL.md, the loss bound and DOSE_LIMIT across resets: steps not yet persisted at a power loss are
/// lost from the counters, at most 1 µL or one motor step where a step is larger; the boot record says how
/// many; the 24 h window is charged only with what may really have been delivered (nothing when the motor
/// was not running); and DOSE_LIMIT stays raised until 10 minutes after the last held-back step, whether or
/// not a reset came between.
/// </summary>
public class BootAccountingTests
{
    private static long BootRecordLostSteps(VirtualPump pump)
    {
        EventLog log = pump.App.Log;
        long seq = log.NextSeq - 1;
        while (seq > log.OldestSeq && log.Type(seq) != EventLogTypes.Boot) seq--;
        Assert.Equal(EventLogTypes.Boot, log.Type(seq));
        return log.ValueB(seq);
    }

    [Fact]
    public void A_boot_charges_nothing_to_the_24_h_window_when_the_motor_was_not_running_so_a_ptm_within_the_limit_is_granted()
    {
        // 1 uL a step, 1 ug a step; a basal of 0 and one 10 ug PTM a day under a 10 ug limit.
        var bench = new PumpBench();
        bench.Ok("AUTH 0000");
        bench.Ok("CAL 1000");
        bench.Program("PROG:DRUG morphine 1000", "PROG:LIMIT 10", "PROG:STEP 00:00 0", "PROG:PTM 10 10 10 1");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        bench.Ok("SIM:ADVANCE 600");
        Assert.Equal(0, PumpBench.Field(bench.Status("STATUS?"), "steps"));

        bench.Ok("SIM:POWERCYCLE 60");
        Assert.Equal(0, BootRecordLostSteps(bench.Pump));
        Assert.Equal(0, bench.Pump.App.Controller.WindowNg(bench.Pump.App.NowMicros));
        Assert.StartsWith("OK dose_ug=10.000", bench.Status("PTM"));
    }

    [Theory]
    [InlineData(500, 1)]      // 2 uL a step: one step
    [InlineData(1000, 1)]     // 1 uL a step
    [InlineData(4000, 4)]     // 0.25 uL a step: 4 steps, 1 uL
    [InlineData(64000, 64)]   // 1/64 uL a step: 64 steps, 1 uL
    public void While_running_a_boot_charges_and_reports_at_most_1_uL_or_one_step(long stepsPerMl, int bound)
    {
        var bench = new PumpBench();
        bench.Ok("AUTH 0000");
        bench.Ok("CAL " + stepsPerMl);
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 2000", "PROG:STEP 00:00 1000");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        for (int cycle = 0; cycle < 20; cycle++)
        {
            bench.Ok("SIM:ADVANCE " + (1000 + 37 * cycle) + ".321");
            bench.Ok("SIM:POWERCYCLE 5");
            bench.Ok("AUTH 0000");
            long charged = BootRecordLostSteps(bench.Pump);
            Assert.InRange(charged, 0, bound);
            Assert.Equal(bound, bench.Pump.Persistence.UnpersistedBoundSteps);
        }
        Assert.InRange(bench.Pump.StepsLostAtPowerLoss, 0, 20L * bound);
    }

    [Fact]
    public void A_power_cut_at_any_storage_write_at_a_coarse_calibration_loses_at_most_one_step_the_plant_really_moved()
    {
        // 2 uL a step at 500 steps/mL: every step beyond the allowance of one is committed before it is issued, so
        // even the step block in flight when a commit is cut is at most one step ahead of the counters.
        var store = new MemoryRecordStore();
        var bench = new PumpBench(new VirtualPumpOptions { Store = store, MaxStepsPerSecond = 1000 });
        bench.Ok("AUTH 0000");
        bench.Ok("CAL 500");
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 20000", "PROG:STEP 00:00 10000", "PROG:CATHETER 100");
        bench.Ok("REFILL 20000");
        bench.Ok("STOP");
        bench.Ok("STOP");
        bench.Ok("PRIME 100"); // 50 steps at the motor's maximum rate: blocks in flight

        int branches = 0;
        var failures = new List<string>();
        PowerCuts.AtEveryWrite(store, failures, write =>
        {
            if (write.Kind == StoreWriteKind.Delete) return;
            long moved = bench.Pump.Plant.MovedSteps;
            VirtualPump branch = PowerCuts.Boot(new VirtualPumpOptions { Store = write.CutAt(write.Count / 2), StartWorldMicros = bench.Pump.Clock.WorldMicros + 1_000_000 });
            branches++;
            long restored = branch.App.Controller.TotalSteps;
            if (moved - restored > 1) failures.Add($"write {write.Index}: the plant moved {moved} steps, the counters kept {restored}");
            if (BootRecordLostSteps(branch) > 1) failures.Add($"write {write.Index}: the boot charged {BootRecordLostSteps(branch)} steps");
        });
        bench.Pump.Advance(1_000_000);
        bench.Ok("START");
        bench.Pump.Advance(3_600_000_000);
        Assert.Empty(failures);
        Assert.True(branches > 100, $"{branches} cuts");
    }

    [Fact]
    public void DOSE_LIMIT_raised_with_steps_held_back_stays_raised_across_a_power_cycle_without_chatter()
    {
        // The same drug at half the rate and half the limit after a day: every step is held back for hours.
        var bench = DoseLimitSaveTests.StartEpisode();
        bench.Ok("SIM:ADVANCE 900");

        var boot = bench.Send("SIM:POWERCYCLE 60");
        Assert.DoesNotContain(boot, l => l.StartsWith("!ALARM code=DOSE_LIMIT", StringComparison.Ordinal));
        var after = bench.Send("SIM:ADVANCE 120");
        Assert.DoesNotContain(after, l => l.StartsWith("!ALARM code=DOSE_LIMIT", StringComparison.Ordinal));
        Assert.Contains("DOSE_LIMIT", bench.Status("ALARM?"));
    }
}
