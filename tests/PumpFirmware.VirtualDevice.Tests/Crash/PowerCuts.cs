using System.Security.Cryptography;
using PumpFirmware.App;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Log;
using PumpFirmware.Storage;
using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Crash;

/// <summary>
/// One storage write about to happen, as the crash-point tests see it: where a power cut could leave it, and a copy of
/// the store cut there. A write or an append can keep any prefix of its bytes; a delete is either not done or done.
/// </summary>
internal readonly record struct PendingWrite(
    MemoryRecordStore Store, long Index, StoreWriteKind Kind, int FileId, byte[] Buffer, int Offset, int Count)
{
    /// <summary>The cuts tried where every write is cut: nothing, half and all of it (a delete: not done, done).</summary>
    public int[] EveryCut => Kind == StoreWriteKind.Delete ? [0, 1] : [0, Count / 2, Count];

    /// <summary>The cut tried where a write is only sampled: torn in the middle (a delete: not done, done).</summary>
    public int[] MiddleCut => Kind == StoreWriteKind.Delete ? [0, 1] : [Count / 2];

    /// <summary>Whether a cut keeping <paramref name="keep"/> lets the commit that starts at this write land whole
    /// (a delete is never a commit's first write).</summary>
    public bool Landed(int keep) => Kind == StoreWriteKind.Delete || keep == Count;

    /// <summary>A write of one of the event log's segment files (storage format 2). It is written before the snapshot that
    /// names it, so it starts no commit: a cut there, torn or with the segment whole and the snapshot never written,
    /// must restore the commit before.</summary>
    public bool IsLogSegment => Kind != StoreWriteKind.Delete && FileId >= PumpPersistence.FirstLogFileId;

    /// <summary>How a failed check names the cut.</summary>
    public string Where(int keep) => $"cut at write {Index} ({Kind}) keeping {keep} bytes";

    /// <summary>A copy of the store as a power loss at byte <paramref name="keep"/> of this write leaves it
    /// (for a delete, 0: not done, otherwise done). The store itself is untouched.</summary>
    public MemoryRecordStore CutAt(int keep)
    {
        MemoryRecordStore copy = Store.Clone();
        switch (Kind)
        {
            case StoreWriteKind.Write: copy.Write(FileId, Buffer, Offset, keep); break;
            case StoreWriteKind.Append: copy.Append(FileId, Buffer, Offset, keep); break;
            case StoreWriteKind.Delete: if (keep > 0) copy.Delete(FileId); break;
        }
        return copy;
    }
}

/// <summary>
/// The harness the crash-point tests share: watch a reference run's store, branch at its writes, boot a fresh virtual
/// pump on each cut copy, and compare what it restored with what the reference had committed.
/// </summary>
internal static class PowerCuts
{
    /// <summary>
    /// Calls <paramref name="branch"/> before every write to <paramref name="store"/>. The firmware reports a store
    /// that throws as a failed write (CRITICAL, the request rolled back), so a failed check must not travel up
    /// through the store, where it would be taken for a storage fault and lost: each one is caught and added to
    /// <paramref name="failures"/> (where the branch may add its own), which the test asserts empty once the reference
    /// run is over.
    /// </summary>
    public static void AtEveryWrite(MemoryRecordStore store, List<string> failures, Action<PendingWrite> branch)
    {
        store.BeforeWrite += (index, kind, fileId, buffer, offset, count) =>
        {
            try
            {
                branch(new PendingWrite(store, index, kind, fileId, buffer, offset, count));
            }
            catch (Exception e)
            {
                failures.Add($"write {index}: {e.Message}");
            }
        };
    }

    /// <summary>Asserts no cut failed, naming the first few in full (xUnit's Assert.Empty cuts each item short).</summary>
    public static void AssertNoFailures(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} cuts failed; the first:\n" + string.Join("\n", failures.Take(5)));

