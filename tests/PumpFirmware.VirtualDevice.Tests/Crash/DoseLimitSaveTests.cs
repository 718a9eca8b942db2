using PumpFirmware.App;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Therapy;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Tests.Device;
using Xunit;
using Xunit.Abstractions;

namespace PumpFirmware.VirtualDevice.Tests.Crash;

/// <summary>
/// PROTOCOL.md, DOSE_LIMIT: the alarm clears 10 minutes after the last held-back step, and a reset never makes it
/// clear sooner. Held-back steps are stored ahead of time (HeldStepSaves): the image names a held-back time up to a
/// minute after the real one, and a step held back after that time moves it on and is committed at once. So while
/// steps are held back the pump commits at most about once a minute (it committed every held-back step before), and
/// after a power cut at any storage write the restored held-back time is no earlier than that of every held-back step
/// of a firmware pass that completed before the cut, and at most a minute later than the last one.
/// </summary>
public class DoseLimitSaveTests(ITestOutputHelper output)
{
    private const long Minute = 60_000_000;

    // baclofen 1000 ug/mL at 1000 ug/day for a day (64000 steps/mL: 64 steps a day per ug, one step every 1.35 s),
    // then the limit and the rate halved: the window holds a day at the old rate, so every step is held back for
    // hours (one every 2.7 s). Also BootAccountingTests' episode across a power cycle.
    internal static PumpBench StartEpisode(VirtualPumpOptions? options = null)
    {
        var bench = new PumpBench(options);
        bench.Ok("AUTH 0000");
        bench.Program("PROG:DRUG baclofen 1000", "PROG:LIMIT 1000", "PROG:STEP 00:00 1000");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        bench.Ok("SIM:ADVANCE 90000");
        bench.Program("PROG:DRUG baclofen 1000", "PROG:LIMIT 500", "PROG:STEP 00:00 500");
        var raised = bench.Send("SIM:ADVANCE 60");
        Assert.Contains(raised, l => l.StartsWith("!ALARM code=DOSE_LIMIT state=RAISED", StringComparison.Ordinal));
        return bench;
    }

    [Fact]
    public void Steps_held_back_for_15_minutes_are_stored_about_once_a_minute_not_once_each()
    {
        var bench = StartEpisode();
        long heldBefore = bench.Pump.App.Controller.HeldBackSteps;
        long writesBefore = bench.Pump.Store.WriteCount;
        bench.Ok("SIM:ADVANCE 900");
        long held = bench.Pump.App.Controller.HeldBackSteps - heldBefore;
        long writes = bench.Pump.Store.WriteCount - writesBefore;
        output.WriteLine($"{held} steps held back in 15 min, {writes} storage writes");
        Assert.True(held > 300, $"{held} held back");
        // One commit a minute, plus a snapshot (a write and a delete) if the journal fills.
        Assert.InRange(writes, 14, 15 + 3);
        Assert.Contains("DOSE_LIMIT", bench.Status("ALARM?"));
    }

    [Fact]
    public void The_image_names_a_held_back_time_at_most_a_minute_ahead_and_DOSE_LIMIT_clears_that_much_late_at_most()
    {
        var bench = StartEpisode();
        bench.Ok("SIM:ADVANCE 300");
        TherapyController controller = bench.Pump.App.Controller;
        long named = NamedHeldMicros((MemoryRecordStore)bench.Pump.Store, bench.Pump.Clock.WorldMicros);
        Assert.InRange(named - controller.LastHeldMicros, 0, HeldStepSaves.ReserveMicros);

        // The pump stops (no step is held back after this); across a power cycle, DOSE_LIMIT clears no sooner than
        // 10 minutes after the last held-back step and no later than the minute ahead the image names.
        long lastHeld = controller.LastHeldMicros;
        bench.Ok("AUTH 0000");
        bench.Ok("STOP");
        bench.Ok("SIM:POWERCYCLE 30");
        AdvanceToTimeline(bench.Pump, lastHeld + 10 * Minute - 1);
        Assert.True(DoseLimit(bench.Pump), "DOSE_LIMIT cleared before 10 minutes after the last held-back step");
        // The minute ahead, and the reset's time lag (under two ticks of the off-time counter).
        AdvanceToTimeline(bench.Pump, lastHeld + 10 * Minute + HeldStepSaves.ReserveMicros + 2_000_000);
        Assert.False(DoseLimit(bench.Pump), "DOSE_LIMIT still raised a minute after it was due");
    }

