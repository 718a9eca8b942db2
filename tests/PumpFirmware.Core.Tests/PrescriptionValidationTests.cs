using PumpFirmware.Dosing;
using Xunit;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "The program": at PROG:REVIEW and PROG:COMMIT, a program whose worst_day_ug exceeds
// its limit, or whose rate exceeds the motor's maximum, gets ERR 422 naming both numbers. The
// firmware also checks the minimum rate (delivered while SUSPENDED) against the limit and the motor.
// Each check is tried at equality (allowed: "exceeds" is strict) and 1 ng or 1 nL above (refused).
//
// The calibration used throughout: 64000 steps/mL at 1 step/s. The motor then moves at most
// 86400 / 64000 mL/day = 1.35 mL/day = 1350 uL/day, which at 2000 ug/mL is 2700 ug/day.
public class PrescriptionValidationTests
{
    private const long StepsPerMl = 64_000;
    private const int MaxStepsPerSecond = 1;

    private static Prescription At2000UgPerMl(long limitNg)
    {
        var p = new Prescription();
        Assert.Null(p.SetDrug("d", 2_000_000));
        Assert.Null(p.SetLimit(limitNg));
        return p;
    }

    [Fact]
    public void Worst_day_equal_to_the_limit_is_allowed_and_one_ng_over_is_refused()
    {
        // 300 ug/day basal + 4 x 25 ug PTM = 400 ug. The PTM runs at 25 * 1440 / 60 = 600 ug/day,
        // so the peak 900 ug/day stays under the motor's 2700.
        var p = At2000UgPerMl(400_000);
        p.SetStep(0, 300_000);
        Assert.Null(p.SetPtm(25_000, 60, 30, 4));
        Assert.Equal(400_000, p.WorstDayNg);
        Assert.Null(p.Validate(StepsPerMl, MaxStepsPerSecond));
        p.SetLimit(399_999);
        Assert.Equal("worst_day_ug=400.000 exceeds limit_ug_day=399.999", p.Validate(StepsPerMl, MaxStepsPerSecond));
    }

    [Fact]
    public void Minimum_rate_drug_equal_to_the_limit_is_allowed_and_one_ng_over_is_refused()
    {
        // 150 uL/day at 2000 ug/mL = 0.15 mL * 2000 = 300 ug/day; basal only 100 ug/day.
        var p = At2000UgPerMl(300_000);
        p.SetStep(0, 100_000);
        Assert.Null(p.SetMinRate(150_000));
        Assert.Equal(300_000, p.MinRateNgPerDay);
        Assert.Null(p.Validate(StepsPerMl, MaxStepsPerSecond));
        p.SetLimit(299_999);
        Assert.Equal("minrate_ug_day=300.000 exceeds limit_ug_day=299.999", p.Validate(StepsPerMl, MaxStepsPerSecond));
    }

    [Fact]
    public void Peak_rate_is_the_largest_step_plus_the_ptm_and_may_equal_the_motor_maximum()
    {
        // Steps 1000, 2000 and 500 ug/day; PTM 70 ug over 144 min = 70 * 1440 / 144 = 700 ug/day.
        // Peak 2000 + 700 = 2700 ug/day: exactly the motor's maximum.
        var p = At2000UgPerMl(10_000_000);
        p.SetStep(0, 1_000_000);
        p.SetStep(8 * 60, 2_000_000);
        p.SetStep(16 * 60, 500_000);
        Assert.Null(p.SetPtm(70_000, 144, 0, 1));
        Assert.Equal(700_000, p.PtmRateNgPerDay);
        Assert.Null(p.Validate(StepsPerMl, MaxStepsPerSecond));
        p.SetStep(8 * 60, 2_000_001);
        Assert.Equal("rate_ug_day=2700.001 exceeds motor_max_ug_day=2700.000", p.Validate(StepsPerMl, MaxStepsPerSecond));
    }

    [Fact]
    public void Minimum_rate_volume_equal_to_the_motor_maximum_is_allowed_and_one_nl_over_is_refused()
    {
        // 1350 uL/day is the motor's maximum; its drug, 1.35 mL * 2000 = 2700 ug, is under the 10000 limit.
        var p = At2000UgPerMl(10_000_000);
        p.SetStep(0, 100_000);
        Assert.Null(p.SetMinRate(1_350_000));
        Assert.Null(p.Validate(StepsPerMl, MaxStepsPerSecond));
        Assert.Null(p.SetMinRate(1_350_001));
        Assert.Equal("minrate_ul_day=1350.001 exceeds motor_max_ul_day=1350.000", p.Validate(StepsPerMl, MaxStepsPerSecond));
    }