    /// <summary>Powers on a fresh virtual pump (on the store <paramref name="options"/> name); <paramref name="atRestore"/>
    /// sees the application just after the restore, before the boot changes anything.</summary>
    public static VirtualPump Boot(VirtualPumpOptions options, Action<VirtualPump, PumpApplication>? atRestore = null)
    {
        var pump = new VirtualPump(options);
        if (atRestore != null) pump.AfterRestore = app => atRestore(pump, app);
        pump.PowerOn();
        return pump;
    }

    /// <summary>A hash of the pump's whole state image and log, as a commit now would store them.</summary>
    public static byte[] Fingerprint(PumpApplication app)
    {
        var buffer = new byte[PumpApplication.MaxStateBytes + EventLog.MaxSavedBytes];
        var writer = new StateWriter(buffer);
        app.SaveState(writer);
        app.Log.Save(writer);
        Assert.False(writer.Overflow);
        return SHA256.HashData(buffer.AsSpan(0, writer.Position));
    }

    /// <summary>The same hash of what the store gave back: the image exactly as restored (re-saving it would stamp a new
    /// change time) and the log. Called from <see cref="Boot"/>'s atRestore.</summary>
    public static byte[] RestoredFingerprint(VirtualPump pump, PumpApplication app)
    {
        DurableState durable = pump.Persistence.Durable;
        var buffer = new byte[PumpApplication.MaxStateBytes + EventLog.MaxSavedBytes];
        durable.Image.AsSpan(0, durable.ImageLength).CopyTo(buffer);
        var logWriter = new StateWriter(new byte[EventLog.MaxSavedBytes]);
        app.Log.Save(logWriter);
        logWriter.Buffer.AsSpan(0, logWriter.Position).CopyTo(buffer.AsSpan(durable.ImageLength));
        return SHA256.HashData(buffer.AsSpan(0, durable.ImageLength + logWriter.Position));
    }
}

/// <summary>One commit of the reference run: the index of its first storage write, the hash of its image and log, and
/// whatever else the test compares after a restore (<see cref="Probe"/>).</summary>
internal sealed record Commit(long Index, byte[] Hash, string Probe);

/// <summary>
/// The commits a reference run made, in order, so that a boot from a cut store can be checked against the last one that
/// reached the store.
/// </summary>
internal sealed class CommitTrail
{
    private readonly List<Commit> _commits = new();

    /// <summary>Records the commit that the write <paramref name="write"/> starts (every write but a delete or a log
    /// segment's may be the first of one; a commit of several writes is recorded at each, and the last recorded before a cut is the one
    /// that counts).</summary>
    public void Record(PendingWrite write, PumpApplication app, string probe = "")
    {
        if (write.Kind != StoreWriteKind.Delete && !write.IsLogSegment) _commits.Add(new Commit(write.Index, PowerCuts.Fingerprint(app), probe));
    }

    /// <summary>The commit that is durable after a cut keeping <paramref name="keep"/> bytes of <paramref name="write"/>:
    /// the last one whose first write landed whole; null if none did (the first snapshot was cut).</summary>
    public Commit? Durable(PendingWrite write, int keep)
    {
        bool landed = write.Landed(keep);
        for (int i = _commits.Count - 1; i >= 0; i--)
        {
            Commit c = _commits[i];
            if (c.Index < write.Index || (c.Index == write.Index && landed)) return c;
        }
        return null;
    }

    /// <summary>
    /// Checks a pump booted from a cut store: with no durable commit it must not claim a restore; otherwise it restored,
    /// and its image and log (<paramref name="restored"/>, from <see cref="PowerCuts.RestoredFingerprint"/>) are exactly
    /// those of <paramref name="expected"/>. Returns whether there was a commit to compare.
    /// </summary>
    public static bool AssertRestored(Commit? expected, VirtualPump branch, byte[]? restored, string where)
    {
        if (expected == null)
        {
            Assert.True(branch.LastRestore != JournalOpenResult.Restored, where);
            return false;
        }
        Assert.True(branch.LastRestore == JournalOpenResult.Restored, $"{where}: {branch.LastRestore}");
        Assert.True(expected.Hash.AsSpan().SequenceEqual(restored), $"{where}: the restored image and log are not those of the last commit that landed");
        return true;
    }
}
