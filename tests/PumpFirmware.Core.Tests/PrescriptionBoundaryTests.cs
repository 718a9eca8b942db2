using PumpFirmware.Dosing;
using Xunit;
using static PumpFirmware.Core.Tests.SamplePrograms;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "The program" and "Errors": each PROG: value has a range; a value outside it gets
// ERR 422 whose text names the field and the value (3 decimals for quantities, plain integers for
// counts and minutes), and a request that gets ERR changes nothing. Each table is min-1, min, max,
// max+1 in the core's units (ng, nL, minutes): 1 ng is 0.001 ug, 1 nL is 0.001 uL.
public class PrescriptionBoundaryTests
{
    [Theory]
    [InlineData(-1L, "conc_ug_ml=-0.001 out of range 0.001..100000.000")]
    [InlineData(0L, "conc_ug_ml=0.000 out of range 0.001..100000.000")]
    [InlineData(1L, null)]
    [InlineData(100_000_000L, null)]
    [InlineData(100_000_001L, "conc_ug_ml=100000.001 out of range 0.001..100000.000")]
    public void Concentration_is_0_001_to_100000_ug_per_ml(long concNgPerMl, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetDrug("other", concNgPerMl));
        if (expected == null)
        {
            Assert.Equal("other", p.DrugName);
            Assert.Equal(concNgPerMl, p.ConcNgPerMl);
        }
        else
        {
            AssertUnchanged(before, p);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("abcdefghijklmnopq")]   // 17 characters
    [InlineData(null)]
    public void An_invalid_drug_name_is_refused_and_changes_nothing(string? name)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal("drug name invalid", p.SetDrug(name!, 1_000));
        AssertUnchanged(before, p);
    }

    [Theory]
    [InlineData("AZaz09_-", true)]      // each end of each allowed range, and both symbols
    [InlineData("_", true)]
    [InlineData("-", true)]
    [InlineData("Z", true)]
    [InlineData("z", true)]
    [InlineData("9", true)]
    [InlineData("@", false)]            // just below 'A'
    [InlineData("[", false)]            // just above 'Z'
    [InlineData("`", false)]            // just below 'a'
    [InlineData("{", false)]            // just above 'z'
    [InlineData("/", false)]            // just below '0'
    [InlineData(":", false)]            // just above '9'
    [InlineData("^", false)]            // just below '_'
    [InlineData(",", false)]            // just below '-'
    [InlineData(".", false)]            // just above '-'
    [InlineData("ok@", false)]          // a bad character after good ones
    public void Drug_name_characters_are_letters_digits_underscore_and_hyphen(string name, bool ok)
    {
        Assert.Equal(ok, Prescription.IsValidDrugName(name));
    }

    [Fact]
    public void A_drug_name_of_sixteen_characters_fits_and_null_does_not()
    {
        Assert.True(Prescription.IsValidDrugName("ABCDEFGHIJKLMNOP"));
        Assert.False(Prescription.IsValidDrugName("ABCDEFGHIJKLMNOPQ"));
        Assert.False(Prescription.IsValidDrugName(null!));
    }

    [Theory]
    [InlineData(-1L, "limit_ug_day=-0.001 out of range 0.001..100000000.000")]
    [InlineData(0L, "limit_ug_day=0.000 out of range 0.001..100000000.000")]
    [InlineData(1L, null)]
    [InlineData(100_000_000_000L, null)]
    [InlineData(100_000_000_001L, "limit_ug_day=100000000.001 out of range 0.001..100000000.000")]
    public void Limit_is_0_001_to_100000000_ug_per_day(long limitNg, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetLimit(limitNg));
        if (expected == null) Assert.Equal(limitNg, p.LimitNgPerDay);
        else AssertUnchanged(before, p);
    }

    [Theory]
    [InlineData(-1L, "rate_ug_day=-0.001 out of range 0.000..100000000.000")]
    [InlineData(0L, null)]
    [InlineData(100_000_000_000L, null)]
    [InlineData(100_000_000_001L, "rate_ug_day=100000000.001 out of range 0.000..100000000.000")]
    public void Step_rate_is_0_to_100000000_ug_per_day(long rateNg, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetStep(3 * 60, rateNg));
        if (expected == null)
        {
            // 03:00 goes before 07:30: the first of four steps.
            Assert.Equal(4, p.StepCount);
            Assert.Equal(180, p.StepMinuteOfDay(0));
            Assert.Equal(rateNg, p.StepRateNgPerDay(0));
        }
        else
        {
            AssertUnchanged(before, p);
        }
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1439, true)]
    [InlineData(1440, false)]
    public void Step_time_is_a_minute_of_the_day(int minute, bool ok)
    {
        var p = Full();
        var before = CopyOf(p);
        string? error = p.SetStep(minute, 1_000);
        if (ok)
        {
            Assert.Null(error);
            Assert.Equal(4, p.StepCount);
        }
        else
        {
            Assert.Equal("time of day out of range", error);
            AssertUnchanged(before, p);
        }
    }

    [Theory]
    [InlineData(0L, "ptm_dose_ug=0.000 out of range 0.001..100000000.000")]
    [InlineData(1L, null)]
    [InlineData(100_000_000_000L, null)]
    [InlineData(100_000_000_001L, "ptm_dose_ug=100000000.001 out of range 0.001..100000000.000")]
    public void Ptm_dose_is_0_001_to_100000000_ug(long doseNg, string? expected)
    {
        AssertPtm(doseNg, 10, 60, 4, expected);
    }

    [Theory]
    [InlineData(0L, "ptm_duration_min=0 out of range 1..1440")]
    [InlineData(1L, null)]
    [InlineData(1440L, null)]
    [InlineData(1441L, "ptm_duration_min=1441 out of range 1..1440")]
    public void Ptm_duration_is_1_to_1440_minutes(long duration, string? expected)
    {
        AssertPtm(1_000, duration, 60, 4, expected);
    }

    [Theory]
    [InlineData(-1L, "ptm_lockout_min=-1 out of range 0..1440")]
    [InlineData(0L, null)]
    [InlineData(1440L, null)]
    [InlineData(1441L, "ptm_lockout_min=1441 out of range 0..1440")]
    public void Ptm_lockout_is_0_to_1440_minutes(long lockout, string? expected)
    {
        AssertPtm(1_000, 10, lockout, 4, expected);
    }

    [Theory]
    [InlineData(0L, "ptm_max_per_day=0 out of range 1..100")]
    [InlineData(1L, null)]
    [InlineData(100L, null)]
    [InlineData(101L, "ptm_max_per_day=101 out of range 1..100")]
    public void Ptm_max_per_day_is_1_to_100(long maxPerDay, string? expected)
    {
        AssertPtm(1_000, 10, 60, maxPerDay, expected);
    }

    private static void AssertPtm(long dose, long duration, long lockout, long maxPerDay, string? expected)
    {
        // Full() has PTM 50 ug / 15 min / 120 min / 6, none of them equal to the values tried here.
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetPtm(dose, duration, lockout, maxPerDay));
        if (expected == null)
        {
            Assert.True(p.PtmEnabled);
            Assert.Equal(dose, p.PtmDoseNg);
            Assert.Equal(duration, p.PtmDurationMin);
            Assert.Equal(lockout, p.PtmLockoutMin);
            Assert.Equal(maxPerDay, p.PtmMaxPerDay);
        }
        else
        {
            AssertUnchanged(before, p);
        }
    }

    [Fact]
    public void A_refused_ptm_does_not_turn_a_disabled_ptm_on()
    {
        var p = Full();
        p.SetPtmOff();
        var before = CopyOf(p);
        Assert.Equal("ptm_max_per_day=0 out of range 1..100", p.SetPtm(1_000, 10, 60, 0));
        Assert.False(p.PtmEnabled);
        AssertUnchanged(before, p);
    }

    [Fact]
    public void Ptm_off_disables_it_and_zeroes_every_ptm_field()
    {
        var p = Full();
        p.SetPtmOff();
        Assert.False(p.PtmEnabled);
        Assert.Equal(0, p.PtmDoseNg);
        Assert.Equal(0, p.PtmDurationMin);
        Assert.Equal(0, p.PtmLockoutMin);
        Assert.Equal(0, p.PtmMaxPerDay);
        Assert.Contains(" ptm=OFF ptm_dose_ug=0.000 ptm_duration_min=0 ptm_lockout_min=0 ptm_max_per_day=0 ", p.CanonicalText());
    }

    [Theory]
    [InlineData(0L, "capacity_ul=0.000 out of range 0.001..1000000.000")]
    [InlineData(1L, null)]
    [InlineData(1_000_000_000L, null)]
    [InlineData(1_000_000_001L, "capacity_ul=1000000.001 out of range 0.001..1000000.000")]
    public void Reservoir_capacity_is_0_001_to_1000000_ul(long capacityNl, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetReservoir(capacityNl, 0));
        if (expected == null)
        {
            Assert.Equal(capacityNl, p.CapacityNl);
            Assert.Equal(0, p.LowAlarmNl);
        }
        else
        {
            AssertUnchanged(before, p);
        }
    }

    [Theory]
    [InlineData(-1L, "low_alarm_ul=-0.001 exceeds capacity_ul=3.000")]
    [InlineData(0L, null)]
    [InlineData(3_000L, null)]
    [InlineData(3_001L, "low_alarm_ul=3.001 exceeds capacity_ul=3.000")]
    public void Low_reservoir_alarm_is_0_to_the_capacity(long lowNl, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetReservoir(3_000, lowNl));
        if (expected == null)
        {
            Assert.Equal(3_000, p.CapacityNl);
            Assert.Equal(lowNl, p.LowAlarmNl);
        }
        else
        {
            AssertUnchanged(before, p);
        }
    }

    [Theory]
    [InlineData(-1L, "catheter_ul=-0.001 out of range 0.000..100000.000")]
    [InlineData(0L, null)]
    [InlineData(100_000_000L, null)]
    [InlineData(100_000_001L, "catheter_ul=100000.001 out of range 0.000..100000.000")]
    public void Catheter_is_0_to_100000_ul(long catheterNl, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetCatheter(catheterNl));
        if (expected == null) Assert.Equal(catheterNl, p.CatheterNl);
        else AssertUnchanged(before, p);
    }

    [Theory]
    [InlineData(-1L, "minrate_ul_day=-0.001 out of range 0.000..1000000.000")]
    [InlineData(0L, null)]
    [InlineData(1_000_000_000L, null)]
    [InlineData(1_000_000_001L, "minrate_ul_day=1000000.001 out of range 0.000..1000000.000")]
    public void Minimum_rate_is_0_to_1000000_ul_per_day(long minRateNl, string? expected)
    {
        var p = Full();
        var before = CopyOf(p);
        Assert.Equal(expected, p.SetMinRate(minRateNl));
        if (expected == null) Assert.Equal(minRateNl, p.MinRateNlPerDay);
        else AssertUnchanged(before, p);
    }

    [Fact]
    public void A_program_is_complete_with_drug_limit_and_a_step_and_not_without_any_of_them()
    {
        Assert.False(new Prescription().IsComplete);

        var noDrug = new Prescription();
        noDrug.SetLimit(1_000);
        noDrug.SetStep(0, 500);
        Assert.False(noDrug.IsComplete);

        var noLimit = new Prescription();
        noLimit.SetDrug("d", 1_000);
        noLimit.SetStep(0, 500);
        Assert.False(noLimit.IsComplete);

        var noStep = new Prescription();
        noStep.SetDrug("d", 1_000);
        noStep.SetLimit(1_000);
        Assert.False(noStep.IsComplete);

        noStep.SetStep(0, 0);   // a step of rate 0 is still a step
        Assert.True(noStep.IsComplete);
        Assert.True(Full().IsComplete);
    }
}
