using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>Issue 17, daily history: drug per calendar day (the wall clock once set, the timeline day before), split
/// into basal, PTM, clinician, bridge, prime and minimum rate; exact to the femtogram against the counters; a clock
/// change never loses or double-counts drug.</summary>
public class DailyHistoryTests
{
    private const long Conc = 500_000;              // baclofen 500 ug/mL, ng/mL
    private const long StepNg = 8;                  // a step is 15 or 16 nL: 7.5 or 8 ng
    private const long Jan1 = 20454;                // 2026-01-01, days since 1970-01-01
    private const long Jan1Unix = 1_767_225_600;

    private static Prescription Baclofen(bool ptm = false)
    {
        var p = Rig.Program("baclofen", Conc, 400_000, (0, 240_000));   // 240 ug/day = 480 uL/day
        Rig.Check(p.SetMinRate(20_000));                                // 20 uL/day = 10 ug/day
        Rig.Check(p.SetCatheter(150_000));
        if (ptm) Rig.Check(p.SetPtm(25_000, 10, 240, 3));
        return p;
    }

    private static long TotalFemtograms(DailyHistory h)
    {
        long fg = 0;
        for (int i = 0; i < h.Count; i++)
            for (int k = 0; k < DailyHistory.Kinds; k++) fg += h.Nanograms(i, k) * 1_000_000;
        for (int k = 0; k < DailyHistory.Kinds; k++) fg += h.RemainderFemtograms(k);
        return fg;
    }

    private static long Kind(DailyHistory h, int row, int kind) => h.Nanograms(row, kind);

