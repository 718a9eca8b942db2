using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using PumpFirmware.Units;
using static PumpFirmware.Core.Tests.Rig;
using static PumpFirmware.Core.Tests.TherapyCommandContractTests;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The therapy commands at their edges: every range at its ends (accepted) and one past them
/// (refused with the exact ERR text of PROTOCOL.md's style, naming the value and the limit), and
/// the events each command queues for the log. One step is 1 nL and 1 ng unless said otherwise.
/// </summary>
public class TherapyCommandEdgeTests
{
    private static string Events(Rig rig, int from = 0) =>
        string.Join(" | ", rig.Events.Skip(from).Select(e => $"{e.Kind} {e.Code} {e.Value1} {e.Value2}"));

    private static int Mark(Rig rig)
    {
        rig.Drain();
        return rig.Events.Count;
    }

    [Fact]
    public void Validate_program_refuses_a_missing_or_incomplete_program_and_names_a_broken_limit()
    {
        var c = new TherapyController(1000);
        Assert.Equal((409, "program incomplete"), (c.ValidateProgram(null!).Code, c.ValidateProgram(null!).Detail));
        Assert.Equal("program incomplete", c.ValidateProgram(new Prescription()).Detail);
        var p = Program();
        Assert.True(c.ValidateProgram(p).IsOk);
        Check(p.SetLimit(2_699));                                   // worst day: 2520 basal + 3 x 60 PTM = 2700 ng
        var r = c.ValidateProgram(p);
        Assert.Equal((422, "worst_day_ug=2.700 exceeds limit_ug_day=2.699"), (r.Code, r.Detail));
    }

    [Fact]
    public void Stop_cancels_a_patient_bolus_and_a_prime_with_reason_stop()
    {
        var rig = Running();
        rig.Ok(rig.Do((c, t) => c.RequestPatientBolus(t)));
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        Assert.Equal($"BolusCancelled {(int)BolusKind.Ptm} {TherapyEvent.ReasonStop} 0 | StateChanged {(int)TherapyState.Suspended} {(int)TherapyState.Running} 0",
            Events(rig, mark));
        rig.Ok(rig.Do((c, t) => c.Stop(t)));                     // STOPPED
        rig.Ok(rig.Do((c, t) => c.Prime(400, t)));
        mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        Assert.Equal($"BolusCancelled {(int)BolusKind.Prime} {TherapyEvent.ReasonStop} 0", Events(rig, mark));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
    }

