using PumpFirmware.Dosing;
using PumpFirmware.Units;
using Xunit;
using static PumpFirmware.Core.Tests.SamplePrograms;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "Decisions": the canonical text is, in this order, every field always present:
// drug= conc_ug_ml= limit_ug_day= schedule_ug_day=HH:MM/x,HH:MM/x.. ptm=ON|OFF ptm_dose_ug=
// ptm_duration_min= ptm_lockout_min= ptm_max_per_day= capacity_ul= low_alarm_ul= catheter_ul=
// minrate_ul_day= daily_ug= worst_day_ug=; and its crc is the CRC-16/CCITT-FALSE of that text.
public class PrescriptionCanonicalTests
{
    // SamplePrograms.Full(): steps 07:30 2000, 12:00 1000, 22:00 500 ug/day, lasting
    // 270, 600 and 570 minutes (22:00 to 07:30 across midnight):
    //   daily = (2000000 * 270 + 1000000 * 600 + 500000 * 570) / 1440 = 1425000000 / 1440
    //         = 989583.33 ng, rounded up to 989584 ng = 989.584 ug;
    //   worst = 989.584 + 6 x 50 ug = 1289.584 ug.
    private const string FullCanonical =
        "drug=Morph-2_x conc_ug_ml=2500.000 limit_ug_day=2000.000 " +
        "schedule_ug_day=07:30/2000.000,12:00/1000.000,22:00/500.000 ptm=ON ptm_dose_ug=50.000 " +
        "ptm_duration_min=15 ptm_lockout_min=120 ptm_max_per_day=6 capacity_ul=40000.000 " +
        "low_alarm_ul=5000.000 catheter_ul=250.500 minrate_ul_day=100.000 daily_ug=989.584 worst_day_ug=1289.584";

    // CRC-16/CCITT-FALSE of FullCanonical, computed with a separate bit-by-bit implementation (Python).
    private const int FullCrc = 0xDEB5;

    [Fact]
    public void A_program_with_every_field_set_has_this_canonical_text_and_crc()
    {
        var p = Full();
        Assert.Equal(989_584, p.DailyNg);
        Assert.Equal(1_289_584, p.WorstDayNg);
        Assert.Equal(FullCanonical, p.CanonicalText());
        Assert.Equal(FullCrc, p.ComputeCrc());
        Assert.Equal(FullCrc, p.ComputeCrc(new char[Prescription.MaxCanonicalLength]));
    }

    [Fact]
    public void Format_canonical_writes_only_the_text_and_returns_its_length()
    {
        var buffer = new char[Prescription.MaxCanonicalLength];
        for (int i = 0; i < buffer.Length; i++) buffer[i] = '#';
        int length = Full().FormatCanonical(buffer);
        Assert.Equal(FullCanonical.Length, length);
        Assert.Equal(FullCanonical, new string(buffer, 0, length));
        Assert.Equal('#', buffer[length]);
    }

    [Fact]
    public void An_empty_program_still_shows_every_field_with_its_default()
    {
        Assert.Equal(
            "drug= conc_ug_ml=0.000 limit_ug_day=0.000 schedule_ug_day= ptm=OFF ptm_dose_ug=0.000 " +
            "ptm_duration_min=0 ptm_lockout_min=0 ptm_max_per_day=0 capacity_ul=20000.000 low_alarm_ul=2000.000 " +
            "catheter_ul=0.000 minrate_ul_day=0.000 daily_ug=0.000 worst_day_ug=0.000",
            new Prescription().CanonicalText());
    }

    [Fact]
    public void Twelve_steps_of_the_largest_rate_fit_the_canonical_buffer()
    {
        // The longest schedule: 12 x ",HH:MM/100000000.000" (20 characters each).
        var p = Full();
        p.ClearSteps();
        for (int i = 0; i < Prescription.MaxSteps; i++) Assert.Null(p.SetStep(i * 120, Prescription.MaxDoseNg));
        string text = p.CanonicalText();
        Assert.Contains("schedule_ug_day=00:00/100000000.000,02:00/100000000.000,", text);
        Assert.Contains(",22:00/100000000.000 ptm=ON ", text);
        Assert.True(text.Length <= Prescription.MaxCanonicalLength);
    }

