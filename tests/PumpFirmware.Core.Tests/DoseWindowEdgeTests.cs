using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The rolling 24 h window at its edges (added to kill surviving mutants, see
/// docs/TESTING-EVIDENCE.md): jumps of 1440 and 1441 minutes, negative and backward times, and
/// every check of a stored window. Buckets are minutes; 1441 slots, so a minute counts until the
/// minute that reuses its slot (m + 1441) begins.
/// </summary>
public class DoseWindowEdgeTests
{
    [Fact]
    public void A_jump_of_1440_minutes_keeps_the_newer_bucket_and_drops_the_older()
    {
        var w = new DoseWindow();
        w.Add(0, 1);                 // minute 0, slot 0
        w.Add(100 * Minute, 10);     // minute 100, slot 100
        // Minute 1540: slots 101..1440 and 0..99 expire (minute 0's slot is reused at 1441); minute 100 stays.
        Assert.Equal(10, w.SumAt(1540 * Minute));
        // Minute 1541 reuses slot 100: empty.
        Assert.Equal(0, w.SumAt(1541 * Minute));
    }

    [Fact]
    public void A_jump_of_1441_minutes_or_more_clears_everything()
    {
        var w = new DoseWindow();
        w.Add(100 * Minute, 10);
        Assert.Equal(0, w.SumAt((100 + 1441) * Minute));
        w.Add((100 + 1441) * Minute, 4);
        Assert.Equal(4, w.SumAt((100 + 1441) * Minute));
        Assert.Equal(4, w.SumFemtograms);
    }

    [Fact]
    public void A_negative_time_counts_in_minute_zero()
    {
        var w = new DoseWindow();
        w.Add(-2 * Minute, 7);
        Assert.Equal(7, w.SumAt(0));
        Assert.Equal(7, w.SumAt(Day + Minute - 1));   // minute 0 counts until 24 h after its end
        Assert.Equal(0, w.SumAt(Day + Minute));
    }

    [Fact]
    public void An_earlier_time_never_moves_the_window_back()
    {
        var w = new DoseWindow();
        w.Add(10 * Minute, 5);
        Assert.Equal(5, w.SumAt(5 * Minute));
        w.Add(5 * Minute, 3);                          // charged to the current minute (10)
        Assert.Equal(8, w.SumAt(10 * Minute + Day + Minute - 1));
        Assert.Equal(0, w.SumAt(11 * Minute + Day));
    }

    [Fact]
    public void Clear_empties_every_bucket()
    {
        var w = new DoseWindow();
        w.Add(0, 3);
        w.Add(5 * Minute, 4);
        w.Clear();
        Assert.Equal(0, w.SumFemtograms);
        w.Add(6 * Minute, 1);
        // Had minute 5's bucket survived Clear, expiring it later would drive the sum negative.
        Assert.Equal(1, w.SumAt(5 * Minute + Day + Minute));
        Assert.Equal(0, w.SumAt(6 * Minute + Day + Minute));
    }

    private static byte[] Image(long minute, Func<int, long> bucket)
    {
        var writer = new StateWriter(new byte[8 + DoseWindow.Slots * 8]);
        writer.WriteLong(minute);
        for (int i = 0; i < DoseWindow.Slots; i++) writer.WriteLong(bucket(i));
        return writer.Buffer;
    }

    public static TheoryData<string, long, int, long> BadImages() => new()
    {
        // name, minute, slot, value in that slot (other slots 0)
        { "minute before -1", -2, 0, 0 },
        { "negative bucket", 10, 3, -1 },
        { "a bucket in a window that never started", -1, 7, 5 },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public void A_bad_stored_window_is_refused_and_changes_nothing(string name, long minute, int slot, long value)
    {
        var w = new DoseWindow();
        w.Add(3 * Minute, 42);
        var reader = new StateReader(Image(minute, i => i == slot ? value : 0), 0, 8 + DoseWindow.Slots * 8);
        Assert.False(w.Load(reader), name);
        Assert.True(reader.Failed, name);
        Assert.Equal(42, w.SumAt(3 * Minute));
    }

    [Fact]
    public void A_stored_window_whose_sum_overflows_is_refused()
    {
        var w = new DoseWindow();
        long half = long.MaxValue / 2 + 1;   // two of these overflow a long
        var reader = new StateReader(Image(5, i => i < 2 ? half : 0), 0, 8 + DoseWindow.Slots * 8);
        Assert.False(w.Load(reader));
        Assert.Equal(0, w.SumFemtograms);
    }

    [Fact]
    public void A_truncated_stored_window_is_refused()
    {
        var w = new DoseWindow();
        Assert.False(w.Load(new StateReader(Image(5, i => 1), 0, 8 + 100 * 8)));
        Assert.Equal(0, w.SumFemtograms);
    }

    [Fact]
    public void A_stored_window_loads_with_its_sum_and_minute()
    {
        var w = new DoseWindow();
        // Minute 5; slots 1..3 hold 10, 20, 30 fg (minutes 1..3).
        Assert.True(w.Load(new StateReader(Image(5, i => i >= 1 && i <= 3 ? 10L * i : 0), 0, 8 + DoseWindow.Slots * 8)));
        Assert.Equal(60, w.SumFemtograms);
        Assert.Equal(60, w.SumAt(5 * Minute));
        Assert.Equal(50, w.SumAt(1442 * Minute));   // minute 1 (slot 1) expires when minute 1442 begins
        Assert.Equal(0, w.SumAt(1444 * Minute));
        // An empty window (minute -1, all zero) is valid.
        var empty = new DoseWindow();
        Assert.True(empty.Load(new StateReader(Image(-1, i => 0), 0, 8 + DoseWindow.Slots * 8)));
        empty.Add(0, 9);
        Assert.Equal(9, empty.SumAt(0));
    }
}