    [Fact]
    public void Before_TIME_each_timeline_day_gets_its_own_row_and_the_rows_are_exactly_the_delivered_drug()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.RunTo(2 * Rig.Day + Rig.Hour);
        DailyHistory h = rig.C.History;
        Assert.Equal(3, h.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.False(h.IsWallClockDay(i));
            Assert.Equal(i, h.Day(i));
        }
        Assert.InRange(Kind(h, 0, DailyHistory.Basal), 240_000 - StepNg, 240_000 + StepNg);
        Assert.InRange(Kind(h, 1, DailyHistory.Basal), 240_000 - StepNg, 240_000 + StepNg);
        Assert.InRange(Kind(h, 2, DailyHistory.Basal), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(h));
    }

    [Fact]
    public void A_clinician_bolus_takes_its_share_of_each_step_and_basal_keeps_the_rest()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.StartClinicianBolus(50_000, 60, t)));   // 50 ug over an hour on top of 10 ug/h
        rig.RunTo(Rig.Day - Rig.Second);
        DailyHistory h = rig.C.History;
        Assert.Equal(1, h.Count);
        Assert.InRange(Kind(h, 0, DailyHistory.Clinician), 50_000 - 2 * StepNg, 50_000 + 2 * StepNg);
        Assert.InRange(Kind(h, 0, DailyHistory.Basal), 240_000 - 2 * StepNg, 240_000 + 2 * StepNg);
        Assert.Equal(0, Kind(h, 0, DailyHistory.Ptm));
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(h));
    }

    [Fact]
    public void A_PTM_bolus_goes_to_the_patient_column()
    {
        var rig = new Rig();
        rig.Begin(Baclofen(ptm: true));
        rig.RunTo(Rig.Hour);
        Assert.True(rig.Do((c, t) => c.RequestPatientBolus(t)).IsOk);
        rig.RunTo(Rig.Day - Rig.Second);
        DailyHistory h = rig.C.History;
        Assert.InRange(Kind(h, 0, DailyHistory.Ptm), 25_000 - 2 * StepNg, 25_000 + 2 * StepNg);
        Assert.Equal(0, Kind(h, 0, DailyHistory.Clinician));
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(h));
    }

    [Fact]
    public void Prime_minimum_rate_and_bridge_each_have_their_column()
    {
        var rig = new Rig();
        rig.Ok(rig.C.Commit(Baclofen(), false, rig.Now));
        rig.Ok(rig.C.Refill(20_000_000, rig.Now));
        rig.Ok(rig.Do((c, t) => c.Prime(100_000, t)));                  // 100 uL in STOPPED
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.Start(t)));
        rig.Ok(rig.Do((c, t) => c.Stop(t)));                            // SUSPENDED: the minimum rate
        rig.RunTo(13 * Rig.Hour);                                       // 12 h at 20 uL/day = 10 uL = 5 ug
        rig.Ok(rig.Do((c, t) => c.Start(t)));
        var stronger = Baclofen();
        Rig.Check(stronger.SetDrug("baclofen", 2 * Conc));
        rig.Ok(rig.Do((c, t) => c.Commit(stronger, true, t)));          // a bridge of 150 uL of the old drug
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        rig.RunTo(Rig.Day - Rig.Second);                                // 11 h at 480 uL/day: the bridge is over
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        DailyHistory h = rig.C.History;
        Assert.Equal(1, h.Count);
        Assert.InRange(Kind(h, 0, DailyHistory.Prime), 50_000 - StepNg, 50_000);        // ends before a step beyond it
        Assert.InRange(Kind(h, 0, DailyHistory.MinRate), 5_000 - StepNg, 5_000 + StepNg);
        Assert.InRange(Kind(h, 0, DailyHistory.Bridge), 75_000 - StepNg, 75_000 + 2 * StepNg); // 150 uL at 500 ug/mL
        Assert.True(Kind(h, 0, DailyHistory.Basal) > 0);                 // the new program after the bridge
    }

    [Fact]
    public void After_TIME_days_are_wall_clock_dates_and_midnight_is_the_wall_clocks()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 12 * 3600, t)));   // 2026-01-01 12:00
        rig.RunTo(Rig.Hour + 18 * Rig.Hour);                                   // 2026-01-02 06:00
        DailyHistory h = rig.C.History;
        Assert.Equal(3, h.Count);
        Assert.False(h.IsWallClockDay(0));
        Assert.Equal(0, h.Day(0));
        Assert.True(h.IsWallClockDay(1));
        Assert.Equal(Jan1, h.Day(1));
        Assert.Equal(Jan1 + 1, h.Day(2));
        Assert.InRange(Kind(h, 0, DailyHistory.Basal), 10_000 - StepNg, 10_000 + StepNg);   // 1 h on the timeline
        Assert.InRange(Kind(h, 1, DailyHistory.Basal), 120_000 - StepNg, 120_000 + StepNg); // 12:00 to midnight
        Assert.InRange(Kind(h, 2, DailyHistory.Basal), 60_000 - StepNg, 60_000 + StepNg);   // midnight to 06:00
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(h));
    }

    [Fact]
    public void A_clock_moved_back_keeps_charging_the_newest_day_until_the_clock_passes_it()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 86400 + 6 * 3600, t)));   // 2026-01-02 06:00
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 7 * 3600, t)));           // back to 2026-01-01 07:00
        rig.RunTo(Rig.Hour + 40 * Rig.Hour);                                         // 2026-01-02 23:00 on the new clock
        DailyHistory h = rig.C.History;
        Assert.Equal(1, h.Count);                                                    // no second 2026-01-01, no new day
        Assert.Equal(Jan1 + 1, h.Day(0));
        Assert.InRange(Kind(h, 0, DailyHistory.Basal), 410_000 - StepNg, 410_000 + StepNg);  // 41 h, more than a day
        rig.RunTo(Rig.Hour + 42 * Rig.Hour);                                         // 2026-01-03 01:00
        Assert.Equal(2, h.Count);
        Assert.Equal(Jan1 + 2, h.Day(1));
        Assert.InRange(Kind(h, 1, DailyHistory.Basal), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(h));                  // nothing lost or counted twice
    }

    [Fact]
    public void A_clock_moved_forward_opens_the_new_day_and_the_days_jumped_over_have_zeros()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 10 * 3600, t)));   // 2026-01-01 10:00
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix + 3 * 86400 + 11 * 3600, t)));   // 2026-01-04 11:00
        rig.RunTo(2 * Rig.Hour);
        DailyHistory h = rig.C.History;
        Assert.Equal(4, h.Count);
        for (int i = 0; i < 4; i++) Assert.Equal(Jan1 + i, h.Day(i));
        Assert.Equal(0, Kind(h, 1, DailyHistory.Basal));
        Assert.Equal(0, Kind(h, 2, DailyHistory.Basal));
        Assert.InRange(Kind(h, 3, DailyHistory.Basal), 10_000 - StepNg, 10_000 + StepNg);
        Assert.Equal(rig.C.DeliveredNl * Conc, TotalFemtograms(h));
    }

    [Fact]
    public void The_ring_keeps_the_last_31_days()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.RunTo(40 * Rig.Day + Rig.Hour);
        DailyHistory h = rig.C.History;
        Assert.Equal(31, h.Count);
        Assert.Equal(10, h.Day(0));
        Assert.Equal(40, h.Day(30));
    }

    [Fact]
    public void Days_without_delivery_after_the_newest_row_are_counted_up_to_today()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        rig.Ok(rig.Do((c, t) => c.Stop(t)));                                   // STOPPED: nothing moves
        rig.RunTo(3 * Rig.Day + Rig.Hour);
        DailyHistory h = rig.C.History;
        Assert.Equal(1, h.Count);
        Assert.Equal(3, h.DaysAfterNewest(rig.Now, out long first, out bool wall));
        Assert.Equal(1, first);
        Assert.False(wall);
        rig.Ok(rig.Do((c, t) => c.SetWallClock(Jan1Unix, t)));
        Assert.Equal(1, h.DaysAfterNewest(rig.Now, out first, out wall));       // today, on the other clock
        Assert.Equal(Jan1, first);
        Assert.True(wall);
        Assert.Equal(1, new DailyHistory(new WallClock()).DaysAfterNewest(0, out first, out wall));
    }

    [Fact]
    public void After_more_than_31_days_without_delivery_the_last_31_days_up_to_today_are_counted()
    {
        var rig = new Rig();
        rig.Begin(Baclofen());
        rig.RunTo(Rig.Hour);
        rig.Ok(rig.Do((c, t) => c.Stop(t)));
        rig.Ok(rig.Do((c, t) => c.Stop(t)));                                   // STOPPED on day 0
        DailyHistory h = rig.C.History;
        rig.RunTo(31 * Rig.Day + Rig.Hour);                                    // day 31: days 1..31
        Assert.Equal(DailyHistory.Days, h.DaysAfterNewest(rig.Now, out long first, out _));
        Assert.Equal(1, first);
        rig.RunTo(40 * Rig.Day + Rig.Hour);                                    // day 40: the ring's 31 days, 10..40
        Assert.Equal(DailyHistory.Days, h.DaysAfterNewest(rig.Now, out first, out _));
        Assert.Equal(10, first);
    }

    [Fact]
    public void Charging_a_step_allocates_nothing_even_when_a_day_begins()
    {
        var clock = new WallClock();
        var h = new DailyHistory(clock);
        clock.Restore(true, Jan1Unix * 1_000_000);
        h.SetShare(DailyHistory.Basal, DailyHistory.Clinician, 240_000 * 60, 50_000 * 1440);
        h.AddStep(0, 7_500_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long t = 0; t < 3 * Rig.Day; t += 10 * Rig.Second) h.AddStep(t, 7_500_000);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(3, h.Count);
    }

    // ------------------------------------------------------------------ state section 2

    private static byte[] Save(DailyHistory h)
    {
        var w = new StateWriter(new byte[DailyHistory.SizeBytes + 16]);
        h.SaveSection(w);
        Assert.Equal(DailyHistory.SizeBytes, w.Position);
        return w.Buffer[..w.Position];
    }

    private static DailyHistory Filled(int days, long fgPerStep = 7_812_500)
    {
        var clock = new WallClock();
        var h = new DailyHistory(clock);
        for (int d = 0; d < days; d++)
        {
            if (d == days / 2) clock.Restore(true, Jan1Unix * 1_000_000);
            h.SetShare(d % 6, d % 3 == 0 ? -1 : (d + 1) % 6, 3, 1);
            for (int s = 0; s < 5; s++) h.AddStep(d * Rig.Day + s * Rig.Hour, fgPerStep);
        }
        return h;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(45)]
    public void The_section_loads_back_exactly_and_saves_the_same_bytes(int days)
    {
        var h = Filled(days);
        byte[] image = Save(h);
        Assert.True(image.Length <= 1536);                                       // the section's budget
        var back = new DailyHistory(new WallClock());
        Assert.True(back.LoadSection(new StateReader(image, 0, image.Length), image.Length));
        Assert.Equal(image, Save(back));
        Assert.Equal(TotalFemtograms(h), TotalFemtograms(back));
    }

    [Fact]
    public void Cells_hold_48_bits_and_saturate_there()
    {
        var h = new DailyHistory(new WallClock());
        h.AddStep(0, 100_000_000_000_000);                                       // 10^8 ng in one step
        var back = new DailyHistory(new WallClock());
        byte[] image = Save(h);
        Assert.True(back.LoadSection(new StateReader(image, 0, image.Length), image.Length));
        Assert.Equal(100_000_000, back.Nanograms(0, DailyHistory.Basal));
        for (int i = 0; i < 100; i++) h.AddStep(0, long.MaxValue / 4);
        Assert.Equal(DailyHistory.MaxCellNg, h.Nanograms(0, DailyHistory.Basal));
    }

    [Fact]
    public void A_bad_header_a_row_out_of_order_or_a_wrong_length_is_refused_and_changes_nothing()
    {
        byte[] image = Save(Filled(10));
        // version, count, newest, and the top byte of each remainder (a negative remainder)
        foreach (int b in new[] { 0, 1, 2, 6, 10, 14, 18, 22, 26 })
        {
            byte[] bad = (byte[])image.Clone();
            bad[b] ^= 0x80;
            var h = Filled(3);
            byte[] before = Save(h);
            Assert.False(h.LoadSection(new StateReader(bad, 0, bad.Length), bad.Length), $"byte {b}");
            Assert.Equal(before, Save(h));
        }
        // Row slot 1 (day 1) given day 0 again: rows must be in day order.
        byte[] swapped = (byte[])image.Clone();
        swapped[27 + 41 + 1] = 0;
        Assert.False(new DailyHistory(new WallClock()).LoadSection(new StateReader(swapped, 0, swapped.Length), swapped.Length));
        // An unused slot (slot 10) that is not all zero.
        byte[] used = (byte[])image.Clone();
        used[27 + 10 * 41 + 5] = 1;
        Assert.False(new DailyHistory(new WallClock()).LoadSection(new StateReader(used, 0, used.Length), used.Length));
        Assert.False(new DailyHistory(new WallClock()).LoadSection(new StateReader(image, 0, image.Length - 1), image.Length - 1));
    }

    [Fact]
    public void Clear_is_a_factory_start()
    {
        var h = Filled(10);
        h.ClearSection();
        Assert.Equal(0, h.Count);
        Assert.Equal(Save(new DailyHistory(new WallClock())), Save(h));
    }
}
