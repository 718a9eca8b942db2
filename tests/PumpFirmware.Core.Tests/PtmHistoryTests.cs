using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The patient-bolus history on its own (added to kill surviving mutants, see
/// docs/TESTING-EVIDENCE.md): the rolling 24 h count at its edge, when the count frees a place,
/// the ring at its capacity of 100, and every check of a stored history.
/// </summary>
public class PtmHistoryTests
{
    [Fact]
    public void A_bolus_counts_for_exactly_24_h_after_its_start()
    {
        var h = new PtmHistory();
        Assert.Equal(long.MinValue, h.LastStartMicros);
        h.Add(10 * Hour);
        Assert.Equal(10 * Hour, h.LastStartMicros);
        Assert.Equal(1, h.CountInDay(10 * Hour));
        Assert.Equal(1, h.CountInDay(10 * Hour + Day - 1));   // start > now - 24 h
        Assert.Equal(0, h.CountInDay(10 * Hour + Day));       // exactly 24 h old: no longer counted
    }

    [Fact]
    public void The_count_frees_when_the_oldest_counted_bolus_is_24_h_old()
    {
        var h = new PtmHistory();
        h.Add(1 * Hour);
        h.Add(2 * Hour);
        h.Add(3 * Hour);
        // 3 a day allowed, 3 taken: the place of the 3rd newest (01:00) frees at 01:00 + 24 h.
        Assert.Equal(1 * Hour + Day, h.CountFreesAtMicros(4 * Hour, 3));
        // 2 a day: the 2nd newest (02:00) decides.
        Assert.Equal(2 * Hour + Day, h.CountFreesAtMicros(4 * Hour, 2));
        // 4 a day: a place is free now.
        Assert.Equal(long.MinValue, h.CountFreesAtMicros(4 * Hour, 4));
        // No limit configured.
        Assert.Equal(long.MinValue, h.CountFreesAtMicros(4 * Hour, 0));
        // Once 01:00 is 24 h old only two count: free.
        Assert.Equal(long.MinValue, h.CountFreesAtMicros(1 * Hour + Day, 3));
    }

    [Fact]
    public void The_ring_keeps_the_newest_100()
    {
        var h = new PtmHistory();
        for (int i = 0; i < 130; i++) h.Add(i * Minute);
        Assert.Equal(PtmHistory.Capacity, h.Count);
        Assert.Equal(129 * Minute, h.StartAt(0));
        Assert.Equal(30 * Minute, h.StartAt(99));   // the 100th newest of 0..129
        Assert.Equal(100, h.CountInDay(129 * Minute));
        // 30 a day, 100 taken: the 30th newest (minute 100) decides.
        Assert.Equal(100 * Minute + Day, h.CountFreesAtMicros(129 * Minute, 30));
    }

    [Fact]
    public void Clear_forgets_everything()
    {
        var h = new PtmHistory();
        h.Add(5);
        h.Add(6);
        h.Clear();
        Assert.Equal(0, h.Count);
        Assert.Equal(long.MinValue, h.LastStartMicros);
        Assert.Equal(0, h.CountInDay(7));
        h.Add(8);
        Assert.Equal(8, h.StartAt(0));
        Assert.Equal(1, h.Count);
    }

    [Fact]
    public void Save_and_load_keep_order_and_count()
    {
        var h = new PtmHistory();
        for (int i = 0; i < 105; i++) h.Add(i * Hour);   // wraps the ring
        var writer = new StateWriter(new byte[1 + 8 * PtmHistory.Capacity]);
        h.Save(writer);
        Assert.Equal(1 + 8 * 100, writer.Position);
        var back = new PtmHistory();
        Assert.True(back.Load(new StateReader(writer.Buffer, 0, writer.Position)));
        Assert.Equal(100, back.Count);
        Assert.Equal(104 * Hour, back.LastStartMicros);
        Assert.Equal(5 * Hour, back.StartAt(99));
        Assert.Equal(24, back.CountInDay(104 * Hour));    // 81:00..104:00 are within 24 h of 104:00
    }

    private static StateReader Image(int count, params long[] starts)
    {
        var writer = new StateWriter(new byte[1 + 8 * 200]);
        writer.WriteByte(count);
        foreach (long s in starts) writer.WriteLong(s);
        return new StateReader(writer.Buffer, 0, writer.Position);
    }

    [Fact]
    public void A_bad_stored_history_is_refused_and_changes_nothing()
    {
        var h = new PtmHistory();
        h.Add(7 * Hour);
        var tooMany = Image(101, new long[101]);
        Assert.False(h.Load(tooMany));
        Assert.True(tooMany.Failed);
        var outOfOrder = Image(2, 5 * Hour, 4 * Hour);
        Assert.False(h.Load(outOfOrder));
        Assert.True(outOfOrder.Failed);
        var truncated = Image(3, 1, 2);
        Assert.False(h.Load(truncated));
        Assert.Equal(1, h.Count);
        Assert.Equal(7 * Hour, h.LastStartMicros);
        // Equal starts are in order; exactly 100 is allowed.
        Assert.True(h.Load(Image(2, 4 * Hour, 4 * Hour)));
        Assert.Equal(2, h.Count);
        Assert.True(h.Load(Image(100, new long[100])));
        Assert.Equal(100, h.Count);
    }
}
