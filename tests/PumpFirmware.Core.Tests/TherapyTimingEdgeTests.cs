using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using static PumpFirmware.Core.Tests.Rig;
using static PumpFirmware.Core.Tests.TherapyCommandContractTests;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// Boot after a reset, and the timers and steps between commands: what restarts at a boot, what
/// a power loss charges to the 24 h window, which timers a schedule boundary may fire, and that
/// Advance returns exactly the steps it counted. One step is 1 nL and 1 ng unless said otherwise.
/// </summary>
public class TherapyTimingEdgeTests
{
    private static TherapyController Reload(TherapyController c)
    {
        byte[] image = TherapyStateImageTests.Save(c);
        var loaded = new TherapyController(c.MaxStepsPerSecond);
        Assert.True(loaded.Load(new StateReader(image, 0, image.Length)));
        return loaded;
    }

    [Fact]
    public void Boot_restarts_the_schedule_at_the_rate_of_the_time_of_day_it_wakes_in()
    {
        // Saved 30 s into the 1/min step; off until 06:00, where the rate is 2/min. Nothing is made
        // up: the first step comes half a minute after the boot, at the 06:00 rate.
        var rig = Running();
        rig.RunTo(30 * Second);
        var c = Reload(rig.C);
        c.Boot(6 * Hour);
        Assert.Equal(6 * Hour + 30 * Second, c.NextWakeMicros);
        Assert.Equal(2880, c.RateNgPerDay);
    }

    [Fact]
    public void Boot_takes_the_later_of_its_time_and_the_saved_one()
    {
        var rig = Running();
        rig.RunTo(Hour);
        var later = Reload(rig.C);
        later.Boot(2 * Hour);
        Assert.Equal(2 * Hour, TherapyStateImageTests.Image.Of(later).LastNow);
        var earlier = Reload(rig.C);
        earlier.Boot(Hour - Second);
        Assert.Equal(Hour, TherapyStateImageTests.Image.Of(earlier).LastNow);
    }

