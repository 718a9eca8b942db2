using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>The drug library (section 3) and the titration history (section 4) step over their bytes in the storage
/// journal's diff pass while they have not changed (SaveSkip, a change count each mutating method bumps). The image and
/// the changed ranges must be exactly those of a pass that compares every byte, after every kind of change: each public
/// method that changes what they save is called between passes, with the other writers, invalidations, resets and moved
/// positions that must stop a skip. A mutating method that forgot to count its change leaves the old bytes in the
/// skipping image and fails here.</summary>
public sealed class SectionSaveSkipTests
{
    private const int Buffer = 16 + DrugLibrary.SectionLength + TitrationHistory.SectionLength + 64;

    [Fact]
    public void Passes_that_skip_unchanged_sections_store_the_same_bytes_and_ranges_as_passes_that_compare_them_all()
    {
        var random = new Random(23);
        string[] names = { "baclofen", "morphine", "ziconotide", "clonidine", "bupivacaine", "a", "b-2", "c_3", "d", "e", "f" };
        var limits = new DrugLimits();
        int[] seen = new int[9];
        for (int trial = 0; trial < 40; trial++)
        {
            var library = new DrugLibrary();
            var history = new TitrationHistory();
            var skipping = new DiffPassImage(Buffer, 512);
            var comparing = new DiffPassImage(Buffer, 512);
            long now = 0;
            int prefix = 3;
            for (int pass = 0; pass < 200; pass++)
            {
                int what = random.Next(9);
                seen[what]++;
                switch (what)
                {
                    case 0: // LIB:SET, in range or not (a refused one changes nothing)
                        string name = names[random.Next(names.Length)];
                        limits.Set(name, DrugLibrary.SourcePump, Pick(random, 1, Prescription.MaxConcNgPerMl + 1),
                            Pick(random, 1, 1_000_000_000), Pick(random, 0, 1_000_000_000),
                            (int)Pick(random, 0, DrugLimits.MaxIncreasesPer7d + (random.Next(20) == 0 ? 5 : 0)), Pick(random, 0, 1_000_000_000));
                        library.Set(limits);
                        break;
                    case 1: // LIB:CLEAR, of an entry or of none
                        library.Clear(names[random.Next(names.Length)]);
                        break;
                    case 2: // a committed titration (a week may pass first, so that records expire; twelve fill the ring)
                        if (random.Next(4) == 0) now += random.NextInt64(0, 8 * 86_400_000_000L);
                        now += random.NextInt64(0, 86_400_000_000L);
                        long increase = random.Next(2) == 0 ? 0 : random.NextInt64(1, 10_000_000);
                        history.Add(now, 1_767_225_600 + now / 1_000_000, random.Next(3), random.NextInt64(0, 100_000_000), increase);
                        break;
                    case 3: // a rollback or a boot: both loaded from an image another writer made of other contents
                        var otherLibrary = new DrugLibrary();
                        var otherHistory = new TitrationHistory();
                        limits.Set(names[random.Next(names.Length)], DrugLibrary.SourcePump, 5, 6, 7, 1, 8);
                        otherLibrary.Set(limits);
                        otherHistory.Add(random.NextInt64(0, 1_000_000), 1, 2, 3, 4);
                        var copy = new StateWriter(new byte[Buffer]);
                        (random.Next(2) == 0 ? otherLibrary : library).SaveSection(copy);
                        int split = copy.Position;
                        (random.Next(2) == 0 ? otherHistory : history).SaveSection(copy);
                        Assert.True(library.LoadSection(new StateReader(copy.Buffer, 0, split), split));
                        Assert.True(history.LoadSection(new StateReader(copy.Buffer, split, copy.Position - split), copy.Position - split));
                        break;
                    case 4: // a factory start, or an image without the sections
                        if (random.Next(2) == 0) library.ClearSection();
                        else history.ClearSection();
                        break;
                    case 5: // a field before them changed length
                        prefix = random.Next(0, 6);
                        break;
                    case 6: // the image was read from the store
                        skipping.Writer.Invalidate();
                        break;
                    case 7: // the journal's writer rewrote the image outside a diff pass (a forced snapshot), with other contents
                        skipping.Writer.Reset();
                        int garbage = random.Next(0, 40);
                        for (int i = 0; i < garbage; i++) skipping.Writer.WriteByte(random.Next(256));
                        library.SaveSection(skipping.Writer);
                        history.SaveSection(skipping.Writer);
                        // The next passes compare with that image (it is what the snapshot stored), in both journals.
                        Array.Copy(skipping.Bytes, comparing.Bytes, Buffer);
                        skipping.Length = comparing.Length = skipping.Writer.Position;
                        break;
                    default: // a pass into another buffer (a request's rollback copy) is not the journal's pass
                        var other = new StateWriter(new byte[Buffer]);
                        library.SaveSection(other);
                        history.SaveSection(other);
                        break;
                }

                // The comparing journal writes copies, so that its passes are not the originals' own passes.
                var full = new StateWriter(new byte[Buffer]);
                library.SaveSection(full);
                int at = full.Position;
                history.SaveSection(full);
                var libraryCopy = new DrugLibrary();
                var historyCopy = new TitrationHistory();
                Assert.True(libraryCopy.LoadSection(new StateReader(full.Buffer, 0, at), at));
                Assert.True(historyCopy.LoadSection(new StateReader(full.Buffer, at, full.Position - at), full.Position - at));
                comparing.Pass(prefix, false, w => { libraryCopy.SaveSection(w); historyCopy.SaveSection(w); });
                skipping.Pass(prefix, true, w => { library.SaveSection(w); history.SaveSection(w); });
                skipping.AssertSameAs(comparing, $"trial {trial} pass {pass} after {what}");
            }
        }
        Assert.All(seen, n => Assert.True(n > 100));
    }

    [Fact]
    public void An_unchanged_section_is_stepped_over_and_a_changed_one_is_written()
    {
        var library = new DrugLibrary();
        var image = new DiffPassImage(Buffer, 64);
        image.Pass(0, true, library.SaveSection);
        image.Pass(0, true, library.SaveSection);
        Assert.Equal(0, image.Ranges);
        // Bytes the pass stepped over stay as they are: scribbling on them shows whether the section compared them.
        int last = DrugLibrary.SectionLength - 1;
        image.Bytes[last] = 0x5A;
        image.Pass(0, true, library.SaveSection);
        Assert.Equal(0, image.Ranges);
        Assert.Equal(0x5A, image.Bytes[last]);
        var limits = new DrugLimits();
        limits.Set("clonidine", DrugLibrary.SourcePump, 1000, 2000, 300, 2, 400);
        Assert.Null(library.Set(limits));
        image.Pass(0, true, library.SaveSection);
        Assert.Equal(0, image.Bytes[last]); // written again: the scribble is gone
        Assert.Equal(last + 1, image.Ends[image.Ranges - 1]);
    }

    private static long Pick(Random random, long min, long maxExclusive)
    {
        return random.Next(6) == 0 ? DrugLibrary.NotLimited : random.NextInt64(min, maxExclusive);
    }
}
