using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>The therapy rules of PROTOCOL.md, one by one. Unless said otherwise the drug is
/// 1 mg/mL (1000 ug/mL) and the calibration 10^6 steps/mL, so one step is 1 nL and 1 ng.</summary>
public class TherapyRulesTests
{
    private static Rig OneNgPerStep()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        return rig;
    }

    /// <summary>1440 ng/day = one step a minute; limit 10 ug.</summary>
    private static Prescription Minutely(long limitNg = 10_000)
    {
        var p = Program("drug", 1_000_000, limitNg, (0, 1440));
        Check(p.SetReservoir(1_000_000_000, 1_000_000));
        return p;
    }

    [Fact]
    public void Start_needs_a_program_and_no_stopping_alarm()
    {
        var rig = OneNgPerStep();
        var r = rig.C.Start(0);
        Assert.Equal(409, r.Code);
        Assert.Equal("no active program", r.Detail);
        rig.Begin(Minutely(), 1_000_000_000);
        Assert.Equal("state RUNNING", rig.C.Start(0).Detail);
        rig.C.SetInputs(false, true, false, 0);
        Assert.Equal(TherapyState.Alarm, rig.C.State);
        Assert.Equal("state ALARM", rig.C.Start(0).Detail);
    }

    [Fact]
    public void Stop_suspends_to_the_minimum_rate_and_a_second_stop_stops()
    {
        var rig = OneNgPerStep();
        var p = Minutely();
        Check(p.SetMinRate(144));                       // 144 nL/day: one step every 10 min
        rig.Begin(p, 1_000_000_000);
        rig.RunTo(Hour);
        Assert.Equal(60, rig.C.TotalSteps);
        rig.Ok(rig.C.Stop(rig.Now));
        Assert.Equal(TherapyState.Suspended, rig.C.State);
        Assert.Equal(144, rig.C.RateNlPerDay);
        rig.RunTo(2 * Hour);
        Assert.Equal(66, rig.C.TotalSteps);
        rig.Ok(rig.C.Stop(rig.Now));
        Assert.Equal(TherapyState.Stopped, rig.C.State);
        rig.RunTo(3 * Hour);
        Assert.Equal(66, rig.C.TotalSteps);
        rig.Ok(rig.C.Stop(rig.Now));                    // accepted in every state
        Assert.Equal(TherapyState.Stopped, rig.C.State);
    }

    [Fact]
    public void Start_delivers_from_that_instant()
    {
        var rig = OneNgPerStep();
        rig.Ok(rig.C.Commit(Minutely(), false, 0));
        rig.Ok(rig.C.Refill(1_000_000, 0));
        rig.RunTo(10 * Hour + 30 * Second);
        rig.Ok(rig.C.Start(rig.Now));
        Assert.Equal(10 * Hour + 90 * Second, rig.C.NextWakeMicros);
        rig.RunFor(Hour);
        Assert.Equal(60, rig.C.TotalSteps);
    }

    [Fact]
    public void Clinician_bolus_runs_on_top_of_basal_and_cancel_drops_the_rest()
    {
        var rig = OneNgPerStep();
        rig.Begin(Minutely(), 1_000_000_000);
        // 60 ng over 60 min: one more step a minute, 2 a minute in all.
        rig.Ok(rig.C.StartClinicianBolus(60, 60, 0));
        Assert.Equal(BolusKind.Clinician, rig.C.ActiveBolus);
        Assert.Equal(1440 + 1440, rig.C.RateNgPerDay);
        Assert.Equal(409, rig.C.StartClinicianBolus(1, 1, 0).Code);   // one at a time
        Assert.Equal("bolus in progress (CLINICIAN)", rig.C.StartClinicianBolus(1, 1, 0).Detail);
        rig.RunTo(Hour);
        Assert.Equal(120, rig.C.TotalSteps);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Single(rig.EventsOf(TherapyEventKind.BolusEnded));

        rig.Ok(rig.C.StartClinicianBolus(60, 60, rig.Now));
        rig.RunTo(Hour + 30 * Minute);
        Assert.Equal(180, rig.C.TotalSteps);
        rig.Ok(rig.C.CancelBolus(rig.Now));
        rig.RunTo(2 * Hour);
        Assert.Equal(210, rig.C.TotalSteps);                           // the other 30 ng never come
        Assert.Equal(409, rig.C.CancelBolus(rig.Now).Code);
    }

    [Fact]
    public void Clinician_bolus_refusals_name_the_numbers()
    {
        var rig = OneNgPerStep();
        rig.Ok(rig.C.Commit(Minutely(10_000), false, 0));
        Assert.Equal("state STOPPED", rig.C.StartClinicianBolus(1, 1, 0).Detail);
        rig.Ok(rig.C.Refill(1_000_000, 0));
        rig.Ok(rig.C.Start(0));
        rig.RunTo(Hour);                                               // 60 ng in the window
        var r = rig.C.StartClinicianBolus(9_941, 60, rig.Now);
        Assert.Equal(422, r.Code);
        Assert.Equal("window_ug=0.060 bolus_ug=9.941 exceeds limit_ug_day=10.000", r.Detail);
        rig.Ok(rig.C.StartClinicianBolus(9_940, 60, rig.Now));           // exactly up to the limit
        rig.Ok(rig.C.CancelBolus(rig.Now));
        // 1000 steps/s max: 86.4e6 steps/day = 86.4 mg/day; 100 mg over 1 min is far above.
        r = rig.C.StartClinicianBolus(100, 1, rig.Now);
        Assert.True(r.IsOk, r.Detail);
        rig.Ok(rig.C.CancelBolus(rig.Now));
        var small = new Rig(maxStepsPerSecond: 1);
        small.Ok(small.C.SetCalibration(1_000_000, 0));
        small.Begin(Minutely(), 1_000_000_000);
        r = small.C.StartClinicianBolus(100, 1, 0);                    // 144000 ng/day + 1440 basal > 86400
        Assert.Equal("rate_ug_day=145.440 exceeds motor_max_ug_day=86.400", r.Detail);
        Assert.Equal(BolusKind.None, small.C.ActiveBolus);
    }

    [Fact]
    public void Commit_cancels_a_running_clinician_bolus()
    {
        var rig = OneNgPerStep();
        rig.Begin(Minutely(), 1_000_000_000);
        rig.Ok(rig.C.StartClinicianBolus(60, 60, 0));
        rig.RunTo(10 * Minute);
        rig.Ok(rig.C.Commit(Minutely(20_000), false, rig.Now));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        var cancel = Assert.Single(rig.EventsOf(TherapyEventKind.BolusCancelled));
        Assert.Equal(TherapyEvent.ReasonCommit, cancel.Value1);
        Assert.Equal(TherapyState.Running, rig.C.State);
    }

    private static Prescription WithPtm(long doseNg = 100, int durationMin = 10, int lockoutMin = 60, int maxPerDay = 3, long limitNg = 10_000)
    {
        var p = Minutely(limitNg);
        Check(p.SetPtm(doseNg, durationMin, lockoutMin, maxPerDay));
        return p;
    }

    [Fact]
    public void Ptm_lockout_counts_from_the_previous_granted_start()
    {
        var rig = OneNgPerStep();
        rig.Begin(WithPtm(), 1_000_000_000);
        var r = rig.C.RequestPatientBolus(0);
        Assert.True(r.IsOk);
        Assert.Equal(100, r.DoseNg);
        Assert.Equal(3600, r.NextAllowedSeconds);
        rig.RunTo(10 * Minute);                                  // bolus over
        Assert.Equal(10 + 100, rig.C.TotalSteps);
        rig.RunTo(59 * Minute + 59 * Second + 500_000);
        r = rig.C.RequestPatientBolus(rig.Now);
        Assert.Equal(423, r.Code);
        Assert.Equal(1, r.RemainingSeconds);                     // 0.5 s, rounded up
        Assert.Equal("lockout remaining_s=1", r.Detail);
        rig.RunTo(Hour);
        Assert.True(rig.C.RequestPatientBolus(rig.Now).IsOk);   // row: exactly at the end of the lockout
        rig.Drain();
        var refused = Assert.Single(rig.EventsOf(TherapyEventKind.PtmRefused));
        Assert.Equal(423, refused.Code);
        Assert.Equal(2, rig.EventsOf(TherapyEventKind.PtmGranted).Count());
    }

    [Fact]
    public void Ptm_daily_count_is_over_the_rolling_24_h()
    {
        var rig = OneNgPerStep();
        rig.Begin(WithPtm(lockoutMin: 60, maxPerDay: 3), 1_000_000_000);
        for (int i = 0; i < 3; i++)
        {
            rig.RunTo(i * 2 * Hour);
            var r = rig.C.RequestPatientBolus(rig.Now);
            Assert.True(r.IsOk, r.Detail);
            // After the third, the next is allowed when the first leaves the 24 h: at 24 h, 20 h from now.
            Assert.Equal(i < 2 ? 3600 : 20 * 3600, r.NextAllowedSeconds);
        }
        rig.RunTo(23 * Hour);
        var refused = rig.C.RequestPatientBolus(rig.Now);
        Assert.Equal(423, refused.Code);
        Assert.Equal(3600, refused.RemainingSeconds);
        Assert.Equal("daily count reached max_per_day=3 remaining_s=3600", refused.Detail);
        rig.RunTo(Day);
        Assert.True(rig.C.RequestPatientBolus(rig.Now).IsOk);
        Assert.Equal(3, rig.C.PtmGrantedInDay(rig.Now));
    }

    [Fact]
    public void Ptm_refusals_in_order_of_the_rules()
    {
        var rig = OneNgPerStep();
        rig.Ok(rig.C.Commit(Minutely(), false, 0));
        Assert.Equal("state STOPPED", rig.C.RequestPatientBolus(0).Detail);
        rig.Ok(rig.C.Refill(1_000_000, 0));
        rig.Ok(rig.C.Start(0));
        Assert.Equal("PTM disabled", rig.C.RequestPatientBolus(0).Detail);
        rig.Ok(rig.C.Commit(WithPtm(doseNg: 2_000, maxPerDay: 4), false, 0));
        rig.Ok(rig.C.StartClinicianBolus(10, 10, 0));
        Assert.Equal("bolus in progress (CLINICIAN)", rig.C.RequestPatientBolus(0).Detail);
        rig.Ok(rig.C.CancelBolus(0));
        // Window: 5 ng; 4 x 2 ug PTM would leave too little room for the 4th.
        for (int i = 0; i < 4; i++)
        {
            rig.RunTo(i * 70 * Minute + 5 * Minute);
            var r = rig.C.RequestPatientBolus(rig.Now);
            if (i < 4 && rig.C.WindowNg(rig.Now) + 2_000 <= 10_000) Assert.True(r.IsOk, r.Detail);
            else
            {
                Assert.Equal(423, r.Code);
                Assert.StartsWith("window_ug=", r.Detail);
                Assert.EndsWith("ptm_dose_ug=2.000 exceeds limit_ug_day=10.000", r.Detail);
            }
        }
        rig.Drain();
        Assert.Equal(4, rig.EventsOf(TherapyEventKind.PtmGranted).Count() + rig.EventsOf(TherapyEventKind.PtmRefused).Count(e => e.Code == 423));
    }

    [Fact]
    public void Dose_limit_holds_steps_back_and_clears_ten_minutes_after_the_last()
    {
        var rig = OneNgPerStep();
        // 720 ng/day basal (a step every 2 min), limit 1000 ng; three 250 ng boluses fill the window early.
        var p = Program("drug", 1_000_000, 1_000, (0, 720));
        Check(p.SetReservoir(1_000_000_000, 0));
        rig.Begin(p, 1_000_000_000);
        for (int i = 0; i < 3; i++)
        {
            rig.RunTo(i * 10 * Minute);
            rig.Ok(rig.C.StartClinicianBolus(250, 10, rig.Now));
        }
        rig.RunTo(30 * Minute);
        Assert.Equal(422, rig.C.StartClinicianBolus(250, 10, rig.Now).Code);
        long maxWindow = 0;
        rig.OnAdvance = (t, n) => maxWindow = Math.Max(maxWindow, rig.C.WindowNg(t));
        rig.RunTo(3 * Day);
        Assert.True(maxWindow <= 1_000);
        var raised = rig.EventsOf(TherapyEventKind.AlarmRaised).Where(e => e.Code == AlarmCode.DoseLimit).ToList();
        var cleared = rig.EventsOf(TherapyEventKind.AlarmCleared).Where(e => e.Code == AlarmCode.DoseLimit).ToList();
        Assert.NotEmpty(raised);
        Assert.Equal(raised.Count, cleared.Count);
        Assert.Equal(rig.C.HeldBackSteps, cleared.Sum(e => e.Value1));
        Assert.True(rig.C.HeldBackSteps > 0);
        // 750 ng of bolus + 15 of basal by 30 min; basal fills the remaining 235 ng in 470 min: the first hold
        // is at ~8 h 20 min, long before the boluses' minutes leave the window at 24 h.
        Assert.InRange(raised[0].TimelineMicros, 8 * Hour, 9 * Hour);
        Assert.Equal(TherapyState.Running, rig.C.State);
        Assert.DoesNotContain(rig.Events, e => e.Kind == TherapyEventKind.StateChanged && e.TimelineMicros > Minute);
        // Never chatters: each clear is 10 min after a held step, and nothing is held in those 10 min.
        for (int i = 0; i < raised.Count; i++)
        {
            Assert.True(cleared[i].TimelineMicros >= raised[i].TimelineMicros + 10 * Minute);
            if (i + 1 < raised.Count) Assert.True(raised[i + 1].TimelineMicros > cleared[i].TimelineMicros);
        }
        // Held volume is not made up: over 3 days, delivered = window-limited.
        Assert.Equal(3 * 720 + 750 - rig.C.HeldBackSteps, rig.C.TotalSteps);
    }

    [Fact]
    public void Stall_is_latched_until_cause_gone_and_acknowledged_in_either_order()
    {
        foreach (bool ackFirst in new[] { true, false })
        {
            var rig = OneNgPerStep();
            var p = Minutely();
            Check(p.SetMinRate(1440));
            rig.Begin(p, 1_000_000_000);
            rig.Ok(rig.C.StartClinicianBolus(60, 60, 0));
            rig.RunTo(10 * Minute);
            rig.C.SetInputs(true, false, false, rig.Now);
            rig.Drain();
            Assert.Equal(TherapyState.Alarm, rig.C.State);
            Assert.Equal(AlarmCode.Stall, rig.C.Alarms);
            Assert.Equal(BolusKind.None, rig.C.ActiveBolus);             // a stopping alarm cancels the bolus
            long steps = rig.C.TotalSteps;
            rig.RunTo(Hour);
            Assert.Equal(steps, rig.C.TotalSteps);                       // nothing in ALARM, not even min rate
            if (ackFirst)
            {
                rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, rig.Now));
                Assert.Equal(AlarmCode.Stall, rig.C.AckedAlarms);
                Assert.Equal(TherapyState.Alarm, rig.C.State);
                rig.C.SetInputs(false, false, false, rig.Now);
            }
            else
            {
                rig.C.SetInputs(false, false, false, rig.Now);
                Assert.Equal(TherapyState.Alarm, rig.C.State);           // latched
                rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, rig.Now));
            }
            Assert.Equal(AlarmCode.None, rig.C.Alarms);
            Assert.Equal(TherapyState.Suspended, rig.C.State);
            rig.RunTo(2 * Hour);
            Assert.Equal(steps + 60, rig.C.TotalSteps);                  // the minimum rate resumed
            rig.Ok(rig.C.Start(rig.Now));
            Assert.Equal(TherapyState.Running, rig.C.State);
        }
    }

    [Fact]
    public void Occlusion_low_battery_and_critical()
    {
        var rig = OneNgPerStep();
        rig.C.RaiseCritical(0);
        Assert.Equal(TherapyState.Alarm, rig.C.State);
        rig.Ok(rig.C.Commit(Minutely(), false, 0));                   // a new commit clears CRITICAL
        Assert.Equal(TherapyState.Stopped, rig.C.State);              // it was STOPPED before
        rig.Ok(rig.C.Refill(2_000_000, 0));
        rig.Ok(rig.C.Start(0));
        rig.C.SetInputs(false, false, true, 0);
        Assert.Equal(AlarmCode.LowBattery, rig.C.Alarms);
        Assert.Equal(TherapyState.Running, rig.C.State);              // not a stopping alarm
        rig.C.SetInputs(false, true, true, 0);
        Assert.Equal(TherapyState.Alarm, rig.C.State);
        Assert.Equal(409, rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0).Code);
        rig.C.SetInputs(false, false, false, 0);
        Assert.Equal(AlarmCode.Occlusion, rig.C.Alarms);
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Occlusion, 0));
        Assert.Equal(TherapyState.Suspended, rig.C.State);
    }

    [Fact]
    public void Empty_and_low_reservoir()
    {
        var rig = OneNgPerStep();
        var p = Minutely();
        Check(p.SetReservoir(1_000_000, 50));                           // low alarm at 50 nL
        rig.Ok(rig.C.Commit(p, false, 0));
        Assert.Equal(AlarmCode.LowReservoir, rig.C.Alarms);              // a fresh pump is empty
        rig.Ok(rig.C.Refill(100, 0));
        Assert.Equal(AlarmCode.None, rig.C.Alarms);
        rig.Ok(rig.C.Start(0));
        Assert.Equal(1440 * 100L / 1440 * 60, rig.C.EmptyInSeconds(0));  // 100 nL at 1 nL/min: 6000 s
        rig.RunTo(50 * Minute);
        Assert.Equal(50, rig.C.ReservoirNl);
        Assert.Equal(AlarmCode.LowReservoir, rig.C.Alarms);
        rig.RunTo(100 * Minute);
        Assert.Equal(0, rig.C.ReservoirNl);
        Assert.Equal(TherapyState.Running, rig.C.State);
        rig.RunTo(101 * Minute);                                         // the 101st step cannot be supplied
        Assert.Equal(TherapyState.Alarm, rig.C.State);
        Assert.Equal(AlarmCode.LowReservoir | AlarmCode.Empty, rig.C.Alarms);
        Assert.Equal(-1, rig.C.EmptyInSeconds(rig.Now));
        Assert.Equal(422, rig.C.Refill(1_000_001, rig.Now).Code);
        rig.Ok(rig.C.Refill(1_000_000, rig.Now));
        Assert.Equal(AlarmCode.None, rig.C.Alarms);
        Assert.Equal(TherapyState.Suspended, rig.C.State);              // until START
        rig.Ok(rig.C.Start(rig.Now));
        Assert.Equal(100, rig.C.TotalSteps);
        Assert.Equal(100, rig.C.DeliveredNl);
    }

    [Fact]
    public void Empty_in_seconds_follows_the_schedule_and_the_bolus()
    {
        var rig = new Rig();
        // 96 uL/day (2.4 ug/day of 25 ug/mL), 960 uL in the reservoir: 10 days.
        rig.Begin(Program("zic", 25_000, 10_000, (0, 2_400)), 960_000);
        Assert.Equal(864_000, rig.C.EmptyInSeconds(0));
        // A bolus of 0.24 ug (9.6 uL) over 60 min: 0.1 day of basal sooner = 8640 s.
        rig.Ok(rig.C.StartClinicianBolus(240, 60, 0));
        Assert.Equal(864_000 - 8_640, rig.C.EmptyInSeconds(0));
        rig.Ok(rig.C.Stop(0));
        Assert.Equal(-1, rig.C.EmptyInSeconds(0));                       // SUSPENDED without minimum rate
        rig.Ok(rig.C.Stop(0));
        Assert.Equal(-1, rig.C.EmptyInSeconds(0));                       // STOPPED
    }

    [Fact]
    public void Prime_only_when_stopped_at_max_rate_outside_the_window()
    {
        var rig = OneNgPerStep();
        var p = Minutely(limitNg: 100);                                   // 1440/day > 100: invalid...
        Check(p.SetStep(0, 100));
        Check(p.SetCatheter(500));
        rig.Ok(rig.C.Commit(p, false, 0));
        rig.Ok(rig.C.Refill(1_000_000, 0));
        Assert.Equal(422, rig.C.Prime(501, 0).Code);
        Assert.Equal("volume_ul=0.501 exceeds catheter_ul=0.500", rig.C.Prime(501, 0).Detail);
        rig.Ok(rig.C.Prime(500, 0));
        Assert.Equal(BolusKind.Prime, rig.C.ActiveBolus);
        Assert.Equal(409, rig.C.Start(0).Code);
        rig.RunTo(Second);                                                // 1000 steps/s: 500 steps in 0.5 s
        Assert.Equal(500, rig.C.TotalSteps);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal(0, rig.C.WindowNg(rig.Now));                         // 500 ng primed, limit 100: not counted
        rig.Ok(rig.C.Start(rig.Now));
        Assert.Equal("state RUNNING", rig.C.Prime(1, rig.Now).Detail);
    }

    [Fact]
    public void Bridge_delivers_the_catheter_at_the_old_volume_rate_and_old_concentration()
    {
        var rig = OneNgPerStep();
        var oldProgram = Minutely(limitNg: 100_000);                      // 1 ug/mL, 1440 nL/day
        rig.Begin(oldProgram, 1_000_000_000);
        rig.RunTo(Hour);
        var newProgram = Program("drug", 2_000_000, 100_000, (0, 5_760));      // 2 ug/mL, 2880 nL/day
        Check(newProgram.SetCatheter(30));
        Check(newProgram.SetReservoir(1_000_000_000, 1_000_000));
        rig.Ok(rig.C.Commit(newProgram, true, rig.Now));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(1440, rig.C.RateNlPerDay);                           // old volume rate
        Assert.Equal(1440, rig.C.RateNgPerDay);                           // old concentration
        Assert.Equal(409, rig.C.CancelBolus(rig.Now).Code);               // BOLUS:CANCEL does not end it
        Assert.Equal(409, rig.C.StartClinicianBolus(1, 1, rig.Now).Code);
        rig.RunFor(30 * Minute);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);                  // 30 nL at 1 nL/min
        Assert.Equal(60 + 30, rig.C.WindowNg(rig.Now));                   // old drug: 1 ng per step
        rig.RunFor(Hour);
        // Then the new program: 5760 ng/day at 2 ng/nL is 2880 nL/day, 2 steps a minute of 2 ng each.
        Assert.Equal(90 + 60 * 2 * 2, rig.C.WindowNg(rig.Now));
    }

    [Fact]
    public void Bridge_is_used_up_by_the_minimum_rate_and_survives_a_reset()
    {
        var rig = OneNgPerStep();
        rig.Begin(Minutely(limitNg: 100_000), 1_000_000_000);
        var newProgram = Program("drug", 2_000_000, 100_000, (0, 5_760));
        Check(newProgram.SetCatheter(30));
        Check(newProgram.SetMinRate(1440));
        Check(newProgram.SetReservoir(1_000_000_000, 1_000_000));
        rig.Ok(rig.C.Commit(newProgram, true, 0));
        rig.Ok(rig.C.Stop(0));
        rig.RunTo(10 * Minute);
        Assert.Equal(20, rig.C.BridgeRemainingNl);

        var buffer = new byte[16384];
        var w = new StateWriter(buffer);
        rig.C.Save(w);
        Assert.False(w.Overflow);
        var after = new TherapyController(1000);
        Assert.True(after.Load(new StateReader(buffer, 0, w.Position)));
        after.Boot(rig.Now + Hour);                                        // an hour off: nothing made up
        Assert.Equal(BolusKind.Bridge, after.ActiveBolus);
        Assert.Equal(20, after.BridgeRemainingNl);
        Assert.Equal(TherapyState.Suspended, after.State);
        Assert.Equal(10, after.TotalSteps);
        Assert.Equal(rig.C.ProgramCrc, after.ProgramCrc);
    }

    [Fact]
    public void Commit_with_bridge_but_same_concentration_starts_no_bridge()
    {
        var rig = OneNgPerStep();
        rig.Begin(Minutely(), 1_000_000_000);
        var p = Minutely(20_000);
        Check(p.SetCatheter(30));
        rig.Ok(rig.C.Commit(p, true, 0));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
    }

    [Fact]
    public void Wall_clock_change_moves_the_schedule_from_now_without_catch_up()
    {
        var rig = OneNgPerStep();
        rig.Ok(rig.C.SetWallClock(0, 0));                                   // 00:00
        var p = Program("drug", 1_000_000, 100_000, (0, 0), (12 * 60, 2880));    // nothing until noon, then 2/min
        Check(p.SetReservoir(1_000_000_000, 0));
        rig.Begin(p, 1_000_000_000);
        rig.RunTo(6 * Hour);
        Assert.Equal(0, rig.C.TotalSteps);
        rig.Ok(rig.C.SetWallClock(18 * 3600, rig.Now));                     // jump to 18:00
        Assert.Equal(2880, rig.C.RateNgPerDay);
        rig.RunTo(7 * Hour);
        Assert.Equal(120, rig.C.TotalSteps);                                // from now only: no 6 h catch-up
        rig.Ok(rig.C.SetWallClock(12 * 3600, rig.Now));                     // back to 12:00: no repeat either
        rig.RunTo(8 * Hour);
        Assert.Equal(240, rig.C.TotalSteps);
        Assert.Equal(13 * 3600, rig.C.UnixSeconds(rig.Now));
        Assert.Equal(422, rig.C.SetWallClock(TherapyController.MaxUnixSeconds + 1, rig.Now).Code);
    }

    [Fact]
    public void Calibration_change_keeps_the_volume_of_each_step()
    {
        var rig = new Rig();                                                 // 64000 steps/mL: 15.625 nL a step
        rig.Begin(Program("drug", 1_000_000, 1_000_000, (0, 86_400)), 1_000_000); // 86.4 uL/day = 5529.6 steps/day
        rig.RunTo(Hour);
        long steps = rig.C.TotalSteps;                                       // 230 (230.4, floor)
        Assert.Equal(230, steps);
        Assert.Equal(3593, rig.C.DeliveredNl);                               // 230 x 15.625 = 3593.75
        rig.Ok(rig.C.SetCalibration(1000, rig.Now));                         // now 1000 nL a step
        rig.RunTo(2 * Hour);
        // 3600 nL/h is now 3.6 steps/h; the 0.4 step carried (6.25 nL) is 0.00625 new steps: 3 full steps.
        Assert.Equal(3593 + 3000, rig.C.DeliveredNl);
        Assert.Equal(233, rig.C.TotalSteps);
        Assert.Equal(422, rig.C.SetCalibration(0, rig.Now).Code);
        Assert.Equal(422, rig.C.SetCalibration(10_000_001, rig.Now).Code);
    }
}

