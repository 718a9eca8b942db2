using System.Numerics;
using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>Long horizons are cheap in virtual time: ten years, resets with off-time, allocation.</summary>
public class LongHorizonTests
{
    [Fact]
    public void Ten_years_of_a_four_step_program_without_drift()
    {
        // conc 3 ug/mL, 48000 steps/mL: one step is 1/16000 ug = 0.0625 ng ... rates chosen so that a day is not a
        // whole number of steps: daily steps = sum(rate x hours) / 24 x 48000 / 3000.
        var c = new TherapyController(1000);
        c.Boot(0);
        Assert.True(c.SetCalibration(48_000, 0).IsOk);
        var p = Program("tenyears", 3_000, 1_000_000, (0, 7), (7 * 60 + 13, 11), (13 * 60 + 1, 5), (19 * 60 + 59, 13));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        Assert.True(c.Commit(p, false, 0).IsOk);
        Assert.True(c.Refill(Prescription.MaxCapacityNl, 0).IsOk);
        Assert.True(c.Start(0).IsOk);
        // Exact steps per day: sum(rate_ng_day x minutes) x 48000 / (1440 x 3000).
        BigInteger ngMinutes = 7 * (7 * 60 + 13) + 11 * (13 * 60 + 1 - (7 * 60 + 13)) + 5 * (19 * 60 + 59 - (13 * 60 + 1)) + 13 * (1440 - (19 * 60 + 59));
        var perDay = new Rational(ngMinutes * 48_000, 1440 * 3_000);
        long now = 0;
        long wakes = 0;
        for (int day = 1; day <= 3653; day++)
        {
            long end = day * Day;
            while (c.NextWakeMicros <= end)
            {
                now = c.NextWakeMicros;
                c.Advance(now);
                wakes++;
            }
            c.Advance(end);
            now = end;
            var ideal = new Rational(perDay.Num * day, perDay.Den);
            Assert.True(ideal.CompareTo(c.TotalSteps - 1) >= 0 && ideal.CompareTo(c.TotalSteps + 1) <= 0, $"day {day}: {c.TotalSteps} vs {ideal}");
        }
        var tenYears = new Rational(perDay.Num * 3653, perDay.Den);
        Assert.Equal(BigInteger.Divide(tenYears.Num, tenYears.Den), (BigInteger)c.TotalSteps);
        Assert.True(wakes > 3653 * 4);
    }

    [Fact]
    public void Boot_after_off_time_never_catches_up_even_when_a_timer_fell_due_while_off()
    {
        // Regression (found by the property test): DOSE_LIMIT's clear timer fell due during the off time and
        // re-anchored the schedule in the past, delivering the off time's steps at boot.
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var p = Program("drug", 1_000_000, 1_000, (0, 720));
        Check(p.SetReservoir(1_000_000_000, 0));
        rig.Begin(p, 1_000_000_000);
        rig.Ok(rig.C.StartClinicianBolus(990, 60, 0));
        rig.RunTo(2 * Hour);
        Assert.NotEqual(0, rig.C.Alarms & AlarmCode.DoseLimit);
        var buffer = new byte[32768];
        var w = new StateWriter(buffer);
        rig.C.Save(w);
        long steps = rig.C.TotalSteps;
        var after = new TherapyController(1000);
        Assert.True(after.Load(new StateReader(buffer, 0, w.Position)));
        long boot = rig.Now + 30 * Day;
        after.Boot(boot);
        Assert.Equal(0, after.Advance(boot));
        Assert.Equal(steps, after.TotalSteps);
        Assert.Equal(0, after.Alarms & AlarmCode.DoseLimit);
        Assert.Equal(boot + 2 * Minute, after.NextWakeMicros);              // one step every 2 min, from boot
    }