    [Fact]
    public void Commit_starts_a_bridge_only_when_asked_for_with_a_new_concentration_and_a_catheter_volume()
    {
        var rig = Running();
        rig.RunTo(Hour);
        var stronger = Program();
        Check(stronger.SetDrug("drug", 2_000_000));

        // Not asked for: no bridge, even with a new concentration and a catheter.
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Commit(stronger, false, t)));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal($"ProgramCommitted {stronger.ComputeCrc()} 0 0", Events(rig, mark));

        // Asked for, new concentration, but the catheter volume is 0: none.
        var noCatheter = Program();
        Check(noCatheter.SetCatheter(0));
        rig.Ok(rig.Do((c, t) => c.Commit(noCatheter, true, t)));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);

        // Asked for, new concentration (2 -> 1 mg/mL), 500 nL catheter: a bridge of 500 nL.
        mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Commit(stronger, false, t)));
        rig.Ok(rig.Do((c, t) => c.Commit(Program(), true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(500, rig.C.BridgeRemainingNl);
        Assert.EndsWith($"ProgramCommitted {Program().ComputeCrc()} 1 0 | BolusStarted {(int)BolusKind.Bridge} 500 0", Events(rig, mark));
    }

    [Fact]
    public void Commit_raises_low_reservoir_when_the_reservoir_is_at_the_new_threshold()
    {
        var rig = Running();                                       // 1 mL in a reservoir with a 1 uL alarm
        var p = Program();
        Check(p.SetReservoir(1_000_000_000, 1_000_000));           // threshold = the reservoir exactly
        rig.Ok(rig.Do((c, t) => c.Commit(p, false, t)));
        Assert.Equal(AlarmCode.LowReservoir, rig.C.Alarms & AlarmCode.LowReservoir);
    }

    [Theory]
    [InlineData(0L, 60, 422, "dose_ug=0.000 out of range 0.001..100000000.000")]
    [InlineData(100_000_000_001L, 60, 422, "dose_ug=100000000.001 out of range 0.001..100000000.000")]
    [InlineData(60L, 0, 422, "duration_min=0 out of range 1..1440")]
    [InlineData(60L, 1441, 422, "duration_min=1441 out of range 1..1440")]
    [InlineData(1L, 60, 0, null)]
    [InlineData(60L, 1440, 0, null)]
    public void Clinician_bolus_dose_and_duration_ranges(long doseNg, int durationMin, int code, string? detail)
    {
        var rig = Running();
        var r = rig.Do((c, t) => c.StartClinicianBolus(doseNg, durationMin, t));
        Assert.Equal((code, detail), (r.Code, r.Detail));
        Assert.Equal(code == 0 ? BolusKind.Clinician : BolusKind.None, rig.C.ActiveBolus);
    }

    [Fact]
    public void Clinician_bolus_may_take_the_motor_exactly_to_its_maximum()
    {
        // 1 step/s: 86400 ng/day. Basal 1440 + 59 ng in 1 min (84960 ng/day) = 86400: allowed.
        var rig = new Rig(maxStepsPerSecond: 1);
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        rig.Begin(Rig.Program("drug", 1_000_000, 100_000, (0, 1440)), 1_000_000);
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.StartClinicianBolus(59, 1, t)));
        Assert.Equal($"BolusStarted {(int)BolusKind.Clinician} 59 {Minute}", Events(rig, mark));
        rig.RunFor(Minute);
        var r = rig.Do((c, t) => c.StartClinicianBolus(60, 1, t));
        Assert.Equal("rate_ug_day=87.840 exceeds motor_max_ug_day=86.400", r.Detail);
    }

    [Fact]
    public void Bolus_cancel_does_not_end_a_bridge_and_logs_its_reason()
    {
        var rig = Running();
        rig.Ok(rig.Do((c, t) => c.StartClinicianBolus(60, 60, t)));
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.CancelBolus(t)));
        Assert.Equal($"BolusCancelled {(int)BolusKind.Clinician} {TherapyEvent.ReasonCancel} 0", Events(rig, mark));

        var stronger = Program();
        Check(stronger.SetDrug("drug", 2_000_000));
        rig.Ok(rig.Do((c, t) => c.Commit(stronger, true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        var r = rig.Do((c, t) => c.CancelBolus(t));
        Assert.Equal((409, "no bolus in progress"), (r.Code, r.Detail));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
    }

    /// <summary>PTM 60 ng over 10 min, 30 min lockout, <paramref name="maxPerDay"/> a day.</summary>
    private static Rig PtmPump(int maxPerDay)
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var p = Program();
        Check(p.SetPtm(60, 10, 30, maxPerDay));
        rig.Begin(p, 1_000_000);
        return rig;
    }

    [Fact]
    public void Ptm_lockout_runs_from_the_previous_granted_start_to_the_microsecond()
    {
        var rig = PtmPump(3);
        rig.RunTo(Hour);
        var first = rig.Do((c, t) => c.RequestPatientBolus(t));
        Assert.Equal((60L, 1800L), (first.DoseNg, first.NextAllowedSeconds));
        rig.RunTo(Hour + 30 * Minute - 1);
        int mark = Mark(rig);
        var r = rig.Do((c, t) => c.RequestPatientBolus(t));
        Assert.Equal((423, "lockout remaining_s=1", 1L), (r.Code, r.Detail, r.RemainingSeconds));
        Assert.Equal($"PtmRefused 423 1 0", Events(rig, mark));
        rig.RunTo(Hour + 30 * Minute);
        rig.Ok(rig.Do((c, t) => c.RequestPatientBolus(t)));
    }

    [Fact]
    public void Ptm_next_allowed_waits_for_the_daily_count_when_that_is_later_than_the_lockout()
    {
        var rig = PtmPump(1);
        rig.RunTo(Hour);
        var granted = rig.Do((c, t) => c.RequestPatientBolus(t));
        Assert.Equal(86_400, granted.NextAllowedSeconds);        // the one of today leaves the 24 h at 25:00
        Assert.Contains(rig.Events, e => e.Kind == TherapyEventKind.PtmGranted && e.Value1 == 60 && e.Value2 == 86_400);
        rig.RunTo(2 * Hour);
        var r = rig.Do((c, t) => c.RequestPatientBolus(t));
        Assert.Equal((423, "daily count reached max_per_day=1 remaining_s=82800"), (r.Code, r.Detail));
    }

    [Fact]
    public void Ptm_refused_by_the_24_h_limit_names_the_window_the_dose_and_the_limit()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var p = Program();
        Check(p.SetPtm(60, 10, 30, 3));
        Check(p.SetLimit(2_700));                                  // exactly the worst day
        rig.Begin(p, 1_000_000);
        rig.RunTo(Day);
        rig.Ok(rig.Do((c, t) => c.StartClinicianBolus(2_700 - rig.C.WindowNg(t), 1, t)));   // fill the window to the limit
        rig.RunFor(Minute);
        long window = rig.C.WindowNg(rig.Now);
        Assert.True(window + 60 > 2_700);
        var r = rig.Do((c, t) => c.RequestPatientBolus(t));
        Assert.Equal((423, $"window_ug={Fixed3.Format(window)} ptm_dose_ug=0.060 exceeds limit_ug_day=2.700"), (r.Code, r.Detail));
    }

    private static Rig Stopped(long stepsPerMl = 1_000_000)
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(stepsPerMl, 0));
        rig.Ok(rig.C.Commit(Program(), false, 0));
        rig.Ok(rig.C.Refill(1_000_000, 0));
        rig.Drain();
        return rig;
    }

    [Theory]
    [InlineData(0L, "volume_ul=0.000 exceeds catheter_ul=0.500")]
    [InlineData(501L, "volume_ul=0.501 exceeds catheter_ul=0.500")]
    [InlineData(-1L, "volume_ul=-0.001 exceeds catheter_ul=0.500")]
    public void Prime_volume_is_one_nanoliter_to_the_catheter_volume(long volumeNl, string detail)
    {
        var rig = Stopped();
        var r = rig.Do((c, t) => c.Prime(volumeNl, t));
        Assert.Equal((422, detail), (r.Code, r.Detail));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        rig.Ok(rig.Do((c, t) => c.Prime(500, t)));
        Assert.Equal(500, rig.C.PrimeRemainingNl);
    }

    [Fact]
    public void A_one_step_prime_makes_exactly_one_step_and_ends()
    {
        var rig = Stopped();
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Prime(1, t)));
        rig.RunFor(Second);
        Assert.Equal(1, rig.C.TotalSteps);
        Assert.Equal($"BolusStarted {(int)BolusKind.Prime} 1 0 | BolusEnded {(int)BolusKind.Prime} 0 0", Events(rig, mark));
    }

    [Fact]
    public void A_prime_smaller_than_one_step_ends_at_once_without_a_step()
    {
        var rig = Stopped(stepsPerMl: 1_000);                     // 1000 nL a step
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Prime(500, t)));
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        rig.RunFor(Second);
        Assert.Equal(0, rig.C.TotalSteps);
        Assert.Equal($"BolusStarted {(int)BolusKind.Prime} 500 0 | BolusEnded {(int)BolusKind.Prime} 0 0", Events(rig, mark));
    }

    [Fact]
    public void Prime_needs_a_program_and_no_pending_bridge()
    {
        var fresh = new Rig();
        Assert.Equal((409, "no active program"), (fresh.C.Prime(1, 0).Code, fresh.C.Prime(1, 0).Detail));

        var rig = Running();
        var stronger = Program();
        Check(stronger.SetDrug("drug", 2_000_000));
        rig.Ok(rig.Do((c, t) => c.Commit(stronger, true, t)));
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        var r = rig.Do((c, t) => c.Prime(100, t));
        Assert.Equal((409, "bolus in progress (BRIDGE)"), (r.Code, r.Detail));
    }

    [Theory]
    [InlineData(-1L, "volume_ul=-0.001 exceeds capacity_ul=1000000.000")]
    [InlineData(1_000_000_001L, "volume_ul=1000000.001 exceeds capacity_ul=1000000.000")]
    public void Refill_volume_is_zero_to_the_capacity(long volumeNl, string detail)
    {
        var rig = Running();
        long before = rig.C.ReservoirNl;
        var r = rig.Do((c, t) => c.Refill(volumeNl, t));
        Assert.Equal((422, detail), (r.Code, r.Detail));
        Assert.Equal(before, rig.C.ReservoirNl);
        rig.Ok(rig.Do((c, t) => c.Refill(0, t)));
        rig.Ok(rig.Do((c, t) => c.Refill(1_000_000_000, t)));
    }

    [Fact]
    public void Refill_without_a_program_is_bounded_by_the_default_capacity()
    {
        var rig = new Rig();
        var r = rig.C.Refill(Prescription.DefaultCapacityNl + 1, 0);
        Assert.Equal("volume_ul=20000.001 exceeds capacity_ul=20000.000", r.Detail);
        rig.Ok(rig.C.Refill(Prescription.DefaultCapacityNl, 0));
    }

    [Fact]
    public void Refill_to_exactly_the_low_alarm_keeps_it_raised_and_logs_old_and_new_volumes()
    {
        var rig = Running();                                       // low alarm 1000 nL
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.Refill(1_000, t)));
        Assert.Equal(AlarmCode.LowReservoir, rig.C.Alarms);
        Assert.StartsWith($"Refilled 0 1000 1000000 | AlarmRaised {AlarmCode.LowReservoir} 0 0", Events(rig, mark));
        rig.Ok(rig.Do((c, t) => c.Refill(1_001, t)));
        Assert.Equal(AlarmCode.None, rig.C.Alarms);
    }

    [Theory]
    [InlineData(0L, "steps_per_ml=0 out of range 1..10000000")]
    [InlineData(10_000_001L, "steps_per_ml=10000001 out of range 1..10000000")]
    public void Calibration_range(long stepsPerMl, string detail)
    {
        var c = new TherapyController(1000);
        var r = c.SetCalibration(stepsPerMl, 0);
        Assert.Equal((422, detail), (r.Code, r.Detail));
        Assert.Equal(TherapyController.DefaultStepsPerMl, c.StepsPerMl);
        Assert.True(c.SetCalibration(1, 0).IsOk);
        Assert.True(c.SetCalibration(TherapyController.MaxStepsPerMl, 0).IsOk);
    }

    [Fact]
    public void Calibration_that_would_push_the_program_past_the_motor_is_refused_and_logged_when_accepted()
    {
        // 1 step/s; 1 mg/mL at 10^6 steps/mL, 86400 ng/day = the motor's maximum exactly.
        var rig = new Rig(maxStepsPerSecond: 1);
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        rig.Begin(Rig.Program("drug", 1_000_000, 100_000, (0, 86_400)), 1_000_000);
        var r = rig.Do((c, t) => c.SetCalibration(1_000_001, t));  // motor: 86400 x 10^6 / 1000001 = 86399.9 ng/day
        Assert.Equal((422, "rate_ug_day=86.400 exceeds motor_max_ug_day=86.399"), (r.Code, r.Detail));
        int mark = Mark(rig);
        rig.Ok(rig.Do((c, t) => c.SetCalibration(999_999, t)));
        Assert.Equal("CalibrationChanged 0 999999 1000000", Events(rig, mark));
    }

    [Theory]
    [InlineData(-1L, "unix_s=-1 out of range 0..4102444800")]
    [InlineData(4_102_444_801L, "unix_s=4102444801 out of range 0..4102444800")]
    public void Wall_clock_range(long unixSeconds, string detail)
    {
        var rig = new Rig();
        var r = rig.C.SetWallClock(unixSeconds, 0);
        Assert.Equal((422, detail), (r.Code, r.Detail));
        Assert.False(rig.C.WallClockSet);
        rig.Ok(rig.C.SetWallClock(TherapyController.MaxUnixSeconds, 0));
        rig.Ok(rig.C.SetWallClock(0, 0));
    }

    [Fact]
    public void Wall_clock_events_carry_the_new_and_the_old_time()
    {
        var rig = new Rig();
        int mark = Mark(rig);
        rig.Ok(rig.C.SetWallClock(1_000, 0));
        rig.RunTo(10 * Second);
        rig.Ok(rig.C.SetWallClock(5_000, rig.Now));
        Assert.Equal("TimeSet 0 1000 0 | TimeSet 0 5000 1010", Events(rig, mark));
    }

    [Fact]
    public void Acknowledging_names_the_alarm_that_is_not_active()
    {
        var rig = Running();
        Assert.Equal((409, "alarm STALL not active"), (rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0).Code, rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0).Detail));
        rig.C.SetInputs(true, true, false, 0);
        Assert.Equal("alarm NONE not active", rig.C.AcknowledgeAlarm(AlarmCode.Stall | AlarmCode.Occlusion, 0).Detail);
    }

    [Fact]
    public void A_second_acknowledgement_keeps_a_latched_alarm_acknowledged()
    {
        var rig = Running();
        rig.C.SetInputs(true, false, false, 0);
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0));
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0));
        Assert.Equal(AlarmCode.Stall, rig.C.AckedAlarms);
        rig.C.SetInputs(false, false, false, Second);              // cause gone after the acknowledgements
        Assert.Equal(AlarmCode.None, rig.C.Alarms);
    }

    [Fact]
    public void Occlusion_acknowledged_first_clears_when_its_cause_goes()
    {
        var rig = Running();
        rig.C.SetInputs(false, true, false, 0);
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Occlusion, 0));
        Assert.Equal(AlarmCode.Occlusion, rig.C.Alarms);
        rig.C.SetInputs(false, false, false, Second);
        Assert.Equal(AlarmCode.None, rig.C.Alarms);
        Assert.Equal(TherapyState.Suspended, rig.C.State);
    }
}
