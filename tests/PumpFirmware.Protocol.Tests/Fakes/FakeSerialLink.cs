using System.Text;
using PumpFirmware.Hal;

namespace PumpFirmware.Protocol.Tests.Fakes;

/// <summary>A serial link whose received bytes are queued by the test and whose sent bytes are kept.</summary>
public sealed class FakeSerialLink : ISerialLink
{
    private readonly Queue<byte> _incoming = new();
    private readonly List<byte> _sent = new();

    /// <summary>At most this many bytes per Read call (to exercise arbitrary chunking).</summary>
    public int MaxChunk { get; set; } = int.MaxValue;

    public void Receive(string text) => Receive(Encoding.Latin1.GetBytes(text));

    public void Receive(byte[] bytes)
    {
        foreach (byte b in bytes) _incoming.Enqueue(b);
    }

    public int PendingIncoming => _incoming.Count;

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && n < MaxChunk && _incoming.Count > 0)
        {
            buffer[offset + n++] = _incoming.Dequeue();
        }
        return n;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++) _sent.Add(buffer[offset + i]);
    }

    /// <summary>Everything sent so far, as Latin-1 text.</summary>
    public string SentText => Encoding.Latin1.GetString(_sent.ToArray());

    /// <summary>Takes the complete lines sent so far (without LF) and forgets them.</summary>
    public List<string> TakeLines()
    {
        string text = SentText;
        int last = text.LastIndexOf('\n');
        var lines = new List<string>();
        if (last < 0) return lines;
        lines.AddRange(text.Substring(0, last).Split('\n'));
        _sent.RemoveRange(0, Encoding.Latin1.GetByteCount(text.Substring(0, last + 1)));
        return lines;
    }
}
