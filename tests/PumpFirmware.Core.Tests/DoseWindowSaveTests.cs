using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>The window writes only what changed in the storage journal's passes: the image and the changed ranges must
/// be exactly those of a pass that compares every byte, whatever happened between passes.</summary>
public sealed class DoseWindowSaveTests
{
    private const int Buffer = 16 + DoseWindow.Slots * 8 + 64;

    [Fact]
    public void Passes_that_skip_unchanged_buckets_store_the_same_bytes_and_ranges_as_passes_that_compare_them_all()
    {
        var random = new Random(13);
        for (int trial = 0; trial < 40; trial++)
        {
            var window = new DoseWindow();
            var skipping = new DiffPassImage(Buffer, 256);
            var comparing = new DiffPassImage(Buffer, 256);
            long now = random.NextInt64(0, 10_000) * DoseWindow.BucketMicros;
            int prefix = 3;
            for (int pass = 0; pass < 400; pass++)
            {
                int what = random.Next(100);
                if (what < 55) now += random.NextInt64(0, 5 * DoseWindow.BucketMicros); // a few minutes
                else if (what < 60) now += random.NextInt64(0, 2 * 1441 * DoseWindow.BucketMicros); // up to two days
                else if (what < 63) window.Clear();
                else if (what < 66)
                {
                    // A rollback: the window put back from an image of another writer.
                    var copy = new StateWriter(new byte[Buffer]);
                    window.Save(copy);
                    Assert.True(window.Load(new StateReader(copy.Buffer, 0, copy.Position)));
                }
                else if (what < 69) prefix = random.Next(0, 6); // a field before the window changed length
                else if (what < 72) skipping.Writer.Invalidate(); // the image was read back from the store
                for (int k = random.Next(0, 40); k > 0; k--)
                {
                    now += random.NextInt64(0, DoseWindow.BucketMicros / 4);
                    window.Add(now, random.NextInt64(1, 1_000_000));
                }
                if (random.Next(10) == 0)
                {
                    // A pass into another buffer (a request's rollback copy) must not count as the journal's pass.
                    var other = new StateWriter(new byte[Buffer]);
                    window.Save(other);
                }
                var before = (byte[])skipping.Bytes.Clone();
                comparing.Pass(prefix, false, window.Save);
                skipping.Pass(prefix, true, window.Save);
                skipping.AssertSameAs(comparing, $"trial {trial} pass {pass}");
                // The ranges rebuild the new image from the old one (what a journal replay does).
                for (int r = 0; r < skipping.Ranges; r++)
                {
                    Array.Copy(skipping.Bytes, skipping.Starts[r], before, skipping.Starts[r], skipping.Ends[r] - skipping.Starts[r]);
                }
                Assert.True(before.AsSpan(0, skipping.Length).SequenceEqual(skipping.Bytes.AsSpan(0, skipping.Length)));
            }
        }
    }

    [Fact]
    public void A_pass_that_continues_the_last_one_steps_over_the_buckets_that_did_not_change()
    {
        var window = new DoseWindow();
        window.Add(5 * DoseWindow.BucketMicros, 42);
        var image = new DiffPassImage(Buffer, 256);
        image.Pass(0, true, window.Save);
        // Mark a bucket's bytes in the buffer that nobody changed since: a skipping pass leaves them alone, a
        // comparing pass restores them. (The journal's buffer is only ever written by its passes.)
        int untouched = 8 + 100 * 8;
        image.Bytes[untouched] = 0x5A;
        window.Add(6 * DoseWindow.BucketMicros, 43);
        image.Pass(0, true, window.Save);
        Assert.Equal(0x5A, image.Bytes[untouched]);
        Assert.Equal(2, image.Ranges); // the current minute (5 to 6) and slot 6
        image.Pass(0, false, window.Save);
        Assert.Equal(0, image.Bytes[untouched]);
    }

    [Fact]
    public void A_writer_that_does_not_allow_skipping_gets_every_bucket()
    {
        var window = new DoseWindow();
        window.Add(5 * DoseWindow.BucketMicros, 42);
        var image = new DiffPassImage(Buffer, 256);
        image.Pass(0, true, window.Save);
        window.Add(6 * DoseWindow.BucketMicros, 43);
        // The same buffer, but a compare pass (a request's check) and a plain write: neither may skip.
        var writer = new StateWriter(image.Bytes);
        writer.BeginCompare(image.Length);
        window.Save(writer);
        Assert.True(writer.EndCompare());
        Assert.False(writer.CanSkipTo(8));
    }
}
