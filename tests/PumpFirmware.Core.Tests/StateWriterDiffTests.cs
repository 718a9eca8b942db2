using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>A diff pass (the storage journal's) writes a new image over the old one and records the changed byte ranges;
/// a compare pass only says whether anything differs. Both must give exactly what comparing the two images a byte at a
/// time gives (changed bytes closer than the merge gap in one range), whatever the mix of field widths, fields that
/// change in some of their bytes only, arrays and narrow fields written in one call, and images that grow or shrink.</summary>
public sealed class StateWriterDiffTests
{
    private const int Gap = 6;

    [Fact]
    public void Diff_and_compare_passes_record_what_a_byte_by_byte_comparison_finds()
    {
        var random = new Random(71);
        for (int trial = 0; trial < 3000; trial++)
        {
            // The fields of one image, written the same way by the plain writer and by the diff pass.
            int fields = random.Next(0, 40);
            int[] kinds = new int[fields];
            long[] values = new long[fields];
            long[][] arrays = new long[fields][];
            byte[] old = new byte[512];
            random.NextBytes(old);
            int oldLength = random.Next(0, 300);
            var plain = new StateWriter(new byte[512]);
            for (int f = 0; f < fields; f++)
            {
                kinds[f] = random.Next(7);
                if (kinds[f] == 5)
                {
                    // An array of longs in one call (the 24 h window's buckets), at any offset into it.
                    arrays[f] = new long[random.Next(0, 7)];
                    int from = random.Next(0, arrays[f].Length + 1);
                    for (int i = 0; i < arrays[f].Length; i++) arrays[f][i] = Value(random, old, plain.Position + 8 * (i - from), 4);
                    values[f] = from;
                }
                else
                {
                    values[f] = Value(random, old, plain.Position, kinds[f]);
                }
                Write(plain, kinds[f], values[f], arrays[f]);
            }
            byte[] expected = plain.Buffer;
            int newLength = plain.Position;

            // Compare: differs exactly when a byte or the length differs.
            byte[] compared = (byte[])old.Clone();
            var compare = new StateWriter(compared);
            compare.BeginCompare(oldLength);
            for (int f = 0; f < fields; f++) Write(compare, kinds[f], values[f], arrays[f]);
            bool differs = newLength != oldLength || !expected.AsSpan(0, newLength).SequenceEqual(old.AsSpan(0, newLength));
            Assert.Equal(differs, compare.EndCompare());
            Assert.Equal(newLength, compare.Position);
            Assert.True(old.AsSpan().SequenceEqual(compared), "a compare pass wrote into the buffer");

            // Diff: the new image in place, and the ranges of a byte-by-byte comparison.
            byte[] image = (byte[])old.Clone();
            var diff = new StateWriter(image);
            int[] starts = new int[256];
            int[] ends = new int[256];
            diff.BeginDiff(oldLength, starts, ends, Gap);
            for (int f = 0; f < fields; f++) Write(diff, kinds[f], values[f], arrays[f]);
            int ranges = diff.EndDiff();
            Assert.Equal(newLength, diff.Position);
            Assert.Equal(plain.Overflow, diff.Overflow);
            Assert.Equal(plain.Overflow, compare.Overflow);
            Assert.True(expected.AsSpan(0, newLength).SequenceEqual(image.AsSpan(0, newLength)), $"trial {trial}: image");
            var (expectedStarts, expectedEnds) = ByteByByte(old, oldLength, expected, newLength);
            Assert.Equal(expectedStarts.Count, ranges);
            for (int r = 0; r < ranges; r++)
            {
                Assert.Equal(expectedStarts[r], starts[r]);
                Assert.Equal(expectedEnds[r], ends[r]);
            }
        }
    }

    // A field value that equals the old bytes where it lands in some of its bytes, in all, or in none.
    private static long Value(Random random, byte[] old, int at, int kind)
    {
        int width = kind switch { 0 or 1 => 1, 2 => 4, _ => 8 };
        long value = 0;
        for (int i = 0; i < width; i++)
        {
            int b = at + i >= 0 && at + i < old.Length && random.Next(3) > 0 ? old[at + i] : random.Next(256);
            value |= (long)b << (8 * i);
        }
        if (kind == 1) value = random.Next(2);
        return width == 4 ? (int)value : value;
    }

    private static void Write(StateWriter writer, int kind, long value, long[]? array)
    {
        switch (kind)
        {
            case 6: writer.WriteLowBytes(value, 1 + (int)((ulong)value % 8)); break;
            case 5: writer.WriteLongs(array!, (int)value, array!.Length - (int)value); break;
            case 0: writer.WriteByte((int)value); break;
            case 1: writer.WriteBool(value != 0); break;
            case 2: writer.WriteInt((int)value); break;
            default: writer.WriteLong(value); break;
        }
    }

    private static (List<int>, List<int>) ByteByByte(byte[] old, int oldLength, byte[] image, int length)
    {
        var starts = new List<int>();
        var ends = new List<int>();
        int last = -1;
        for (int p = 0; p < length; p++)
        {
            if (p < oldLength && old[p] == image[p]) continue;
            if (starts.Count > 0 && last >= 0 && p - last <= Gap) ends[^1] = p + 1;
            else { starts.Add(p); ends.Add(p + 1); }
            last = p;
        }
        return (starts, ends);
    }
}
