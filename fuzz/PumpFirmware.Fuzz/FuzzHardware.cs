using PumpFirmware.Hal;

namespace PumpFirmware.Fuzz;

/// <summary>Minimal deterministic fakes for one fuzz input: a serial link that hands the
/// firmware the bytes it was given and records every line written, and the
/// off-time clock and inputs; the clock, driver, steps, buzzer and watchdog are the shared
/// fakes of tests/Fakes/InstantHardware.cs.</summary>
internal sealed class FuzzLink : ISerialLink
{
    private byte[] _in = Array.Empty<byte>();
    private int _offset;
    private int _end;
    private readonly System.IO.MemoryStream _out = new();

    public void Feed(byte[] bytes, int offset, int count) { _in = bytes; _offset = offset; _end = offset + count; }

    public int Pending => _end - _offset;

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(count, _end - _offset);
        Array.Copy(_in, _offset, buffer, offset, n);
        _offset += n;
        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => _out.Write(buffer, offset, count);

    /// <summary>Every complete line written since the last call (LF-terminated, CR and LF stripped).
    /// A partial line at the end is a defect in itself: the firmware writes whole lines.</summary>
    public List<string> TakeLines()
    {
        string text = System.Text.Encoding.Latin1.GetString(_out.GetBuffer(), 0, (int)_out.Length);
        _out.SetLength(0);
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            int end = i > start && text[i - 1] == '\r' ? i - 1 : i;
            lines.Add(text.Substring(start, end - start));
            start = i + 1;
        }
        if (start != text.Length) throw new InvariantViolation("output ends in a partial line: " + text.Substring(start));
        return lines;
    }
}


internal sealed class FuzzOffClock : IOffTimeClock
{
    public bool TryReadSeconds(out long seconds) { seconds = 0; return false; }
}

internal sealed class FuzzInput : IDigitalInput { public bool IsAsserted { get; set; } }

/// <summary>A broken invariant: what the fuzzer reports as a crash.</summary>
public sealed class InvariantViolation : Exception
{
    public InvariantViolation(string message) : base(message) { }
}