    [Fact]
    public void Reset_ends_a_bolus_keeps_the_ptm_history_and_charges_unpersisted_steps()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var p = Program("drug", 1_000_000, 10_000, (0, 1440));
        Check(p.SetPtm(100, 30, 60, 4));
        Check(p.SetReservoir(1_000_000_000, 0));
        rig.Begin(p, 1_000_000_000);
        Assert.True(rig.C.RequestPatientBolus(0).IsOk);
        rig.RunTo(10 * Minute);
        var buffer = new byte[32768];
        var w = new StateWriter(buffer);
        rig.C.Save(w);
        var after = new TherapyController(1000);
        Assert.True(after.Load(new StateReader(buffer, 0, w.Position)));
        after.Boot(rig.Now + 5 * Minute, unpersistedSteps: 7);
        Assert.Equal(BolusKind.None, after.ActiveBolus);
        Assert.Equal(TherapyState.Running, after.State);
        var e = new TherapyEvent();
        var kinds = new List<TherapyEventKind>();
        while (after.TryTakeEvent(e)) kinds.Add(e.Kind);
        Assert.Equal(new[] { TherapyEventKind.BolusCancelled, TherapyEventKind.Booted }, kinds);
        Assert.Equal(rig.C.WindowNg(rig.Now) + 7, after.WindowNg(rig.Now + 5 * Minute));
        var refused = after.RequestPatientBolus(rig.Now + 5 * Minute);             // still in the lockout
        Assert.Equal(423, refused.Code);
        Assert.Equal(45 * 60, refused.RemainingSeconds);
        Assert.Equal(1, after.PtmGrantedInDay(rig.Now + 5 * Minute));
    }

    [Fact]
    public void A_corrupted_or_truncated_state_is_refused_and_changes_nothing()
    {
        var rig = new Rig();
        rig.Begin(Program("drug", 1_000_000, 10_000, (0, 1440)), 1_000_000);
        rig.RunTo(Hour);
        var buffer = new byte[32768];
        var w = new StateWriter(buffer);
        rig.C.Save(w);
        var fresh = new TherapyController(1000);
        Assert.False(fresh.Load(new StateReader(buffer, 0, w.Position - 1)));
        buffer[1] = 9;                                                          // state out of range
        Assert.False(fresh.Load(new StateReader(buffer, 0, w.Position)));
        Assert.False(fresh.HasProgram);
        Assert.Equal(TherapyState.Stopped, fresh.State);
        Assert.Equal(0, fresh.TotalSteps);
    }

    [Fact]
    public void Save_load_round_trips_every_field()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetWallClock(1_750_000_000, 0));
        var p = Program("drug", 2_000_000, 400_000, (0, 300_000), (480, 100_000));
        Check(p.SetPtm(10_000, 5, 30, 3));
        Check(p.SetCatheter(100_000));
        rig.Begin(p, 2_000_000);                                                // at the low alarm: LOW_RESERVOIR
        rig.RunTo(3 * Hour);
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.LowReservoir, rig.Now));
        var buffer = new byte[32768];
        var w = new StateWriter(buffer);
        rig.C.Save(w);
        var after = new TherapyController(1000);
        Assert.True(after.Load(new StateReader(buffer, 0, w.Position)));
        var w2 = new StateWriter(new byte[32768]);
        after.Save(w2);
        Assert.Equal(buffer.AsSpan(0, w.Position).ToArray(), w2.Buffer.AsSpan(0, w2.Position).ToArray());
        Assert.Equal(rig.C.UnixSeconds(rig.Now), after.UnixSeconds(rig.Now));
        Assert.Equal(rig.C.DeliveredNl, after.DeliveredNl);
        Assert.Equal(rig.C.ReservoirNl, after.ReservoirNl);
        Assert.Equal(rig.C.Alarms, after.Alarms);
        Assert.Equal(rig.C.AckedAlarms, after.AckedAlarms);
        Assert.True(w.Position < 12_500, $"state is {w.Position} bytes");
    }

    [Fact]
    public void The_step_path_allocates_nothing()
    {
        var rig = new Rig();
        var p = Program("drug", 2_000_000, 400_000, (0, 300_000), (6 * 60, 100_000), (12 * 60, 250_000), (18 * 60, 0));
        Check(p.SetMinRate(10_000));
        rig.Begin(p, 20_000_000);
        var c = rig.C;
        var e = new TherapyEvent();
        long now = 0;
        for (int i = 0; i < 1000; i++) { now = c.NextWakeMicros; c.Advance(now); while (c.TryTakeEvent(e)) { } }
        // Three measured passes of 50,000 wake-ups each; steady state means the quietest of them
        // allocates nothing. A per-step allocation would show in every pass (50,000 times over);
        // a one-off runtime effect (the JIT's on-stack replacement of a loop compiled while the
        // machine is loaded) can land in one pass, and did once under a parallel Stryker run.
        long steps = c.TotalSteps;
        var passes = new long[3];
        for (int pass = 0; pass < passes.Length; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50_000; i++)
            {
                now = c.NextWakeMicros;
                c.Advance(now);
                while (c.TryTakeEvent(e)) { }
            }
            passes[pass] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(c.TotalSteps - steps > 120_000);
        Assert.True(passes.Min() == 0, $"bytes allocated per pass: {string.Join(", ", passes)}");
    }
}
