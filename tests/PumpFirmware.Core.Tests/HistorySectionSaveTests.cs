using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>The refill and daily histories step over what did not change in the storage journal's diff passes (as the
/// 24 h window does): the image and the changed ranges must be exactly those of a pass that compares every byte, whatever
/// happened between passes (new days, clock changes, refills, loads, other writers, a moved position).</summary>
public sealed class HistorySectionSaveTests
{
    private const int Buffer = 16 + DailyHistory.SizeBytes + RefillCheck.SizeBytes + 64;

    [Fact]
    public void Passes_that_skip_unchanged_rows_store_the_same_bytes_and_ranges_as_passes_that_compare_them_all()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 30; trial++)
        {
            var clock = new WallClock();
            var days = new DailyHistory(clock);
            var refills = new RefillCheck();
            var skipping = new DiffPassImage(Buffer, 512);
            var comparing = new DiffPassImage(Buffer, 512);
            long now = 0;
            long offset = 0;
            int prefix = 3;
            for (int pass = 0; pass < 300; pass++)
            {
                int what = random.Next(100);
                if (what < 5) now += random.NextInt64(0, 3 * 86_400_000_000L);               // a day or more passes
                else if (what < 8)
                {
                    offset = random.NextInt64(-2 * 86_400_000_000L, 2 * 86_400_000_000L) + 1_767_225_600_000_000L;
                    clock.Restore(true, offset);                                               // TIME, either way
                }
                else if (what < 11) refills.Record(now / 1_000_000, 20_000_000, random.Next(0, 20_000_000), random.Next(-1, 20_000_000));
                else if (what < 13) refills.SetGapAlarm(random.Next(0, 1_000_000));
                else if (what < 16)
                {
                    // A rollback: both put back from an image of another writer.
                    var copy = new StateWriter(new byte[Buffer]);
                    days.SaveSection(copy);
                    int split = copy.Position;
                    refills.SaveSection(copy);
                    Assert.True(days.LoadSection(new StateReader(copy.Buffer, 0, split), split));
                    Assert.True(refills.LoadSection(new StateReader(copy.Buffer, split, copy.Position - split), copy.Position - split));
                }
                else if (what < 18) prefix = random.Next(0, 6);
                else if (what < 20) skipping.Writer.Invalidate();
                else if (what < 21) { days.ClearSection(); refills.ClearSection(); }
                days.SetShare(random.Next(DailyHistory.Kinds), random.Next(3) == 0 ? random.Next(DailyHistory.Kinds) : -1, 3, 1);
                for (int k = random.Next(0, 30); k > 0; k--)
                {
                    now += random.NextInt64(0, 600_000_000);
                    days.AddStep(now, random.NextInt64(1, 20_000_000));
                }
                if (random.Next(10) == 0)
                {
                    // A pass into another buffer (a request's rollback copy) is not the journal's pass.
                    var other = new StateWriter(new byte[Buffer]);
                    days.SaveSection(other);
                    refills.SaveSection(other);
                }
                // The comparing journal writes copies, so that its passes are not the originals' own passes.
                var copy2 = new StateWriter(new byte[Buffer]);
                days.SaveSection(copy2);
                int at = copy2.Position;
                refills.SaveSection(copy2);
                var daysCopy = new DailyHistory(new WallClock());
                var refillsCopy = new RefillCheck();
                Assert.True(daysCopy.LoadSection(new StateReader(copy2.Buffer, 0, at), at));
                Assert.True(refillsCopy.LoadSection(new StateReader(copy2.Buffer, at, copy2.Position - at), copy2.Position - at));
                comparing.Pass(prefix, false, w => { daysCopy.SaveSection(w); refillsCopy.SaveSection(w); });
                skipping.Pass(prefix, true, w => { days.SaveSection(w); refills.SaveSection(w); });
                skipping.AssertSameAs(comparing, $"trial {trial} pass {pass}");
            }
        }
    }
}
