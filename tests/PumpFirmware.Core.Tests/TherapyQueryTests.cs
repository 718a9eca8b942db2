using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>The controller's public queries (what STATUS?, PROG?, CAL?, TIME? print), each checked with and
/// without the thing it reports. The calibration is 10^6 steps/mL (one step is 1 nL); the drug is 2 mg/mL
/// unless said otherwise, so that a volume rate (nL/day) and a drug rate (ng/day = 2 x nL/day) differ.</summary>
public class TherapyQueryTests
{
    private const long Q32 = 1L << 32;

    private static Rig OneNlPerStep(int maxStepsPerSecond = 1000)
    {
        var rig = new Rig(maxStepsPerSecond);
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        return rig;
    }

    /// <summary>2 mg/mL, 2880 ng/day = 1440 nL/day: one 1-nL step a minute.</summary>
    private static Prescription TwoMgPerMl(long limitNg = 100_000)
    {
        var p = Program("two", 2_000_000, limitNg, (0, 2_880));
        Check(p.SetReservoir(1_000_000_000, 0));
        Check(p.SetCatheter(500));
        return p;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TherapyController.MaxSupportedStepsPerSecond + 1)]
    public void The_board_step_rate_outside_1_to_20000_is_refused(int stepsPerSecond)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TherapyController(stepsPerSecond));
        Assert.Equal("maxStepsPerSecond", e.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TherapyController.MaxSupportedStepsPerSecond)]
    public void The_board_step_rate_1_and_20000_are_accepted_and_reported(int stepsPerSecond)
    {
        var c = new TherapyController(stepsPerSecond);
        Assert.Equal(stepsPerSecond, c.MaxStepsPerSecond);
    }

    [Fact]
    public void A_fresh_pump_has_no_program_no_bolus_no_rate_and_no_wall_clock()
    {
        var c = new TherapyController(1000);
        Assert.False(c.HasProgram);
        Assert.Null(c.ActiveProgram);
        Assert.Equal(-1, c.ProgramCrc);                         // PROG? answers crc=NONE
        Assert.Equal(TherapyController.DefaultStepsPerMl, c.StepsPerMl);
        Assert.Equal(64_000, c.StepsPerMl);
        Assert.Equal(BolusKind.None, c.ActiveBolus);
        Assert.Equal(0, c.BridgeRemainingNl);
        Assert.Equal(0, c.PrimeRemainingNl);
        Assert.Equal(long.MaxValue, c.BolusEndMicros);
        Assert.Equal(0, c.RateQ32StepsPerDay);
        Assert.Equal(0, c.RateNlPerDay);
        Assert.Equal(0, c.RateNgPerDay);
        Assert.False(c.WallClockSet);
        Assert.Equal(0, c.UnixSeconds(5 * Second));            // STATUS? unix_s=0 before TIME
        Assert.Equal(0, c.EventCount);
        Assert.Equal(0, c.EventsDropped);
        Assert.Equal(-1, c.EmptyInSeconds(0));
    }

    [Fact]
    public void A_commit_makes_the_program_active_with_its_crc_and_cal_sets_the_calibration()
    {
        var rig = new Rig();
        var p = TwoMgPerMl();
        rig.Ok(rig.C.Commit(p, false, 0));
        Assert.True(rig.C.HasProgram);
        Assert.NotNull(rig.C.ActiveProgram);
        Assert.Equal(p.CanonicalText(), rig.C.ActiveProgram!.CanonicalText());
        Assert.Equal(p.ComputeCrc(), rig.C.ProgramCrc);
        Assert.InRange(rig.C.ProgramCrc, 0, 0xFFFF);
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        Assert.Equal(1_000_000, rig.C.StepsPerMl);
    }

    [Fact]
    public void Rates_running_with_and_without_a_clinician_bolus()
    {
        var rig = OneNlPerStep();
        rig.Begin(TwoMgPerMl(), 1_000_000_000);
        // Basal: 2880 ng/day / 2 ng/nL = 1440 nL/day = 1440 steps/day, exact in Q32.
        Assert.Equal(1_440, rig.C.RateNlPerDay);
        Assert.Equal(2_880, rig.C.RateNgPerDay);
        Assert.Equal(1_440 * Q32, rig.C.RateQ32StepsPerDay);
        Assert.Equal(long.MaxValue, rig.C.BolusEndMicros);

        // 120 ng over 60 min = 2880 ng/day = 1440 nL/day on top.
        rig.Ok(rig.C.StartClinicianBolus(120, 60, 0));
        Assert.Equal(2_880, rig.C.RateNlPerDay);
        Assert.Equal(5_760, rig.C.RateNgPerDay);
        Assert.Equal(2_880 * Q32, rig.C.RateQ32StepsPerDay);
        Assert.Equal(Hour, rig.C.BolusEndMicros);
        Assert.Equal(30 * Second, rig.C.NextWakeMicros);          // 2 steps a minute from now, not the basal's 60 s

        rig.RunTo(Hour);                                           // the bolus ends
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal(long.MaxValue, rig.C.BolusEndMicros);
        Assert.Equal(1_440, rig.C.RateNlPerDay);
        Assert.Equal(2_880, rig.C.RateNgPerDay);
        Assert.Equal(1_440 * Q32, rig.C.RateQ32StepsPerDay);
    }

    [Fact]
    public void A_ptm_bolus_ends_its_duration_after_the_grant()
    {
        var rig = OneNlPerStep();
        var p = TwoMgPerMl();
        Check(p.SetPtm(100, 10, 60, 3));
        rig.Begin(p, 1_000_000_000);
        rig.RunTo(Hour);
        Assert.True(rig.C.RequestPatientBolus(rig.Now).IsOk);
        Assert.Equal(BolusKind.Ptm, rig.C.ActiveBolus);
        Assert.Equal(Hour + 10 * Minute, rig.C.BolusEndMicros);
        // 100 ng over 10 min = 14400 ng/day = 7200 nL/day on top of 1440.
        Assert.Equal(1_440 + 7_200, rig.C.RateNlPerDay);
        Assert.Equal(2_880 + 14_400, rig.C.RateNgPerDay);
    }

    [Fact]
    public void A_prime_runs_at_the_motor_maximum_and_counts_down_its_volume()
    {
        var rig = OneNlPerStep();
        rig.Ok(rig.C.Commit(TwoMgPerMl(), false, 0));
        rig.Ok(rig.C.Refill(1_000_000, 0));
        Assert.Equal(0, rig.C.RateNlPerDay);                      // STOPPED without a prime: nothing
        Assert.Equal(0, rig.C.RateNgPerDay);
        Assert.Equal(0, rig.C.RateQ32StepsPerDay);

        rig.Ok(rig.C.Prime(500, 0));
        Assert.Equal(500, rig.C.PrimeRemainingNl);
        Assert.Equal(0, rig.C.BridgeRemainingNl);
        Assert.Equal(long.MaxValue, rig.C.BolusEndMicros);        // a prime is not a timed bolus
        // 1000 steps/s x 86400 s = 86.4e6 steps/day = 86.4e6 nL/day; x 2 ng/nL.
        Assert.Equal(86_400_000, rig.C.RateNlPerDay);
        Assert.Equal(172_800_000, rig.C.RateNgPerDay);
        Assert.Equal(86_400_000 * Q32, rig.C.RateQ32StepsPerDay);

        rig.RunTo(100 * 1000);                                     // 100 ms: 100 steps of 1 nL
        Assert.Equal(100, rig.C.TotalSteps);
        Assert.Equal(400, rig.C.PrimeRemainingNl);
        rig.RunTo(Second);
        Assert.Equal(500, rig.C.TotalSteps);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal(0, rig.C.PrimeRemainingNl);
        Assert.Equal(0, rig.C.RateNlPerDay);
        Assert.Equal(0, rig.C.RateQ32StepsPerDay);
    }

    [Fact]
    public void Suspended_with_a_bridge_counts_the_minimum_rate_at_the_old_concentration()
    {
        var rig = OneNlPerStep();
        rig.Begin(Program("one", 1_000_000, 100_000, (0, 1_440)), 1_000_000_000);   // 1 mg/mL
        var second = TwoMgPerMl();
        Check(second.SetCatheter(30));
        Check(second.SetMinRate(1_440));                           // one step a minute while SUSPENDED
        rig.Ok(rig.C.Commit(second, true, 0));
        rig.Ok(rig.C.Stop(0));
        Assert.Equal(TherapyState.Suspended, rig.C.State);
        Assert.Equal(30, rig.C.BridgeRemainingNl);
        Assert.Equal(1_440, rig.C.RateNlPerDay);
        Assert.Equal(1_440, rig.C.RateNgPerDay);                   // old drug in the catheter: 1 ng/nL
        Assert.Equal(1_440 * Q32, rig.C.RateQ32StepsPerDay);
        rig.RunTo(10 * Minute);
        Assert.Equal(20, rig.C.BridgeRemainingNl);
        rig.RunTo(30 * Minute);                                    // the minimum rate used the bridge up
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal(0, rig.C.BridgeRemainingNl);
        Assert.Equal(1_440, rig.C.RateNlPerDay);
        Assert.Equal(2_880, rig.C.RateNgPerDay);                   // now the new drug: 2 ng/nL
    }

    [Fact]
    public void A_calibration_that_would_push_a_running_bolus_past_the_motor_is_refused()
    {
        // 20000 steps/s = 1.728e9 steps/day, the largest board rate. 1 mg/mL at 10^6 steps/mL: 1 step = 1 ng.
        var rig = OneNlPerStep(TherapyController.MaxSupportedStepsPerSecond);
        long motorQ32 = 1_728_000_000L * Q32;
        rig.Begin(Program("big", 1_000_000, Prescription.MaxDoseNg, (0, 864_000_000)));   // half the motor
        Assert.Equal(864_000_000 * Q32, rig.C.RateQ32StepsPerDay);
        rig.Ok(rig.C.StartClinicianBolus(864_000_000, 1440, 0));  // the other half: exactly the motor
        Assert.Equal(motorQ32, rig.C.RateQ32StepsPerDay);
        // CAL 2x10^6: the basal alone is then the motor's maximum (still a valid program), and basal + bolus
        // twice it (1728 g/day against 864 g/day): refused, nothing changed, the bolus runs on.
        var r = rig.C.SetCalibration(2_000_000, 0);
        Assert.Equal((422, "rate_ug_day=1728000.000 exceeds motor_max_ug_day=864000.000"), (r.Code, r.Detail));
        Assert.Equal(1_000_000, rig.C.StepsPerMl);
        Assert.Equal(BolusKind.Clinician, rig.C.ActiveBolus);
        Assert.Equal(motorQ32, rig.C.RateQ32StepsPerDay);
        // Without the bolus the same calibration is accepted.
        rig.Ok(rig.C.CancelBolus(0));
        rig.Ok(rig.C.SetCalibration(2_000_000, 0));
        Assert.Equal(motorQ32, rig.C.RateQ32StepsPerDay);
    }

    [Fact]
    public void The_window_counts_drug_in_whole_ng_rounded_up()
    {
        // 64000 steps/mL of 1 ug/mL: 15.625 pg = 15625 fg a step; 1440 ng/day = 92160 steps/day, one every 0.9375 s.
        var rig = new Rig();
        rig.Begin(Program("tiny", 1_000, 10_000, (0, 1_440)));
        Assert.Equal(0, rig.C.WindowNg(0));
        rig.RunTo(937_500);
        Assert.Equal(1, rig.C.TotalSteps);
        Assert.Equal(1, rig.C.WindowNg(rig.Now));                  // 15625 fg: 1 ng, rounded up
        rig.RunTo(Minute);
        Assert.Equal(64, rig.C.TotalSteps);
        Assert.Equal(1, rig.C.WindowNg(rig.Now));                  // 64 x 15625 = 10^6 fg: exactly 1 ng
        rig.RunTo(Minute + 937_500);
        Assert.Equal(65, rig.C.TotalSteps);
        Assert.Equal(2, rig.C.WindowNg(rig.Now));                  // 1.015625 ng: 2
    }

    [Fact]
    public void Wall_clock_unix_seconds_and_time_of_day()
    {
        var c = new TherapyController(1000);
        c.Boot(0);
        // Before TIME: unix_s is 0 and the schedule runs on timeline time.
        Assert.Equal(0, c.UnixSeconds(5 * Second));
        Assert.Equal(5 * Second, c.MicrosOfDay(5 * Second));
        Assert.Equal(5 * Second, c.MicrosOfDay(Day + 5 * Second));
        Assert.True(c.SetWallClock(1_000, 5 * Second).IsOk);       // 00:16:40 on 1970-01-01, at timeline 5 s
        Assert.True(c.WallClockSet);
        Assert.Equal(1_000, c.UnixSeconds(5 * Second));
        Assert.Equal(1_001, c.UnixSeconds(7 * Second - 1));       // 1001.999999 s: whole seconds, rounded down
        Assert.Equal(1_000 * Second, c.MicrosOfDay(5 * Second));
        // TIME 0 (midnight) at timeline 5 s: timeline 0 was 23:59:55 of the day before, not -5 s.
        Assert.True(c.SetWallClock(0, 5 * Second).IsOk);
        Assert.Equal(0, c.MicrosOfDay(5 * Second));
        Assert.Equal(Day - 5 * Second, c.MicrosOfDay(0));
        Assert.Equal(Day - 1, c.MicrosOfDay(5 * Second - 1));
    }

    [Fact]
    public void The_event_ring_keeps_the_newest_64_and_counts_the_rest()
    {
        var c = new TherapyController(1000);
        c.Boot(0);                                                 // event 1: Booted
        Assert.Equal(1, c.EventCount);
        // 70 more: LOW_BATTERY raised at even i, cleared at odd i (nothing else changes).
        for (int i = 0; i < 70; i++) c.SetInputs(false, false, i % 2 == 0, i);
        Assert.Equal(TherapyController.EventCapacity, c.EventCount);
        Assert.Equal(71 - 64, c.EventsDropped);
        var e = new TherapyEvent();
        Assert.True(c.TryTakeEvent(e));                            // the 8th pushed: the raise at i = 6
        Assert.Equal((TherapyEventKind.AlarmRaised, 6L, AlarmCode.LowBattery), (e.Kind, e.TimelineMicros, e.Code));
        Assert.Equal(63, c.EventCount);
        while (c.TryTakeEvent(e)) { }
        Assert.Equal((TherapyEventKind.AlarmCleared, 69L), (e.Kind, e.TimelineMicros));
        Assert.Equal(0, c.EventCount);
        Assert.Equal(7, c.EventsDropped);
    }

    [Theory]
    [InlineData(TherapyState.Stopped, "STOPPED")]
    [InlineData(TherapyState.Running, "RUNNING")]
    [InlineData(TherapyState.Suspended, "SUSPENDED")]
    [InlineData(TherapyState.Alarm, "ALARM")]
    public void State_words_are_the_protocol_s(TherapyState state, string word)
    {
        Assert.Equal(word, TherapyController.StateName(state));
    }

    [Theory]
    [InlineData(BolusKind.None, "NONE")]
    [InlineData(BolusKind.Clinician, "CLINICIAN")]
    [InlineData(BolusKind.Ptm, "PTM")]
    [InlineData(BolusKind.Prime, "PRIME")]
    [InlineData(BolusKind.Bridge, "BRIDGE")]
    public void Bolus_words_are_the_protocol_s(BolusKind kind, string word)
    {
        Assert.Equal(word, TherapyController.BolusName(kind));
    }
}
