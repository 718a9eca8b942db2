// The fast store for crash tests: files are byte arrays, and the whole store can be cloned at
// any moment so that one run of a long scenario can branch into thousands of power cuts.
namespace PumpFirmware.Hal.Simulated;

/// <summary>A <see cref="FaultyRecordStore"/> in memory.</summary>
public sealed class MemoryRecordStore : FaultyRecordStore
{
    // A Dictionary, not a SortedDictionary: a file deleted and created again (the journal, after every snapshot) reuses
    // its entry, where a sorted one allocated a tree node each time. FileIds sorts.
    private readonly Dictionary<int, Buffer> _files = new();

    // A deleted file's buffer, kept for the next file of that id: the journal is deleted after every
    // snapshot and grows again, and regrowing it would allocate in steady state.
    private readonly Dictionary<int, Buffer> _spare = new();

    /// <inheritdoc/>
    public override IReadOnlyList<int> FileIds => _files.Keys.Order().ToList();

    /// <summary>A deep copy of the files (not the counters, not the fault state).</summary>
    public MemoryRecordStore Clone()
    {
        var copy = new MemoryRecordStore();
        foreach (var (id, data) in _files) copy._files[id] = data.Copy();
        return copy;
    }

    /// <summary>Total bytes stored across all files.</summary>
    public long StoredBytes => _files.Values.Sum(f => (long)f.Length);

    /// <summary>The length of a file, or -1.</summary>
    public int LengthOf(int fileId) => _files.TryGetValue(fileId, out var b) ? b.Length : -1;

    /// <inheritdoc/>
    public override byte[]? Load(int fileId) => _files.TryGetValue(fileId, out var data) ? data.Data.AsSpan(0, data.Length).ToArray() : null;

    /// <inheritdoc/>
    protected override void Store(int fileId, byte[] data, int length)
    {
        var buffer = Open(fileId);
        buffer.Length = 0;
        buffer.Append(data.AsSpan(0, length));
    }

    /// <inheritdoc/>
    protected override void AppendRaw(int fileId, ReadOnlySpan<byte> data)
    {
        Open(fileId).Append(data);
    }

    /// <inheritdoc/>
    protected override void DeleteRaw(int fileId)
    {
        if (_files.Remove(fileId, out var buffer)) _spare[fileId] = buffer;
    }

    private Buffer Open(int fileId)
    {
        if (_files.TryGetValue(fileId, out var buffer)) return buffer;
        if (_spare.Remove(fileId, out buffer)) buffer.Length = 0;
        else buffer = new Buffer();
        _files[fileId] = buffer;
        return buffer;
    }

    private sealed class Buffer
    {
        public byte[] Data = new byte[64];
        public int Length;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > Data.Length)
            {
                Array.Resize(ref Data, Math.Max(Data.Length * 2, Length + bytes.Length));
            }
            bytes.CopyTo(Data.AsSpan(Length));
            Length += bytes.Length;
        }

        public Buffer Copy()
        {
            var copy = new Buffer { Data = new byte[Math.Max(64, Length)], Length = Length };
            Data.AsSpan(0, Length).CopyTo(copy.Data);
            return copy;
        }
    }
}
