using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>Issue 17, refill check: REFILL with a measured residual compares it with the reservoir the accounting
/// expected, logs expected, measured and the gap, raises REFILL_GAP (not stopping) when |gap| exceeds the threshold,
/// and keeps the last 16 refills.</summary>
public class RefillCheckTests
{
    // Baclofen 500 ug/mL at 240 ug/day = 480 uL/day; 64000 steps/mL (15.625 nL a step).
    private static Rig Running(long fillNl = 20_000_000)
    {
        var rig = new Rig();
        rig.Begin(Rig.Program("baclofen", 500_000, 400_000, (0, 240_000)), fillNl);
        return rig;
    }

    private static TherapyEvent Checked(Rig rig) => rig.EventsOf(TherapyEventKind.RefillChecked).Single();

    [Fact]
    public void A_residual_equal_to_the_accounting_is_a_gap_of_0_and_raises_nothing()
    {
        var rig = Running();
        rig.RunFor(10 * Rig.Day);
        rig.C.Advance(rig.Now);
        long expected = rig.C.ReservoirNl;
        Assert.InRange(expected, 20_000_000 - 4_800_000 - 16, 20_000_000 - 4_800_000 + 16);  // 10 days at 480 uL/day
        rig.Events.Clear();
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, expected, t)));
        var e = Checked(rig);
        Assert.Equal(0, e.Code);
        Assert.Equal(expected, e.Value1);
        Assert.Equal(expected, e.Value2);
        Assert.Equal(0, rig.C.Alarms & AlarmCode.RefillGap);
        Assert.Equal(20_000_000, rig.C.ReservoirNl);
    }

    [Theory]
    // the gap (measured - expected) against the default threshold of 1000 uL, which it must exceed
    [InlineData(-1_000_000, false)]   // 1 mL short: at the threshold, not over
    [InlineData(-1_000_001, true)]    // 1 nL more short: overinfusion or a leak
    [InlineData(1_000_000, false)]    // 1 mL surplus: at the threshold
    [InlineData(1_000_001, true)]     // surplus over it: drug that was commanded never left (occlusion, slip)
    [InlineData(-15_200_000, true)]   // nothing found (about 15200 uL expected)
    public void REFILL_GAP_is_raised_when_either_sign_of_the_gap_exceeds_the_threshold(long gapNl, bool raised)
    {
        var rig = Running();
        rig.RunFor(10 * Rig.Day);
        rig.C.Advance(rig.Now);
        long expected = rig.C.ReservoirNl;
        long measured = Math.Max(0, expected + gapNl);
        rig.Events.Clear();
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, measured, t)));
        Assert.Equal(raised, (rig.C.Alarms & AlarmCode.RefillGap) != 0);
        Assert.Equal(raised ? 1 : 0, Checked(rig).Code);
        Assert.Equal(expected, Checked(rig).Value1);
        Assert.Equal(raised, rig.EventsOf(TherapyEventKind.AlarmRaised).Any(e => e.Code == AlarmCode.RefillGap));
        Assert.Equal(TherapyState.Running, rig.C.State);       // not a stopping alarm
        Assert.Equal(raised, rig.C.Refills.RaisedAlarm(rig.C.Refills.Count - 1));
    }

    [Fact]
    public void REFILL_GAP_does_not_stop_delivery_and_clears_when_acknowledged()
    {
        var rig = Running();
        rig.RunFor(Rig.Day);
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, 0, t)));
        long before = rig.C.DeliveredNl;
        rig.RunFor(Rig.Day);
        Assert.InRange(rig.C.DeliveredNl - before, 480_000 - 16, 480_000 + 16);  // a day at 480 uL/day, within a step
        Assert.NotEqual(0, rig.C.Alarms & AlarmCode.RefillGap);
        rig.Ok(rig.Do((c, t) => c.AcknowledgeAlarm(AlarmCode.RefillGap, t)));
        Assert.Equal(0, rig.C.Alarms & AlarmCode.RefillGap);
        Assert.Contains(rig.Events, e => e.Kind == TherapyEventKind.AlarmCleared && e.Code == AlarmCode.RefillGap);
    }

    [Fact]
    public void A_refill_without_a_residual_is_recorded_unchecked_and_logs_no_check()
    {
        var rig = Running();
        rig.RunFor(Rig.Day);
        rig.Events.Clear();
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, t)));
        Assert.Empty(rig.EventsOf(TherapyEventKind.RefillChecked));
        RefillCheck h = rig.C.Refills;
        Assert.Equal(2, h.Count);                               // the fill at the start, and this one
        Assert.Equal(RefillCheck.NotMeasured, h.MeasuredNl(1));
        Assert.InRange(h.ExpectedNl(1), 20_000_000 - 480_000 - 16, 20_000_000 - 480_000 + 16);
        Assert.Equal(20_000_000, h.VolumeNl(1));
        Assert.False(h.RaisedAlarm(1));
    }

    [Fact]
    public void A_residual_over_the_capacity_is_422_and_changes_nothing()
    {
        var rig = Running();
        rig.RunFor(Rig.Day);
        long reservoir = rig.C.ReservoirNl;
        int count = rig.C.Refills.Count;
        rig.Events.Clear();
        var r = rig.Do((c, t) => c.Refill(10_000_000, 20_000_001, t));
        Assert.Equal(422, r.Code);
        Assert.Equal("residual_ul=20000.001 exceeds capacity_ul=20000.000", r.Detail);
        Assert.Equal(reservoir, rig.C.ReservoirNl);
        Assert.Equal(count, rig.C.Refills.Count);
        Assert.Empty(rig.Events);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(1_000_000_000, true)]
    [InlineData(1_000_000_001, false)]
    public void The_threshold_is_0_to_1000000_uL(long gapNl, bool ok)
    {
        var rig = new Rig();
        var r = rig.Do((c, t) => c.SetRefillGapAlarm(gapNl, t));
        Assert.Equal(ok, r.IsOk);
        Assert.Equal(ok ? gapNl : RefillCheck.DefaultGapAlarmNl, rig.C.Refills.GapAlarmNl);
        if (!ok) Assert.Equal("gap_ul=1000000.001 out of range 0..1000000.000", r.Detail);
    }

    [Fact]
    public void A_threshold_of_0_raises_on_any_gap_and_the_change_is_an_event()
    {
        var rig = Running();
        rig.Ok(rig.Do((c, t) => c.SetRefillGapAlarm(0, t)));
        var set = rig.EventsOf(TherapyEventKind.RefillGapSet).Single();
        Assert.Equal(0, set.Value1);
        Assert.Equal(RefillCheck.DefaultGapAlarmNl, set.Value2);
        rig.RunFor(Rig.Hour);
        long expected = rig.C.ReservoirNl;
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, expected, t)));
        Assert.Equal(0, rig.C.Alarms & AlarmCode.RefillGap);
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, 19_999_999, t)));  // 1 nL short
        Assert.NotEqual(0, rig.C.Alarms & AlarmCode.RefillGap);
    }

    [Fact]
    public void The_history_keeps_the_last_16_refills_numbered_from_the_first()
    {
        var rig = Running();
        for (int i = 1; i <= 20; i++)
        {
            rig.RunFor(Rig.Hour);
            rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, i % 2 == 0 ? 19_000_000 : RefillCheck.NotMeasured, t)));
        }
        RefillCheck h = rig.C.Refills;
        Assert.Equal(16, h.Count);
        Assert.Equal(21, h.Total);                              // the fill of Begin and 20 more
        for (int i = 0; i < 16; i++) Assert.Equal(6 + i, h.Number(i));
        Assert.InRange(h.ExpectedNl(15), 20_000_000 - 20_000 - 16, 20_000_000 - 20_000 + 16);  // an hour at 480 uL/day
        Assert.Equal(19_000_000, h.MeasuredNl(15));             // refill 21 = the 20th of the loop: measured
        Assert.Equal(RefillCheck.NotMeasured, h.MeasuredNl(14));
    }

    [Fact]
    public void The_wall_clock_of_each_refill_is_kept_0_before_TIME()
    {
        var rig = Running();
        rig.Ok(rig.Do((c, t) => c.SetWallClock(1_767_225_600, t)));
        rig.RunFor(90 * Rig.Second);
        rig.Ok(rig.Do((c, t) => c.Refill(20_000_000, t)));
        Assert.Equal(0, rig.C.Refills.UnixSeconds(0));
        Assert.Equal(1_767_225_690, rig.C.Refills.UnixSeconds(1));
    }

    // ------------------------------------------------------------------ state section 1

    private static byte[] Save(RefillCheck h)
    {
        var w = new StateWriter(new byte[RefillCheck.SizeBytes + 16]);
        h.SaveSection(w);
        Assert.Equal(RefillCheck.SizeBytes, w.Position);
        return w.Buffer[..w.Position];
    }

    private static RefillCheck Filled(int refills)
    {
        var h = new RefillCheck();
        h.SetGapAlarm(2_500_000);
        for (int i = 0; i < refills; i++) h.Record(1_767_225_600 + i, 20_000_000, 1_000_000 + i, i % 3 == 0 ? RefillCheck.NotMeasured : 3_000_000);
        return h;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void The_section_loads_back_exactly_and_saves_the_same_bytes(int refills)
    {
        var h = Filled(refills);
        byte[] image = Save(h);
        Assert.True(image.Length <= 512);                        // the section's budget
        var back = new RefillCheck();
        Assert.True(back.LoadSection(new StateReader(image, 0, image.Length), image.Length));
        Assert.Equal(image, Save(back));
        Assert.Equal(h.Count, back.Count);
        Assert.Equal(h.Total, back.Total);
        Assert.Equal(2_500_000, back.GapAlarmNl);
        for (int i = 0; i < h.Count; i++)
        {
            Assert.Equal(h.Number(i), back.Number(i));
            Assert.Equal(h.MeasuredNl(i), back.MeasuredNl(i));
            Assert.Equal(h.RaisedAlarm(i), back.RaisedAlarm(i));
        }
    }

    [Fact]
    public void Refills_at_the_ends_of_their_ranges_load_back()
    {
        // REFILL 0 (the reservoir left empty), a check that found nothing where nothing was expected, before TIME
        // (unix 0), a threshold of 0; and the largest volumes (10^9 nL) with a gap of the whole capacity.
        var h = new RefillCheck();
        h.SetGapAlarm(0);
        h.Record(0, 0, 0, 0);
        h.Record(0, 0, 0, RefillCheck.NotMeasured);
        h.Record(1_767_225_600, 1_000_000_000, 1_000_000_000, 1_000_000_000);
        Assert.True(h.Record(1_767_225_601, 0, 1_000_000_000, 0));
        byte[] image = Save(h);
        var back = new RefillCheck();
        Assert.True(back.LoadSection(new StateReader(image, 0, image.Length), image.Length));
        Assert.Equal(image, Save(back));
        Assert.Equal(0, back.GapAlarmNl);
        Assert.Equal(new long[] { 0, 0, 1_000_000_000, 0 }, Enumerable.Range(0, 4).Select(i => back.VolumeNl(i)));
        Assert.Equal(new long[] { 0, 0, 1_000_000_000, 1_000_000_000 }, Enumerable.Range(0, 4).Select(i => back.ExpectedNl(i)));
        Assert.Equal(new long[] { 0, RefillCheck.NotMeasured, 1_000_000_000, 0 }, Enumerable.Range(0, 4).Select(i => back.MeasuredNl(i)));
        Assert.Equal(new long[] { 0, 0, 1_767_225_600, 1_767_225_601 }, Enumerable.Range(0, 4).Select(i => back.UnixSeconds(i)));
        Assert.Equal(new[] { false, false, false, true }, Enumerable.Range(0, 4).Select(i => back.RaisedAlarm(i)));
    }

    [Fact]
    public void A_bad_header_or_a_wrong_length_is_refused_and_changes_nothing()
    {
        byte[] image = Save(Filled(5));
        // version, count, newest, the total (the entries are numbered up to it), the top byte of the threshold
        foreach (int b in new[] { 0, 1, 2, 3, 4, 5, 6, 10 })
        {
            byte[] bad = (byte[])image.Clone();
            bad[b] ^= 0x80;
            var h = Filled(2);
            byte[] before = Save(h);
            Assert.False(h.LoadSection(new StateReader(bad, 0, bad.Length), bad.Length), $"byte {b}");
            Assert.Equal(before, Save(h));
        }
        Assert.False(new RefillCheck().LoadSection(new StateReader(image, 0, image.Length - 1), image.Length - 1));
    }

    [Fact]
    public void An_entry_that_Save_cannot_write_is_refused()
    {
        byte[] image = Save(Filled(5));
        // The oldest entry is in slot 0 (offset 11): its number (offset 19) must be total - 4 = 1.
        byte[] bad = (byte[])image.Clone();
        bad[19] = 2;
        Assert.False(new RefillCheck().LoadSection(new StateReader(bad, 0, bad.Length), bad.Length));
        // An unused slot (slot 5) must be all zero.
        bad = (byte[])image.Clone();
        bad[11 + 5 * 25] = 1;
        Assert.False(new RefillCheck().LoadSection(new StateReader(bad, 0, bad.Length), bad.Length));
    }

    [Fact]
    public void Clear_is_a_factory_start_with_the_default_threshold()
    {
        var h = Filled(5);
        h.ClearSection();
        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.Total);
        Assert.Equal(RefillCheck.DefaultGapAlarmNl, h.GapAlarmNl);
        Assert.Equal(Save(new RefillCheck()), Save(h));
    }
}