    [Fact]
    public void Clear_makes_a_program_exactly_like_a_new_one()
    {
        var p = Full();
        p.Clear();
        Assert.True(p.SameAs(new Prescription()));
        Assert.Equal(new Prescription().CanonicalText(), p.CanonicalText());
        Assert.Null(p.DrugName);
        Assert.Equal(Prescription.DefaultCapacityNl, p.CapacityNl);
        Assert.Equal(Prescription.DefaultLowAlarmNl, p.LowAlarmNl);
    }

    [Fact]
    public void Copy_from_overwrites_every_field()
    {
        var target = new Prescription();
        Assert.Null(target.SetDrug("other", 1));
        Assert.Null(target.SetLimit(1));
        for (int i = 0; i < Prescription.MaxSteps; i++) Assert.Null(target.SetStep(i * 100 + 1, i));
        Assert.Null(target.SetPtm(1, 1, 0, 1));
        Assert.Null(target.SetReservoir(1, 1));
        Assert.Null(target.SetCatheter(1));
        Assert.Null(target.SetMinRate(1));

        var source = Full();
        target.CopyFrom(source);
        Assert.True(target.SameAs(source));
        Assert.True(source.SameAs(target));
        Assert.Equal(FullCanonical, target.CanonicalText());
    }

    public static TheoryData<string> OneFieldChanges => new TheoryData<string>
    {
        "drug name", "concentration", "limit", "one more step", "one step fewer", "a step's rate", "a step's time",
        "ptm off", "ptm dose", "ptm duration", "ptm lockout", "ptm max per day",
        "capacity", "low alarm", "catheter", "minimum rate",
    };

    private static void Change(Prescription p, string field)
    {
        switch (field)
        {
            case "drug name": Assert.Null(p.SetDrug("Morph-2_y", 2_500_000)); break;
            case "concentration": Assert.Null(p.SetDrug("Morph-2_x", 2_500_001)); break;
            case "limit": Assert.Null(p.SetLimit(2_000_001)); break;
            case "one more step": Assert.Null(p.SetStep(23 * 60, 500_000)); break;
            case "one step fewer":
                p.ClearSteps();
                Assert.Null(p.SetStep(7 * 60 + 30, 2_000_000));
                Assert.Null(p.SetStep(12 * 60, 1_000_000));
                break;
            case "a step's rate": Assert.Null(p.SetStep(12 * 60, 1_000_001)); break;
            case "a step's time":
                // Same count and rates, the last step one minute later.
                p.ClearSteps();
                Assert.Null(p.SetStep(7 * 60 + 30, 2_000_000));
                Assert.Null(p.SetStep(12 * 60, 1_000_000));
                Assert.Null(p.SetStep(22 * 60 + 1, 500_000));
                break;
            case "ptm off": p.SetPtmOff(); break;
            case "ptm dose": Assert.Null(p.SetPtm(50_001, 15, 120, 6)); break;
            case "ptm duration": Assert.Null(p.SetPtm(50_000, 16, 120, 6)); break;
            case "ptm lockout": Assert.Null(p.SetPtm(50_000, 15, 121, 6)); break;
            case "ptm max per day": Assert.Null(p.SetPtm(50_000, 15, 120, 7)); break;
            case "capacity": Assert.Null(p.SetReservoir(40_000_001, 5_000_000)); break;
            case "low alarm": Assert.Null(p.SetReservoir(40_000_000, 5_000_001)); break;
            case "catheter": Assert.Null(p.SetCatheter(250_501)); break;
            case "minimum rate": Assert.Null(p.SetMinRate(100_001)); break;
            default: throw new ArgumentException(field);
        }
    }

    [Theory]
    [MemberData(nameof(OneFieldChanges))]
    public void Programs_differing_in_one_field_alone_are_not_the_same(string field)
    {
        var a = Full();
        var b = Full();
        Assert.True(a.SameAs(b));
        Change(b, field);
        Assert.False(a.SameAs(b));
        Assert.False(b.SameAs(a));
        // The canonical text, and so the crc the clinician reviewed, differs too.
        Assert.NotEqual(a.CanonicalText(), b.CanonicalText());
    }

    [Fact]
    public void Programs_with_twelve_equal_steps_are_the_same()
    {
        var a = new Prescription();
        var b = new Prescription();
        for (int i = 0; i < Prescription.MaxSteps; i++)
        {
            Assert.Null(a.SetStep(i * 120, i));
            Assert.Null(b.SetStep(i * 120, i));
        }
        Assert.True(a.SameAs(b));
    }

    [Fact]
    public void A_program_is_not_the_same_as_none()
    {
        Assert.False(Full().SameAs(null!));
    }
}
