using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

public class PrescriptionTests
{
    internal static Prescription Baclofen()
    {
        var p = new Prescription();
        Assert.Null(p.SetDrug("baclofen", 2_000_000));      // 2000 ug/mL
        Assert.Null(p.SetLimit(400_000));                   // 400 ug/day
        Assert.Null(p.SetStep(0, 300_000));                 // 300 ug/day
        return p;
    }

    [Fact]
    public void Canonical_text_has_every_field_in_order_with_three_decimals()
    {
        var p = Baclofen();
        Assert.Equal(
            "drug=baclofen conc_ug_ml=2000.000 limit_ug_day=400.000 schedule_ug_day=00:00/300.000 ptm=OFF " +
            "ptm_dose_ug=0.000 ptm_duration_min=0 ptm_lockout_min=0 ptm_max_per_day=0 capacity_ul=20000.000 " +
            "low_alarm_ul=2000.000 catheter_ul=0.000 minrate_ul_day=0.000 daily_ug=300.000 worst_day_ug=300.000",
            p.CanonicalText());
        Assert.Equal(Crc16.Compute(p.CanonicalText()), p.ComputeCrc());
    }

    [Fact]
    public void Four_step_flex_day_daily_and_worst_day()
    {
        var p = new Prescription();
        p.SetDrug("zic", 25_000);                 // 25 ug/mL
        p.SetLimit(10_000);                       // 10 ug/day
        // Steps given out of order: they are kept sorted by time.
        p.SetStep(18 * 60, 2_400);                // 18:00-22:00  2.4 ug/day  for 4 h
        p.SetStep(6 * 60, 1_200);                 // 06:00-12:00  1.2 ug/day  for 6 h
        p.SetStep(22 * 60, 0);                    // 22:00-06:00  0           for 8 h
        p.SetStep(12 * 60, 3_600);                // 12:00-18:00  3.6 ug/day  for 6 h
        Assert.Null(p.SetPtm(500, 10, 60, 4));    // 0.5 ug over 10 min, 60 min lockout, 4 a day
        // daily = (1.2*6 + 3.6*6 + 2.4*4 + 0*8) / 24 = (7.2 + 21.6 + 9.6) / 24 = 1.6 ug
        Assert.Equal(1_600, p.DailyNg);
        // worst = 1.6 + 4 * 0.5 = 3.6 ug
        Assert.Equal(3_600, p.WorstDayNg);
        Assert.Contains("schedule_ug_day=06:00/1.200,12:00/3.600,18:00/2.400,22:00/0.000 ptm=ON ptm_dose_ug=0.500 " +
                        "ptm_duration_min=10 ptm_lockout_min=60 ptm_max_per_day=4", p.CanonicalText());
        Assert.EndsWith("daily_ug=1.600 worst_day_ug=3.600", p.CanonicalText());
        // Midnight wrap: 03:00 is still in the 22:00 step, 05:59 too, 06:00 is the first step.
        Assert.Equal(0, p.RateNgPerDayAt(3 * 60));
        Assert.Equal(0, p.RateNgPerDayAt(5 * 60 + 59));
        Assert.Equal(1_200, p.RateNgPerDayAt(6 * 60));
        Assert.Equal(3_600, p.RateNgPerDayAt(17 * 60 + 59));
    }

    [Fact]
    public void Daily_rounds_up_to_a_nanogram()
    {
        var p = new Prescription();
        p.SetDrug("x", 1000);
        p.SetLimit(1_000_000);
        p.SetStep(0, 0);
        p.SetStep(1, 1);   // 1 ng/day for 1439 minutes: 0.99930 ng -> 1 ng
        Assert.Equal(1, p.DailyNg);
    }

    [Fact]
    public void A_step_at_an_existing_time_replaces_it_and_clear_removes_all()
    {
        var p = Baclofen();
        Assert.Null(p.SetStep(0, 100_000));
        Assert.Equal(1, p.StepCount);
        Assert.Equal(100_000, p.StepRateNgPerDay(0));
        p.ClearSteps();
        Assert.Equal(0, p.StepCount);
        Assert.False(p.IsComplete);
    }

