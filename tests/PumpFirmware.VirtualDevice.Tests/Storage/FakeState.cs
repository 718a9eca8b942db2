using PumpFirmware.Storage;

namespace PumpFirmware.VirtualDevice.Tests.Storage;

/// <summary>A state image of N longs (a stand-in for the pump's state in storage tests).</summary>
internal sealed class FakeState : IPersistentState
{
    public long[] Values;

    public FakeState(int count) => Values = new long[count];

    public void SaveState(StateWriter writer)
    {
        writer.WriteInt(Values.Length);
        foreach (long v in Values) writer.WriteLong(v);
    }

    public bool LoadState(StateReader reader)
    {
        int n = reader.ReadInt();
        if (reader.Failed || n < 0 || n > 100_000) { reader.Fail(); return false; }
        var values = new long[n];
        for (int i = 0; i < n; i++) values[i] = reader.ReadLong();
        if (reader.Failed) return false;
        Values = values;
        return true;
    }
}

/// <summary>An append-only log of (seq, value) with a ring of <see cref="Capacity"/>.</summary>
internal sealed class FakeLog : IAppendOnlyState
{
    public const int Capacity = 50;
    public readonly SortedDictionary<long, long> Records = new();

    public long NextSeq { get; private set; } = 1;
    public long OldestSeq => Records.Count == 0 ? NextSeq : Records.Keys.First();

    public void Add(long value)
    {
        Records[NextSeq++] = value;
        if (Records.Count > Capacity) Records.Remove(Records.Keys.First());
    }

    public void Save(StateWriter writer)
    {
        writer.WriteLong(NextSeq);
        writer.WriteInt(Records.Count);
        foreach (var (seq, value) in Records) { writer.WriteLong(seq); writer.WriteLong(value); }
    }

    public bool Load(StateReader reader)
    {
        long next = reader.ReadLong();
        int count = reader.ReadInt();
        if (reader.Failed || count < 0 || count > Capacity) return false;
        Records.Clear();
        for (int i = 0; i < count; i++) Records[reader.ReadLong()] = reader.ReadLong();
        NextSeq = next;
        return !reader.Failed;
    }

    public void WriteRecord(long seq, StateWriter writer)
    {
        writer.WriteLong(seq);
        writer.WriteLong(Records[seq]);
    }

    public void WriteRecordBody(long seq, StateWriter writer) => writer.WriteLong(Records[seq]);

    public bool AppendRecordBody(StateReader reader)
    {
        long value = reader.ReadLong();
        if (reader.Failed) return false;
        Add(value);
        return true;
    }

    public void Restart(long nextSeq)
    {
        Records.Clear();
        NextSeq = nextSeq;
    }

    /// <summary>Bytes of one record body in a log segment.</summary>
    public const int RecordBytes = 8;

    public bool ReadRecord(StateReader reader)
    {
        long seq = reader.ReadLong();
        long value = reader.ReadLong();
        if (reader.Failed) return false;
        if (seq < NextSeq) return true;
        Records[seq] = value;
        NextSeq = seq + 1;
        if (Records.Count > Capacity) Records.Remove(Records.Keys.First());
        return true;
    }
}
