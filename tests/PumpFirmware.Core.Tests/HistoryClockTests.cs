using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;

namespace PumpFirmware.Core.Tests;

/// <summary>The daily history counts days by the therapy's clock on every path that sets or restores it: TIME (back
/// and forward, and none yet), a reset (the state image and the history's section loaded into a new controller, then
/// Boot), and a rollback (the image of before a request loaded back, then ResumeAfterRollback). A day's row is the
/// clock's day at the step; a clock moved back keeps charging the newest row until the clock passes its end.</summary>
public class HistoryClockTests
{
    private const long Conc = 500_000;              // 500 ug/mL, ng/mL
    private const long StepNg = 8;                  // a step is 15 or 16 nL: 7.5 or 8 ng
    private const long Jan1 = 20454;                // 2026-01-01, days since 1970-01-01
    private const long Jan1Unix = 1_767_225_600;
    private const long Hour = Rig.Hour;

    private static Prescription TenPerHour()
    {
        var p = Rig.Program("baclofen", Conc, 400_000, (0, 240_000));   // 240 ug/day: 10 ug an hour
        Rig.Check(p.SetCatheter(150_000));
        return p;
    }

    /// <summary>The state image and the history's section (state section 2), as the application stores them.</summary>
    private static (byte[] Therapy, byte[] History) Image(TherapyController c)
    {
        var w = new StateWriter(new byte[32 * 1024]);
        c.Save(w);
        var h = new StateWriter(new byte[DailyHistory.SizeBytes]);
        c.History.SaveSection(h);
        Assert.False(w.Overflow || h.Overflow);
        return (w.Buffer[..w.Position], h.Buffer[..h.Position]);
    }

    private static void Restore(TherapyController c, (byte[] Therapy, byte[] History) image)
    {
        Assert.True(c.Load(new StateReader(image.Therapy, 0, image.Therapy.Length)));
        Assert.True(c.History.LoadSection(new StateReader(image.History, 0, image.History.Length), image.History.Length));
    }

    /// <summary>A power cut at the last Advance and a new controller booted from what was stored, at <paramref name="bootAt"/>.</summary>
    private static TherapyController Reset((byte[] Therapy, byte[] History) stored, long bootAt, Action<TherapyController>? beforeBoot = null)
    {
        var c = new TherapyController(1000);
        Restore(c, stored);
        beforeBoot?.Invoke(c);
        c.Boot(bootAt);
        return c;
    }

    private static void RunTo(TherapyController c, long t)
    {
        var e = new TherapyEvent();
        while (c.NextWakeMicros <= t) { c.Advance(c.NextWakeMicros); while (c.TryTakeEvent(e)) { } }
        c.Advance(t);
        while (c.TryTakeEvent(e)) { }
    }

    private static long Basal(TherapyController c, int row) => c.History.Nanograms(row, DailyHistory.Basal);

    private static long TotalFemtograms(DailyHistory h)
    {
        long fg = 0;
        for (int i = 0; i < h.Count; i++) fg += h.Nanograms(i, DailyHistory.Basal) * 1_000_000;
        return fg + h.RemainderFemtograms(DailyHistory.Basal);
    }