    [Fact]
    public void A_power_cut_at_any_storage_write_of_an_episode_never_restores_a_held_back_time_before_a_completed_pass()
    {
        var store = new MemoryRecordStore();
        var bench = StartEpisode(new VirtualPumpOptions { Store = store });
        VirtualPump pump = bench.Pump;

        // The held-back time as of the last firmware pass that completed (the pass a storage write belongs to is
        // still running when the write happens).
        long completedLastHeld = pump.App.Controller.LastHeldMicros;
        Action? collect = pump.AfterService;
        pump.AfterService = () =>
        {
            completedLastHeld = pump.App.Controller.LastHeldMicros;
            collect?.Invoke();
        };
        int branches = 0, continued = 0;
        // A failed check here is collected, not thrown through the store: thrown, the firmware took it for a storage
        // fault (CRITICAL, no more writes), and it showed only as a low branch count, or not at all after the 30th.
        var failures = new List<string>();
        PowerCuts.AtEveryWrite(store, failures, write =>
        {
            foreach (int keep in write.EveryCut)
            {
                branches++;
                string where = $"{write.Where(keep)} of {write.Count}";
                long trueLastHeld = pump.App.Controller.LastHeldMicros;
                long restored = long.MinValue;
                VirtualPump branch = PowerCuts.Boot(new VirtualPumpOptions { Store = write.CutAt(keep), StartWorldMicros = pump.Clock.WorldMicros + Minute },
                    (_, app) => restored = app.Controller.LastHeldMicros);
                Assert.True(DoseLimit(branch), $"{where}: DOSE_LIMIT was not restored");
                Assert.True(restored >= completedLastHeld, $"{where}: the image names {restored}, a completed pass held a step back at {completedLastHeld}");
                Assert.True(restored <= trueLastHeld + HeldStepSaves.ReserveMicros, $"{where}: the image names {restored}, more than a minute after {trueLastHeld}");
                if (branches % 25 != 1) continue;
                // Stopped at once, so no step is held back after the boot: DOSE_LIMIT is still raised just before
                // 10 minutes after every held-back step of a completed pass.
                continued++;
                Send(branch, "AUTH 0000");
                Send(branch, "STOP");
                AdvanceToTimeline(branch, completedLastHeld + 10 * Minute - 1);
                Assert.True(DoseLimit(branch), $"{where}: DOSE_LIMIT cleared before 10 minutes after {completedLastHeld}");
            }
        });
        bench.Ok("SIM:ADVANCE 600");
        PowerCuts.AssertNoFailures(failures);
        output.WriteLine($"{branches} boots from cut stores, {continued} of them run to 10 minutes after the held-back step");
        Assert.True(branches >= 30, $"{branches} branches");
        Assert.True(continued >= 2, $"{continued} continued");
    }

    private static bool DoseLimit(VirtualPump pump) => (pump.App.Controller.Alarms & AlarmCode.DoseLimit) != 0;

    private static void Send(VirtualPump pump, string line)
    {
        pump.Send(line);
        pump.Poll();
    }

    // The held-back time the durable image names: what a pump booted from (a copy of) this store restores.
    private static long NamedHeldMicros(MemoryRecordStore store, long worldMicros)
    {
        long named = long.MinValue;
        PowerCuts.Boot(new VirtualPumpOptions { Store = store.Clone(), StartWorldMicros = worldMicros }, (_, app) => named = app.Controller.LastHeldMicros);
        return named;
    }

    // Runs the pump until its device timeline reads timelineMicros.
    private static void AdvanceToTimeline(VirtualPump pump, long timelineMicros)
    {
        long delta = timelineMicros - pump.App.NowMicros;
        Assert.True(delta >= 0, $"the timeline is already {pump.App.NowMicros}, past {timelineMicros}");
        pump.Advance(delta);
        Assert.Equal(timelineMicros, pump.App.NowMicros);
    }
}