    [Fact]
    public void Unpersisted_steps_are_charged_at_the_higher_concentration_of_a_bridge()
    {
        // A bridge from 2 mg/mL (2 ng a step) to 1 mg/mL: 10 steps lost in a power cut may have been
        // either, so they count as 20 ng.
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var strong = Program();
        Check(strong.SetDrug("drug", 2_000_000));
        Check(strong.SetLimit(1_000_000));
        rig.Begin(strong, 1_000_000);
        var weak = Program();
        rig.Ok(rig.Do((c, t) => c.Commit(weak, true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        var c = Reload(rig.C);
        long before = c.WindowNg(0);
        c.Boot(0, 10);
        Assert.Equal(before + 20, c.WindowNg(0));

        // Without a bridge, the program's own concentration: 10 steps at 1 ng.
        var plain = Reload(Running().C);
        plain.Boot(0, 10);
        Assert.Equal(10, plain.WindowNg(0));
        var again = Reload(Running().C);
        again.Boot(0, 0);
        Assert.Equal(0, again.WindowNg(0));
    }

    [Fact]
    public void Unpersisted_steps_of_a_pump_without_a_program_charge_nothing()
    {
        var c = Reload(new TherapyController(1000));
        c.Boot(0, 63);
        Assert.Equal(0, c.WindowNg(0));
    }

    [Fact]
    public void Dose_limit_due_while_the_pump_was_off_clears_at_a_boot_exactly_ten_minutes_after_the_last_hold()
    {
        var heldAt = new List<long>();
        var rig = HeldBack(23 * Hour + 45 * Minute, heldAt);
        Assert.Equal(AlarmCode.DoseLimit, rig.C.Alarms & AlarmCode.DoseLimit);
        long lastHeld = heldAt[^1];
        var c = Reload(rig.C);
        c.Boot(lastHeld + TherapyController.DoseLimitClearMicros);
        Assert.Equal(0, c.Alarms & AlarmCode.DoseLimit);
        var early = Reload(rig.C);
        early.Boot(lastHeld + TherapyController.DoseLimitClearMicros - 1);
        Assert.Equal(AlarmCode.DoseLimit, early.Alarms & AlarmCode.DoseLimit);
    }

    /// <summary>1 step/min with a schedule boundary at 23:30 (same rate), a 1540 ng limit, and 150 ng
    /// of bolus in the first minute: from about 23:10 steps are held back until the bolus leaves the
    /// 24 h window just after 24:00. Runs to <paramref name="until"/>; <paramref name="heldAt"/> gets
    /// the due time of every held step.</summary>
    private static Rig HeldBack(long until, List<long> heldAt)
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var p = Rig.Program("drug", 1_000_000, 1_540, (0, 1440), (1410, 1440));
        Check(p.SetReservoir(1_000_000_000, 1_000));
        rig.Begin(p, 1_000_000);
        rig.Ok(rig.Do((c, t) => c.StartClinicianBolus(150, 1, t)));
        long held = 0;
        rig.OnAdvance = (t, n) =>
        {
            if (rig.C.HeldBackSteps > held) heldAt.Add(t);
            held = rig.C.HeldBackSteps;
        };
        rig.RunTo(until);
        return rig;
    }

    [Fact]
    public void Advance_returns_exactly_the_steps_it_counted_also_when_steps_are_held_or_the_reservoir_is_empty()
    {
        var rig = HeldBack(Day + 2 * Hour, new List<long>());
        Assert.True(rig.C.HeldBackSteps > 0);
        Assert.Equal(rig.C.TotalSteps, rig.Steps.Sum(s => (long)s.Steps));

        var empty = Running();
        empty.Ok(empty.Do((c, t) => c.Refill(5, t)));
        empty.RunFor(Hour);
        Assert.Equal(TherapyState.Alarm, empty.C.State);
        Assert.Equal(5, empty.C.TotalSteps);
        Assert.Equal(5, empty.Steps.Sum(s => (long)s.Steps));
    }

    [Fact]
    public void The_first_held_step_logs_the_window_and_the_limit_in_femtograms()
    {
        // 1000 ng/mL at 48007 steps/mL: a step is 10^9 / 48007 = 20830.3 fg, counted as 20831 (rounded
        // up, so the window never under-counts). Limit 1 ng; 47 steps charged at a boot leave room for
        // one more (48 x 20831 = 999888 fg), and the next is held with the window at exactly that.
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(48_007, 0));
        var p = Rig.Program("drug", 1_000, 1, (0, 1));
        rig.Begin(p, 1_000_000);
        rig.C.Boot(0, 47);
        rig.Drain();
        rig.RunFor(2 * Hour);
        var held = rig.EventsOf(TherapyEventKind.StepsHeldBack).First();
        Assert.Equal((48 * 20_831L, 1_000_000L), (held.Value1, held.Value2));
        Assert.Equal(1, rig.C.TotalSteps);
    }

    [Fact]
    public void A_schedule_boundary_during_a_hold_does_not_clear_dose_limit_early()
    {
        var heldAt = new List<long>();
        var rig = HeldBack(Day + 2 * Hour, heldAt);
        Assert.Contains(heldAt, t => t < 23 * Hour + 30 * Minute);        // the hold spans the 23:30 boundary
        Assert.Contains(heldAt, t => t > 23 * Hour + 30 * Minute);
        var cleared = Assert.Single(rig.EventsOf(TherapyEventKind.AlarmCleared), e => e.Code == AlarmCode.DoseLimit);
        Assert.Equal(heldAt[^1] + TherapyController.DoseLimitClearMicros, cleared.TimelineMicros);
        Assert.Equal(heldAt.Count, cleared.Value1);                         // the episode's held steps
    }

    [Fact]
    public void A_suspended_pump_without_a_minimum_rate_sleeps_through_schedule_boundaries()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        rig.Begin(Rig.Program("drug", 1_000_000, 100_000, (0, 1440), (360, 2880)), 1_000_000);
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        Assert.Equal(TherapyState.Suspended, rig.C.State);
        Assert.Equal(long.MaxValue, rig.C.NextWakeMicros);
    }

    [Fact]
    public void A_bridge_follows_the_old_programs_schedule_boundaries_and_outlives_them()
    {
        // Old program: 1/min until 06:00, then nothing. The bridge (500 nL) starts at 05:00 and has
        // delivered 60 nL by 06:00; it then waits, at the old program's rate of 0, until midnight.
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var old = Rig.Program("old", 2_000_000, 100_000, (0, 2880), (360, 0));
        Check(old.SetReservoir(1_000_000_000, 1_000));
        rig.Begin(old, 1_000_000);
        rig.RunTo(5 * Hour);
        rig.Ok(rig.Do((c, t) => c.Commit(Program(), true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        long atBridge = rig.C.TotalSteps;
        rig.RunTo(6 * Hour);
        Assert.Equal(60, rig.C.TotalSteps - atBridge);
        rig.RunTo(7 * Hour);
        Assert.Equal(60, rig.C.TotalSteps - atBridge);
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(440, rig.C.BridgeRemainingNl);
        // After midnight the old program's 1/min resumes for 6 h (360 nL), and the next midnight the
        // last 80 nL take 80 min; the bridge is then done, and it
        // ends (not cancelled), forgetting the old program.
        rig.RunTo(Day + 6 * Hour);
        Assert.Equal(80, rig.C.BridgeRemainingNl);
        rig.RunTo(2 * Day + 80 * Minute);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        var end = Assert.Single(rig.EventsOf(TherapyEventKind.BolusEnded));
        Assert.Equal((int)BolusKind.Bridge, end.Code);
        Assert.Null(TherapyStateImageTests.Image.Of(rig.C).OldProgram.DrugName);
    }
}
