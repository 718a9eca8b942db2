using PumpFirmware.Dosing;
using Xunit;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "The program": PROG:STEP <hh:mm> <ug_day> is a flex step; the rate holds from that
// time of day until the next step's time, wrapping at midnight; 1 to 12 steps; one step at 00:00
// is simple continuous; a step at an existing time replaces it. daily_ug is the basal over 24 h.
public class PrescriptionScheduleTests
{
    private static Prescription ThreeSteps()
    {
        // 06:00 1 ug/day, 12:00 2 ug/day, 18:00 3 ug/day: each lasts 6 h, except 18:00 which
        // lasts 12 h (until 06:00 tomorrow).
        var p = new Prescription();
        Assert.Null(p.SetStep(12 * 60, 2_000));
        Assert.Null(p.SetStep(18 * 60, 3_000));
        Assert.Null(p.SetStep(6 * 60, 1_000));
        return p;
    }

    [Theory]
    [InlineData(0, 2)]       // after midnight the last step of the day (18:00) still runs
    [InlineData(359, 2)]
    [InlineData(360, 0)]     // at 06:00 the 06:00 step starts
    [InlineData(719, 0)]
    [InlineData(720, 1)]
    [InlineData(1079, 1)]
    [InlineData(1080, 2)]
    [InlineData(1439, 2)]
    public void The_step_in_force_is_the_last_one_at_or_before_the_time_wrapping_at_midnight(int minute, int index)
    {
        var p = ThreeSteps();
        Assert.Equal(index, p.StepIndexAt(minute));
        Assert.Equal(1_000 * (index + 1), p.RateNgPerDayAt(minute));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(479)]
    [InlineData(480)]
    [InlineData(1439)]
    public void One_step_is_in_force_all_day_whatever_its_time(int minute)
    {
        var p = new Prescription();
        p.SetStep(8 * 60, 7_000);
        Assert.Equal(0, p.StepIndexAt(minute));
        Assert.Equal(7_000, p.RateNgPerDayAt(minute));
    }

    [Fact]
    public void Without_steps_there_is_no_step_and_no_rate()
    {
        var p = new Prescription();
        Assert.Equal(-1, p.StepIndexAt(600));
        Assert.Equal(0, p.RateNgPerDayAt(600));
        Assert.Equal(-1, p.NextChangeMinute(600));
        Assert.Equal(0, p.MaxStepRateNgPerDay());
        Assert.Equal(0, p.DailyNg);
    }

    [Theory]
    [InlineData(0, 360)]
    [InlineData(359, 360)]
    [InlineData(360, 720)]       // strictly after: the step starting now is not the next change
    [InlineData(719, 720)]
    [InlineData(720, 1080)]
    [InlineData(1079, 1080)]
    [InlineData(1080, 1800)]     // tomorrow's 06:00: 1440 + 360
    [InlineData(1439, 1800)]
    public void The_next_change_is_the_next_step_time_strictly_after_or_tomorrows_first(int minute, int next)
    {
        Assert.Equal(next, ThreeSteps().NextChangeMinute(minute));
    }

    [Fact]
    public void One_step_never_changes()
    {
        var p = new Prescription();
        p.SetStep(8 * 60, 7_000);
        Assert.Equal(-1, p.NextChangeMinute(0));
        Assert.Equal(-1, p.NextChangeMinute(8 * 60));
    }

    [Fact]
    public void Two_steps_change_at_each_others_time()
    {
        var p = new Prescription();
        p.SetStep(20 * 60, 1);
        p.SetStep(8 * 60, 2);
        Assert.Equal(20 * 60, p.NextChangeMinute(8 * 60));
        Assert.Equal(1440 + 8 * 60, p.NextChangeMinute(20 * 60));
    }

    [Fact]
    public void Steps_inserted_at_front_middle_and_end_are_kept_sorted_with_their_rates()
    {
        var p = new Prescription();
        Assert.Null(p.SetStep(12 * 60, 12));   // first
        Assert.Null(p.SetStep(6 * 60, 6));     // at the front
        Assert.Null(p.SetStep(18 * 60, 18));   // at the end
        Assert.Null(p.SetStep(9 * 60, 9));     // in the middle
        Assert.Null(p.SetStep(0, 0));          // at the front again, at 00:00
        Assert.Equal(5, p.StepCount);
        int[] hours = { 0, 6, 9, 12, 18 };
        for (int i = 0; i < hours.Length; i++)
        {
            Assert.Equal(hours[i] * 60, p.StepMinuteOfDay(i));
            Assert.Equal(hours[i], p.StepRateNgPerDay(i));
        }
    }