    [Fact]
    public void Twelve_steps_fit_and_a_thirteenth_is_refused_unchanged()
    {
        var p = Baclofen();
        p.ClearSteps();
        for (int i = 0; i < 12; i++) Assert.Null(p.SetStep(i * 120, 1000 * (i + 1)));
        Assert.Equal(12, p.StepCount);
        string before = p.CanonicalText();
        Assert.Equal("steps=13 exceeds max_steps=12", p.SetStep(61, 5));
        Assert.Equal(before, p.CanonicalText());
        // Replacing one of the 12 is still allowed.
        Assert.Null(p.SetStep(120, 7));
        // daily = 2 h each, so (sum of rates) / 12: 1+2+...+12 ug = 78 ug, with 2 ug replaced by 7 ng:
        // 76.007 ug / 12 = 6.33391.. ug, rounded up to 6.334 ug.
        Assert.Equal(6_334, p.DailyNg);
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(1L, true)]
    [InlineData(100_000_000L, true)]
    [InlineData(100_000_001L, false)]
    public void Concentration_range(long concNg, bool ok)
    {
        var p = new Prescription();
        string? error = p.SetDrug("d", concNg);
        Assert.Equal(ok, error == null);
        if (!ok)
        {
            Assert.StartsWith("conc_ug_ml=", error);
            Assert.Null(p.DrugName);
        }
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("Morphine_HCl-2", true)]
    [InlineData("abcdefghijklmnop", true)]
    [InlineData("abcdefghijklmnopq", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("é", false)]
    public void Drug_names(string name, bool ok)
    {
        Assert.Equal(ok, Prescription.IsValidDrugName(name));
    }

    [Fact]
    public void Validation_names_the_value_and_the_limit()
    {
        var p = Baclofen();
        p.SetLimit(1_000_000);
        p.SetStep(0, 1_234_000);
        Assert.Equal("worst_day_ug=1234.000 exceeds limit_ug_day=1000.000", p.Validate(64000, 1000));
    }

    [Fact]
    public void Validation_counts_every_allowed_patient_bolus()
    {
        var p = Baclofen();                        // 300 ug/day, limit 400
        Assert.Null(p.SetPtm(25_000, 5, 30, 4));   // 4 x 25 = 100 -> 400: allowed
        Assert.Null(p.Validate(64000, 1000));
        Assert.Null(p.SetPtm(25_000, 5, 30, 5));   // 5 x 25 = 125 -> 425
        Assert.Equal("worst_day_ug=425.000 exceeds limit_ug_day=400.000", p.Validate(64000, 1000));
    }

    [Fact]
    public void Validation_against_the_motor()
    {
        // 1 step/s at 64000 steps/mL is 86400/64000 mL/day = 1.35 mL/day = 2700 ug/day at 2000 ug/mL.
        var p = Baclofen();
        p.SetLimit(10_000_000);
        p.SetStep(0, 2_700_000);
        Assert.Null(p.Validate(64000, 1));
        p.SetStep(0, 2_700_001);
        Assert.Equal("rate_ug_day=2700.001 exceeds motor_max_ug_day=2700.000", p.Validate(64000, 1));
    }

    [Fact]
    public void Reservoir_low_alarm_cannot_exceed_capacity()
    {
        var p = new Prescription();
        Assert.Equal("low_alarm_ul=3.000 exceeds capacity_ul=2.000", p.SetReservoir(2000, 3000));
        Assert.Equal(Prescription.DefaultCapacityNl, p.CapacityNl);
        Assert.Null(p.SetReservoir(2000, 2000));
    }

    [Fact]
    public void Save_and_load_round_trip_and_copy()
    {
        var p = Baclofen();
        p.SetStep(480, 150_000);
        p.SetPtm(10_000, 5, 60, 3);
        p.SetReservoir(40_000_000, 4_000_000);
        p.SetCatheter(250_000);
        p.SetMinRate(5_000);
        var buffer = new byte[2048];
        var w = new StateWriter(buffer);
        p.Save(w);
        Assert.False(w.Overflow);
        var q = new Prescription();
        Assert.True(q.Load(new StateReader(buffer, 0, w.Position)));
        Assert.True(p.SameAs(q));
        Assert.Equal(p.CanonicalText(), q.CanonicalText());
        var r = new Prescription();
        r.CopyFrom(p);
        Assert.Equal(p.ComputeCrc(), r.ComputeCrc());

        // A truncated record is refused and leaves the target unchanged.
        var s = Baclofen();
        Assert.False(s.Load(new StateReader(buffer, 0, w.Position - 1)));
        Assert.True(s.SameAs(Baclofen()));
    }
}