    [Fact]
    public void Before_TIME_timeline_days_go_on_across_a_reset_and_TIME_after_it_opens_a_wall_clock_day()
    {
        var rig = new Rig();
        rig.Begin(TenPerHour());
        rig.RunTo(20 * Hour);
        var c = Reset(Image(rig.C), 30 * Hour);                          // off for 10 h: not made up
        RunTo(c, 49 * Hour);
        Assert.Equal(3, c.History.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.False(c.History.IsWallClockDay(i));
            Assert.Equal(i, c.History.Day(i));
        }
        Assert.InRange(Basal(c, 0), 200_000 - StepNg, 200_000 + StepNg);   // 0 h to 20 h
        Assert.InRange(Basal(c, 1), 180_000 - StepNg, 180_000 + StepNg);   // 30 h to 48 h
        Assert.InRange(Basal(c, 2), 10_000 - StepNg, 10_000 + StepNg);     // 48 h to 49 h
        Assert.True(c.SetWallClock(Jan1Unix + 23 * 3600, 49 * Hour).IsOk);  // 2026-01-01 23:00
        RunTo(c, 51 * Hour);                                              // 2026-01-02 01:00
        Assert.Equal(5, c.History.Count);
        Assert.True(c.History.IsWallClockDay(3));
        Assert.Equal(Jan1, c.History.Day(3));
        Assert.Equal(Jan1 + 1, c.History.Day(4));
        Assert.InRange(Basal(c, 3), 10_000 - StepNg, 10_000 + StepNg);
        Assert.InRange(Basal(c, 4), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(c.DeliveredNl * Conc, TotalFemtograms(c.History));
    }

    [Fact]
    public void A_clock_moved_back_before_a_reset_still_keeps_charging_the_newest_day_after_it()
    {
        var rig = new Rig();
        rig.Begin(TenPerHour());
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 86400 + 6 * 3600, t)));   // 2026-01-02 06:00
        rig.RunTo(Hour);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 7 * 3600, t)));           // back to 2026-01-01 07:00
        rig.RunTo(10 * Hour);                                                        // 2026-01-01 16:00
        long firstDay = 0;
        bool wall = false;
        var after = Reset(Image(rig.C), 12 * Hour, c =>
        {
            // Loaded, not yet booted: the history already counts by the stored wall clock (2026-01-01 18:00 now,
            // before the newest row's day, so no day is missing after it).
            Assert.Equal(0, c.History.DaysAfterNewest(12 * Hour, out firstDay, out wall));
        });
        Assert.True(wall);
        Assert.Equal(Jan1 + 2, firstDay);
        RunTo(after, 41 * Hour);                                                     // 2026-01-02 23:00
        Assert.Equal(1, after.History.Count);                                        // no second 2026-01-01
        Assert.Equal(Jan1 + 1, after.History.Day(0));
        Assert.InRange(Basal(after, 0), 390_000 - StepNg, 390_000 + StepNg);         // 41 h less the 2 h off
        RunTo(after, 43 * Hour);                                                     // 2026-01-03 01:00
        Assert.Equal(2, after.History.Count);
        Assert.Equal(Jan1 + 2, after.History.Day(1));
        Assert.InRange(Basal(after, 1), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(after.DeliveredNl * Conc, TotalFemtograms(after.History));
    }

    [Fact]
    public void A_clock_moved_forward_before_a_reset_opens_the_new_day_at_the_first_step_after_it()
    {
        var rig = new Rig();
        rig.Begin(TenPerHour());
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 10 * 3600, t)));          // 2026-01-01 10:00
        rig.RunTo(Hour);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 3 * 86400 + 11 * 3600, t)));   // 2026-01-04 11:00, no step since
        var after = Reset(Image(rig.C), 2 * Hour);
        RunTo(after, 3 * Hour);
        Assert.Equal(4, after.History.Count);
        for (int i = 0; i < 4; i++) Assert.Equal(Jan1 + i, after.History.Day(i));
        Assert.InRange(Basal(after, 0), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(0, Basal(after, 1));
        Assert.Equal(0, Basal(after, 2));
        Assert.InRange(Basal(after, 3), 10_000 - StepNg, 10_000 + StepNg);          // 2 h to 3 h
    }

    [Fact]
    public void A_TIME_rolled_back_leaves_the_days_on_the_clock_put_back()
    {
        var rig = new Rig();
        rig.Begin(TenPerHour());
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 10 * 3600, t)));          // 2026-01-01 10:00
        rig.RunTo(Hour);

        // Forward three days, then the store refuses the change: the image of before it is put back.
        var before = Image(rig.C);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 3 * 86400 + 11 * 3600, t)));
        Restore(rig.C, before);
        rig.C.ResumeAfterRollback(rig.Now);
        Assert.Equal(Jan1Unix + 11 * 3600, rig.C.UnixSeconds(rig.Now));
        rig.RunTo(2 * Hour);
        Assert.Equal(1, rig.C.History.Count);                                        // no days jumped over
        Assert.Equal(Jan1, rig.C.History.Day(0));
        Assert.Equal(0, rig.C.History.DaysAfterNewest(rig.Now, out _, out _));

        // Back a day, rolled back too: the newest day ends at the clock's midnight as before, not a day later.
        before = Image(rig.C);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix - 12 * 3600, t)));
        Restore(rig.C, before);
        rig.C.ResumeAfterRollback(rig.Now);
        rig.RunTo(15 * Hour);                                                        // 2026-01-02 01:00
        Assert.Equal(2, rig.C.History.Count);
        Assert.Equal(Jan1 + 1, rig.C.History.Day(1));
        Assert.InRange(Basal(rig.C, 0), 140_000 - StepNg, 140_000 + StepNg);         // 10:00 to midnight
        Assert.InRange(Basal(rig.C, 1), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(rig.C.History));
    }
}
