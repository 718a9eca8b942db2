using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

public class DeliveryTableTests
{
    [Fact]
    public void Baclofen_300_ug_day_at_2000_ug_ml_is_9600_steps_a_day()
    {
        // 300 ug/day / 2000 ug/mL = 0.15 mL/day; x 64000 steps/mL = 9600 steps/day, one every 9 s.
        var rig = new Rig();
        rig.Begin(Program("baclofen", 2_000_000, 400_000, (0, 300_000)));
        Assert.Equal(150_000, rig.C.RateNlPerDay);
        Assert.Equal(300_000, rig.C.RateNgPerDay);
        Assert.Equal(9 * Second, rig.C.NextWakeMicros);
        rig.RunTo(9 * Second - 1);
        Assert.Equal(0, rig.C.TotalSteps);                 // row 0: nothing before the first interval
        rig.RunTo(9 * Second);
        Assert.Equal(1, rig.C.TotalSteps);                 // row 1
        rig.RunTo(18 * Second);
        Assert.Equal(2, rig.C.TotalSteps);                 // row 2
        rig.RunTo(Day - 1);
        Assert.Equal(9599, rig.C.TotalSteps);              // last - 1
        rig.RunTo(Day);
        Assert.Equal(9600, rig.C.TotalSteps);              // last: exactly at 24 h
        Assert.Equal(150_000, rig.C.DeliveredNl);          // 9600 x 15.625 nL
        rig.RunTo(Day + 9 * Second);
        Assert.Equal(9601, rig.C.TotalSteps);              // last + 1
        Assert.Equal(20_000_000 - 150_015, rig.C.ReservoirNl); // 9601 x 15.625 = 150015.625 -> 150015 nL
    }

    [Fact]
    public void Ziconotide_2_4_ug_day_of_25_ug_ml_is_96_ul_day()
    {
        // 2.4 / 25 = 0.096 mL/day = 96 uL/day; at 64000 steps/mL, 6144 steps/day.
        var rig = new Rig();
        rig.Begin(Program("ziconotide", 25_000, 2_400, (0, 2_400)));
        Assert.Equal(96_000, rig.C.RateNlPerDay);
        rig.RunTo(Day);
        Assert.Equal(6144, rig.C.TotalSteps);
        Assert.Equal(96_000, rig.C.DeliveredNl);
    }

    [Fact]
    public void Four_step_flex_day_delivers_each_steps_share()
    {
        // 1000 ng/mL and 1000 steps/mL make one step one ng: steps/day = ng/day.
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1000, 0));
        rig.Begin(Program("flex", 1000, 10_000,
            (6 * 60, 2_400),     // 06:00-12:00: 2400/day for 6 h = 600 steps, one every 36 s
            (12 * 60, 4_800),    // 12:00-18:00: 1200 steps
            (18 * 60, 1_440),    // 18:00-22:00: 240 steps, one a minute
            (22 * 60, 0)),       // 22:00-06:00: nothing
            reservoirNl: 1_000_000_000);
        // The pump starts at timeline 00:00 (wall clock never set): in the 22:00 step, rate 0.
        Assert.Equal(0, rig.C.RateNgPerDay);
        Assert.Equal(6 * Hour, rig.C.NextWakeMicros);      // sleeps straight to the 06:00 change
        rig.RunTo(6 * Hour);
        Assert.Equal(0, rig.C.TotalSteps);
        rig.RunTo(12 * Hour);
        Assert.Equal(600, rig.C.TotalSteps);
        rig.RunTo(18 * Hour);
        Assert.Equal(1800, rig.C.TotalSteps);
        rig.RunTo(22 * Hour);
        Assert.Equal(2040, rig.C.TotalSteps);
        rig.RunTo(Day + 6 * Hour);
        Assert.Equal(2040, rig.C.TotalSteps);
        // daily = (2400 x 6 + 4800 x 6 + 1440 x 4) / 24 = 2040 ng
        Assert.Equal(2040, rig.C.ActiveProgram!.DailyNg);
        rig.RunTo(11 * Day + 6 * Hour);
        Assert.Equal(11 * 2040, rig.C.TotalSteps);
    }

    [Fact]
    public void Midnight_wrap_keeps_the_last_step_until_the_first()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1000, 0));
        rig.Ok(rig.C.SetWallClock(1_700_000_000 - 1_700_000_000 % 86400 + 23 * 3600, 0)); // 23:00 UTC
        rig.Begin(Program("wrap", 1000, 10_000, (22 * 60, 1_440), (2 * 60, 0)));
        // 23:00 -> 02:00 is 3 h of the 22:00 step (one step a minute), then nothing until 22:00.
        Assert.Equal(1_440, rig.C.RateNgPerDay);
        rig.RunTo(3 * Hour);
        Assert.Equal(180, rig.C.TotalSteps);
        Assert.Equal(0, rig.C.RateNgPerDay);
        Assert.Equal(23 * Hour, rig.C.NextWakeMicros);      // 02:00 + 20 h = 22:00
        rig.RunTo(23 * Hour + Minute);
        Assert.Equal(181, rig.C.TotalSteps);
    }

    [Fact]
    public void A_single_step_at_00_00_is_simple_continuous()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1000, 0));
        rig.Begin(Program("simple", 1000, 100_000, (0, 86_400)), reservoirNl: 1_000_000_000);   // one step a second
        rig.RunTo(10 * Day);
        Assert.Equal(864_000, rig.C.TotalSteps);
        Assert.Equal(Day * 10 + Second, rig.C.NextWakeMicros);
    }

    [Fact]
    public void Twelve_steps_of_two_hours()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1000, 0));
        var p = Program("twelve", 1000, 1_000_000);
        for (int i = 0; i < 12; i++) Check(p.SetStep(i * 120, 1200 * (i + 1)));  // 100 (i+1) steps in each 2 h
        rig.Begin(p);
        for (int i = 0; i < 12; i++)
        {
            rig.RunTo((i + 1) * 2 * Hour);
            Assert.Equal(100L * (i + 1) * (i + 2) / 2, rig.C.TotalSteps);
        }
        Assert.Equal(7800, rig.C.TotalSteps);
    }

    [Fact]
    public void Zero_rate_steps_deliver_nothing_and_sleep_to_the_change()
    {
        var rig = new Rig();
        rig.Begin(Program("zero", 1000, 1000, (0, 0)));
        Assert.Equal(long.MaxValue, rig.C.NextWakeMicros);
        rig.RunTo(30 * Day);
        Assert.Equal(0, rig.C.TotalSteps);
    }
}
