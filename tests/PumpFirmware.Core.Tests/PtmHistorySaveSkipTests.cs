using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>The PTM history (up to 100 grant times in the controller's part of the image) steps over its bytes in the
/// storage journal's diff pass while it has not changed (SaveSkip, a change count that Add and Clear bump). The image and
/// the changed ranges must be exactly those of a pass that compares every byte, after every kind of change (grants that
/// fill and wrap the ring, a clear, a load), with the other writers, invalidations, resets and moved positions that must
/// stop a skip. A change that is not counted leaves the old bytes in the skipping image and fails here.</summary>
public sealed class PtmHistorySaveSkipTests
{
    private const int Buffer = 16 + 1 + PtmHistory.Capacity * 8 + 64;

    [Fact]
    public void Passes_that_skip_an_unchanged_history_store_the_same_bytes_and_ranges_as_passes_that_compare_it()
    {
        var random = new Random(31);
        int[] seen = new int[8];
        for (int trial = 0; trial < 40; trial++)
        {
            var history = new PtmHistory();
            var skipping = new DiffPassImage(Buffer, 256);
            var comparing = new DiffPassImage(Buffer, 256);
            long now = random.NextInt64(0, 1_000_000_000);
            int prefix = 3;
            for (int pass = 0; pass < 200; pass++)
            {
                int what = random.Next(8);
                seen[what]++;
                switch (what)
                {
                    case 0: // one grant, or a burst that fills and wraps the ring
                    case 1:
                        int grants = random.Next(3) == 0 ? random.Next(1, 60) : 1;
                        for (int i = 0; i < grants; i++)
                        {
                            now += random.NextInt64(1, 4 * 3_600_000_000L);
                            history.Add(now);
                        }
                        break;
                    case 2: // a clear (a factory start, a new program's history)
                        if (random.Next(3) == 0) history.Clear();
                        break;
                    case 3: // a rollback or a boot: loaded from an image another writer made, of other contents or the same
                        var other = new PtmHistory();
                        int count = random.Next(0, PtmHistory.Capacity + 1);
                        for (int i = 0; i < count; i++) other.Add(i * 1_000L + random.Next(1000));
                        var copy = new StateWriter(new byte[Buffer]);
                        (random.Next(2) == 0 ? other : history).Save(copy);
                        Assert.True(history.Load(new StateReader(copy.Buffer, 0, copy.Position)));
                        break;
                    case 4: // a field before it changed length
                        prefix = random.Next(0, 6);
                        break;
                    case 5: // the image was read from the store
                        skipping.Writer.Invalidate();
                        break;
                    case 6: // the journal's writer rewrote the image outside a diff pass (a forced snapshot), with other contents
                        skipping.Writer.Reset();
                        int garbage = random.Next(0, 40);
                        for (int i = 0; i < garbage; i++) skipping.Writer.WriteByte(random.Next(256));
                        history.Save(skipping.Writer);
                        Array.Copy(skipping.Bytes, comparing.Bytes, Buffer);
                        skipping.Length = comparing.Length = skipping.Writer.Position;
                        break;
                    default: // a pass into another buffer (a request's rollback copy) is not the journal's pass
                        history.Save(new StateWriter(new byte[Buffer]));
                        break;
                }

                // The comparing journal writes a copy, so that its passes are not the original's own passes.
                var full = new StateWriter(new byte[Buffer]);
                history.Save(full);
                var historyCopy = new PtmHistory();
                Assert.True(historyCopy.Load(new StateReader(full.Buffer, 0, full.Position)));
                comparing.Pass(prefix, false, historyCopy.Save);
                skipping.Pass(prefix, true, history.Save);
                skipping.AssertSameAs(comparing, $"trial {trial} pass {pass} after {what}");
            }
        }
        Assert.All(seen, n => Assert.True(n > 500));
    }

    [Fact]
    public void An_unchanged_history_is_stepped_over_and_a_grant_writes_it_again()
    {
        var history = new PtmHistory();
        for (int i = 0; i < 5; i++) history.Add(1_000_000L * (i + 1));
        var image = new DiffPassImage(Buffer, 64);
        image.Pass(0, true, history.Save);
        image.Pass(0, true, history.Save);
        Assert.Equal(0, image.Ranges);
        // Bytes the pass stepped over stay as they are: scribbling on them shows whether the history compared them.
        int last = 1 + 5 * 8 - 1;
        image.Bytes[last] = 0x5A;
        image.Pass(0, true, history.Save);
        Assert.Equal(0, image.Ranges);
        Assert.Equal(0x5A, image.Bytes[last]);
        history.Add(9_000_000L);
        image.Pass(0, true, history.Save);
        Assert.Equal(0, image.Bytes[last]); // written again: the scribble is gone
        Assert.Equal(1 + 6 * 8, image.Length);
    }
}
