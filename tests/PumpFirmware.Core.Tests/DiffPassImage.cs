using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>One storage "journal" for the save-skipping tests: a buffer rewritten in place by diff passes, each pass a
/// variable-length prefix (a field before the part under test that changed length) then what the test saves.</summary>
internal sealed class DiffPassImage
{
    public const int MergeGap = 6;

    public readonly byte[] Bytes;
    public readonly StateWriter Writer;
    public readonly int[] Starts;
    public readonly int[] Ends;
    public int Length;
    public int Ranges;

    public DiffPassImage(int bufferBytes, int maxRanges)
    {
        Bytes = new byte[bufferBytes];
        Writer = new StateWriter(Bytes);
        Starts = new int[maxRanges];
        Ends = new int[maxRanges];
    }

    /// <summary>One journal pass: <paramref name="prefix"/> bytes of 7, then <paramref name="save"/>.</summary>
    public void Pass(int prefix, bool allowSkip, Action<StateWriter> save)
    {
        Writer.BeginDiff(Length, Starts, Ends, MergeGap, allowSkip);
        for (int i = 0; i < prefix; i++) Writer.WriteByte(7);
        save(Writer);
        Ranges = Writer.EndDiff();
        Length = Writer.Position;
    }

    /// <summary>Asserts this image and its changed ranges are exactly <paramref name="expected"/>'s.</summary>
    public void AssertSameAs(DiffPassImage expected, string where)
    {
        Assert.Equal(expected.Length, Length);
        Assert.True(expected.Bytes.AsSpan(0, expected.Length).SequenceEqual(Bytes.AsSpan(0, Length)), where + ": images differ");
        Assert.Equal(expected.Ranges, Ranges);
        for (int r = 0; r < expected.Ranges; r++)
        {
            Assert.Equal(expected.Starts[r], Starts[r]);
            Assert.Equal(expected.Ends[r], Ends[r]);
        }
    }
}