    [Fact]
    public void The_full_sample_program_is_valid()
    {
        // worst 1289.584 <= 2000; minimum rate 0.1 mL * 2500 = 250 ug <= 2000; peak 2000 + 50 * 1440 / 15 =
        // 6800 ug/day <= 1000 * 86400 / 64000 * 2500 = 3375000 ug/day; 100 uL/day <= 1350000 uL/day.
        Assert.Null(SamplePrograms.Full().Validate(StepsPerMl, 1000));
    }

    [Theory]
    [InlineData(2_000_000L, 64_000L, 1, 2_700_000L)]        // 86400 / 64000 mL * 2000 ug/mL
    [InlineData(2_000_000L, 64_000L, 1000, 2_700_000_000L)]
    [InlineData(1L, 7L, 1, 12_342L)]                        // 86400 / 7 = 12342.86 ng, rounded down
    public void Motor_maximum_as_a_drug_rate_is_rounded_down(long concNgPerMl, long stepsPerMl, int stepsPerSecond, long expectedNg)
    {
        Assert.Equal(expectedNg, Prescription.MotorMaxNgPerDay(concNgPerMl, stepsPerMl, stepsPerSecond));
    }

    [Theory]
    [InlineData(64_000L, 1, 1_350_000L)]                    // 86400 * 10^6 / 64000 nL
    [InlineData(64_000L, 1000, 1_350_000_000L)]
    [InlineData(7L, 1, 12_342_857_142L)]                    // 86400 * 10^6 / 7 = 12342857142.86, rounded down
    public void Motor_maximum_as_a_volume_rate_is_rounded_down(long stepsPerMl, int stepsPerSecond, long expectedNl)
    {
        Assert.Equal(expectedNl, Prescription.MotorMaxNlPerDay(stepsPerMl, stepsPerSecond));
    }

    [Theory]
    [InlineData(1_000_000L, 7L, 7L)]                 // 1000 ug/mL is 1 ng/nL
    [InlineData(3L, 1_000_000L, 3L)]                 // 1 mL/day at 0.003 ug/mL: exactly 3 ng
    [InlineData(3L, 1_000_001L, 4L)]                 // 3.000003 ng, rounded up
    [InlineData(3L, 1L, 1L)]                         // 0.000003 ng, rounded up
    [InlineData(2_500_000L, 100_000L, 250_000L)]     // 0.1 mL at 2500 ug/mL
    public void Minimum_rate_drug_is_the_volume_times_the_concentration_rounded_up(long concNgPerMl, long minRateNl, long expectedNg)
    {
        var p = new Prescription();
        Assert.Null(p.SetDrug("d", concNgPerMl));
        Assert.Null(p.SetMinRate(minRateNl));
        Assert.Equal(expectedNg, p.MinRateNgPerDay);
    }

    [Fact]
    public void Minimum_rate_drug_is_zero_without_a_drug()
    {
        var p = new Prescription();
        Assert.Null(p.SetMinRate(100_000));
        Assert.Equal(0, p.MinRateNgPerDay);
    }

    [Theory]
    [InlineData(500L, 10L, 72_000L)]          // 0.5 ug over 10 min: 0.5 * 1440 / 10 = 72 ug/day
    [InlineData(1L, 7L, 206L)]                // 1440 / 7 = 205.71 ng/day, rounded up
    [InlineData(50_000L, 1440L, 50_000L)]     // over a whole day the rate is the dose
    public void Ptm_rate_is_its_dose_spread_over_its_duration_rounded_up(long doseNg, long durationMin, long expectedNgPerDay)
    {
        var p = new Prescription();
        Assert.Null(p.SetPtm(doseNg, durationMin, 0, 1));
        Assert.Equal(expectedNgPerDay, p.PtmRateNgPerDay);
    }

    [Fact]
    public void Ptm_off_adds_no_rate_and_no_dose()
    {
        var p = SamplePrograms.Full();
        p.SetPtmOff();
        Assert.Equal(0, p.PtmRateNgPerDay);
        Assert.Equal(p.DailyNg, p.WorstDayNg);
    }
}