public class EmptyForecastTests
{
    [Fact]
    public void The_forecast_matches_when_the_reservoir_really_runs_out()
    {
        // A flex day at 64000 steps/mL, a PTM running; the reservoir lasts a few days.
        var rig = new Rig();
        var p = Program("flex", 2_000_000, 1_000_000, (0, 200_000), (6 * 60, 300_000), (12 * 60, 450_000), (18 * 60 + 30, 0));
        Check(p.SetPtm(20_000, 30, 60, 4));
        Check(p.SetReservoir(20_000_000, 0));
        rig.Begin(p, 500_000);                                    // 0.5 mL: about 3 days at ~0.15 mL/day
        rig.RunTo(7 * Hour + 17 * Minute);
        Assert.True(rig.C.RequestPatientBolus(rig.Now).IsOk);
        long forecast = rig.C.EmptyInSeconds(rig.Now);
        long from = rig.Now;
        while (rig.C.ReservoirNl >= 16 && rig.C.State == TherapyState.Running) rig.RunTo(rig.C.NextWakeMicros);
        long actualSeconds = (rig.Now - from) / Second;
        // Until the last step that fit (a step is 15.625 nL, 13.5 s apart at the lowest nonzero rate here).
        Assert.InRange(forecast - actualSeconds, -120, 120);                 // seen: 3 s
        Assert.InRange(forecast, 2 * 86400, 4 * 86400);
    }
}
