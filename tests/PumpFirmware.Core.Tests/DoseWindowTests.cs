using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

public class DoseWindowTests
{
    [Theory]
    // A step at 00:00:30 lands in minute 0, which counts until its end (00:01:00) is 24 h old.
    [InlineData(30 * Second, true)]
    [InlineData(Day, true)]                       // 24 h after the minute's start
    [InlineData(Day + Minute - 1, true)]          // last µs before the minute's end is 24 h old
    [InlineData(Day + Minute, false)]             // gone
    [InlineData(2 * Day, false)]
    public void A_bucket_counts_until_its_end_is_24_h_old(long at, bool counted)
    {
        var w = new DoseWindow();
        w.Add(30 * Second, 1_000);
        Assert.Equal(counted ? 1_000 : 0, w.SumAt(at));
    }

    [Fact]
    public void Sum_is_never_less_than_any_true_rolling_24_h()
    {
        // Adds at random times; for every later instant, the window holds at least the drug of (t - 24 h, t].
        var rnd = new Random(7);
        var w = new DoseWindow();
        var log = new List<(long T, long Fg)>();
        long t = 0;
        for (int i = 0; i < 1500; i++)
        {
            t += rnd.NextInt64(0, 20 * Minute);
            long fg = rnd.NextInt64(1, 1000);
            w.Add(t, fg);
            log.Add((t, fg));
            long truth = log.Where(e => e.T > t - Day).Sum(e => e.Fg);
            long sum = w.SumAt(t);
            Assert.True(sum >= truth);
            // And it never keeps anything older than 24 h plus one minute.
            Assert.True(sum <= log.Where(e => e.T >= t - Day - Minute).Sum(e => e.Fg));
        }
    }

    [Fact]
    public void Save_and_load_round_trip()
    {
        var w = new DoseWindow();
        for (int i = 0; i < 3000; i++) w.Add(i * 37 * Second, i);
        var writer = new StateWriter(new byte[DoseWindow.Slots * 8 + 16]);
        w.Save(writer);
        Assert.False(writer.Overflow);
        var back = new DoseWindow();
        Assert.True(back.Load(new StateReader(writer.Buffer, 0, writer.Position)));
        long t = 3000 * 37 * Second;
        Assert.Equal(w.SumAt(t), back.SumAt(t));
        Assert.Equal(w.SumAt(t + 5 * Hour), back.SumAt(t + 5 * Hour));
    }
}