    [Fact]
    public void Replacing_a_middle_step_keeps_its_neighbours()
    {
        var p = ThreeSteps();
        Assert.Null(p.SetStep(12 * 60, 5_000));
        Assert.Equal(3, p.StepCount);
        Assert.Equal(1_000, p.StepRateNgPerDay(0));
        Assert.Equal(5_000, p.StepRateNgPerDay(1));
        Assert.Equal(3_000, p.StepRateNgPerDay(2));
    }

    [Theory]
    [InlineData(0)]        // before every step (replaces nothing: the steps are at 00:30 .. 22:30)
    [InlineData(1439)]     // after every step
    [InlineData(61)]       // in the middle
    public void A_thirteenth_step_anywhere_is_refused_and_changes_nothing(int minute)
    {
        var p = new Prescription();
        for (int i = 0; i < 12; i++) Assert.Null(p.SetStep(30 + i * 120, i + 1));
        var before = SamplePrograms.CopyOf(p);
        Assert.Equal("steps=13 exceeds max_steps=12", p.SetStep(minute, 5));
        SamplePrograms.AssertUnchanged(before, p);
        Assert.Equal(30 + 11 * 120, p.StepMinuteOfDay(11));
        Assert.Equal(12, p.StepRateNgPerDay(11));
    }

    [Fact]
    public void The_largest_step_rate_is_found_wherever_it_is()
    {
        var p = new Prescription();
        p.SetStep(0, 9_000);           // first
        p.SetStep(600, 5_000);
        p.SetStep(1200, 3_000);
        Assert.Equal(9_000, p.MaxStepRateNgPerDay());
        p.SetStep(600, 9_500);         // middle
        Assert.Equal(9_500, p.MaxStepRateNgPerDay());
        p.SetStep(1200, 9_999);        // last
        Assert.Equal(9_999, p.MaxStepRateNgPerDay());
    }

    [Fact]
    public void One_step_not_at_midnight_covers_the_whole_day()
    {
        // 08:00 until 08:00 tomorrow: 1440 minutes at 300 ug/day is exactly 300 ug.
        var p = new Prescription();
        p.SetStep(8 * 60, 300_000);
        Assert.Equal(300_000, p.DailyNg);
    }

    [Fact]
    public void Two_steps_weigh_their_rates_by_their_minutes_including_the_wrap()
    {
        // 06:00-18:00 (720 min) at 1.44 ug/day, 18:00-06:00 (720 min, across midnight) at 2.88 ug/day:
        // (1440 * 720 + 2880 * 720) / 1440 = 720 + 1440 = 2160 ng, a whole number: no rounding up.
        var p = new Prescription();
        p.SetStep(18 * 60, 2_880);
        p.SetStep(6 * 60, 1_440);
        Assert.Equal(2_160, p.DailyNg);
    }

    [Fact]
    public void Uneven_steps_across_midnight()
    {
        // 01:00-23:00 (1320 min) at 0, 23:00-01:00 (120 min, across midnight) at 1440 ng/day:
        // 1440 * 120 / 1440 = 120 ng.
        var p = new Prescription();
        p.SetStep(60, 0);
        p.SetStep(23 * 60, 1_440);
        Assert.Equal(120, p.DailyNg);
        // With the rates the other way round: 1440 * 1320 / 1440 = 1320 ng.
        p.SetStep(60, 1_440);
        p.SetStep(23 * 60, 0);
        Assert.Equal(1_320, p.DailyNg);
    }

    [Fact]
    public void Daily_is_rounded_up_only_by_the_part_of_a_nanogram_missing()
    {
        // 00:00-00:01 at 1441 ng/day and 00:01-00:00 at 0: 1441 * 1 / 1440 = 1.0007 ng -> 2 ng.
        var p = new Prescription();
        p.SetStep(0, 1_441);
        p.SetStep(1, 0);
        Assert.Equal(2, p.DailyNg);
        // 1440 ng/day for one minute is exactly 1 ng.
        p.SetStep(0, 1_440);
        Assert.Equal(1, p.DailyNg);
    }

    [Fact]
    public void Clear_steps_removes_every_step()
    {
        var p = ThreeSteps();
        p.ClearSteps();
        Assert.Equal(0, p.StepCount);
        Assert.Equal(-1, p.StepIndexAt(720));
        Assert.Contains(" schedule_ug_day= ptm=", p.CanonicalText());
    }
}
