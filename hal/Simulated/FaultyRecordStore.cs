// Storage that fails the way flash fails. Every Write, Append and Delete is one numbered
// "storage write" (0, 1, 2, ...). A power cut can be armed at write K, byte N: that write
// persists only its first N bytes (a Write has already truncated the file, as littlefs or
// FAT without a journal would; an Append leaves N bytes of its record), and from then on the
// store is dead (every call is ignored and reads fail) until PowerOn(), which is what the
// firmware sees after a power loss. A Delete cut at N = 0 does not happen; at N > 0 it does.
// A single write can be made to fail instead (the store throws, nothing lands, the power stays
// on), as a flash driver reports a program error. Bits can be flipped in stored files
// (corruption). Two stores share this logic: in memory (fast, cloneable, for crash-point tests)
// and in a folder (the virtual device's --state).
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IRecordStore"/> with injectable power cuts and bit flips.</summary>
public abstract class FaultyRecordStore : IRecordStore
{
    private long _cutAtWrite = -1;
    private int _cutAtByte;
    private long _failAtWrite = -1;

    /// <summary>Number of storage writes (Write, Append, Delete) so far, cut or not.</summary>
    public long WriteCount { get; private set; }

    /// <summary>Total bytes written.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>True after an armed cut fired, until <see cref="PowerOn"/>.</summary>
    public bool IsDead { get; private set; }

    /// <summary>Called after an armed cut fired (the host stops the firmware there).</summary>
    public event Action? PowerCut;

    /// <summary>Called before each storage write is applied (crash-point tests branch here:
    /// clone the store, apply a prefix of this write to the clone, boot from it).</summary>
    public event StoreWriteObserver? BeforeWrite;

    /// <summary>Arms a power cut: write number <paramref name="writeIndex"/> (0-based, counted by
    /// <see cref="WriteCount"/>) keeps only its first <paramref name="keepBytes"/> bytes.</summary>
    public void ArmPowerCut(long writeIndex, int keepBytes)
    {
        if (writeIndex < WriteCount) throw new ArgumentOutOfRangeException(nameof(writeIndex), "that write already happened");
        if (keepBytes < 0) throw new ArgumentOutOfRangeException(nameof(keepBytes));
        _cutAtWrite = writeIndex;
        _cutAtByte = keepBytes;
    }

    /// <summary>Arms a write error: write number <paramref name="writeIndex"/> (0-based, counted by
    /// <see cref="WriteCount"/>) changes nothing and throws <see cref="IOException"/>, with the power on;
    /// the writes after it succeed. Models a flash program or erase error the driver reports (littlefs
    /// returns LFS_ERR_IO and keeps the file as it was). Replaces a failure armed before.</summary>
    public void ArmWriteFailure(long writeIndex)
    {
        if (writeIndex < WriteCount) throw new ArgumentOutOfRangeException(nameof(writeIndex), "that write already happened");
        _failAtWrite = writeIndex;
    }

    /// <summary>Storage writes that failed by <see cref="ArmWriteFailure"/> so far.</summary>
    public int WriteFailures { get; private set; }

    /// <summary>Cuts the power now (between writes): every further call is ignored until <see cref="PowerOn"/>.</summary>
    public void CutNow()
    {
        IsDead = true;
        _cutAtWrite = -1;
    }

    /// <summary>Power restored: the store works again; no cut is armed.</summary>
    public void PowerOn()
    {
        IsDead = false;
        _cutAtWrite = -1;
    }

    /// <summary>Flips one bit of a stored file (corruption). No-op when the file is shorter.</summary>
    public void FlipBit(int fileId, int byteOffset, int bit)
    {
        byte[]? data = Load(fileId);
        if (data == null || byteOffset >= data.Length) return;
        data[byteOffset] ^= (byte)(1 << (bit & 7));
        Store(fileId, data, data.Length);
    }

    /// <summary>The ids of the files that exist.</summary>
    public abstract IReadOnlyList<int> FileIds { get; }

    /// <summary>A copy of the file's bytes, or null when it does not exist.</summary>
    public abstract byte[]? Load(int fileId);

    /// <summary>Replaces the file with the first <paramref name="length"/> bytes of <paramref name="data"/> (no fault logic).</summary>
    protected abstract void Store(int fileId, byte[] data, int length);

    /// <summary>Appends bytes (no fault logic).</summary>
    protected abstract void AppendRaw(int fileId, ReadOnlySpan<byte> data);

    /// <summary>Deletes the file (no fault logic).</summary>
    protected abstract void DeleteRaw(int fileId);

    /// <inheritdoc/>
    public int Read(int fileId, byte[] buffer)
    {
        if (IsDead) return -1;
        byte[]? data = Load(fileId);
        if (data == null) return -1;
        Array.Copy(data, buffer, Math.Min(data.Length, buffer.Length));
        return data.Length;
    }

    /// <inheritdoc/>
    public void Write(int fileId, byte[] buffer, int offset, int count)
    {
        if (IsDead) return;
        FailIfArmed();
        BeforeWrite?.Invoke(WriteCount, StoreWriteKind.Write, fileId, buffer, offset, count);
        int keep = Admit(count);
        if (offset == 0)
        {
            Store(fileId, buffer, keep);
        }
        else
        {
            byte[] copy = new byte[keep];
            Array.Copy(buffer, offset, copy, 0, keep);
            Store(fileId, copy, keep);
        }
        BytesWritten += keep;
        AfterWrite();
    }

    /// <inheritdoc/>
    public void Append(int fileId, byte[] buffer, int offset, int count)
    {
        if (IsDead) return;
        FailIfArmed();
        BeforeWrite?.Invoke(WriteCount, StoreWriteKind.Append, fileId, buffer, offset, count);
        int keep = Admit(count);
        AppendRaw(fileId, buffer.AsSpan(offset, keep));
        BytesWritten += keep;
        AfterWrite();
    }

    /// <inheritdoc/>
    public void Delete(int fileId)
    {
        if (IsDead) return;
        FailIfArmed();
        BeforeWrite?.Invoke(WriteCount, StoreWriteKind.Delete, fileId, Array.Empty<byte>(), 0, 0);
        int keep = Admit(1);
        if (keep > 0) DeleteRaw(fileId);
        AfterWrite();
    }

    // A failing write is still a numbered write; it lands nothing and the store stays alive.
    private void FailIfArmed()
    {
        if (WriteCount != _failAtWrite) return;
        _failAtWrite = -1;
        WriteCount++;
        WriteFailures++;
        throw new IOException("simulated storage write error (write " + (WriteCount - 1) + ")");
    }

    private int Admit(int count)
    {
        long index = WriteCount++;
        if (index != _cutAtWrite) return count;
        IsDead = true;
        return Math.Min(_cutAtByte, count);
    }

    private void AfterWrite()
    {
        if (!IsDead) return;
        _cutAtWrite = -1;
        PowerCut?.Invoke();
    }
}
