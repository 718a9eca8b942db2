// The virtual device's --state folder: file N is `record-N.bin`. Writes go straight to the
// file (truncate, then write), deliberately NOT write-then-rename: the firmware must be
// correct on a store that can be left holding a half-written file, so the simulator must not
// hide that. (littlefs on the ESP32 is in fact atomic per file; the journal does not rely on it.)
namespace PumpFirmware.Hal.Simulated;

/// <summary>A <see cref="FaultyRecordStore"/> in a folder.</summary>
public sealed class FolderRecordStore : FaultyRecordStore
{
    /// <summary>Uses (and creates) <paramref name="folder"/>.</summary>
    public FolderRecordStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Folder { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<int> FileIds => Directory.GetFiles(Folder, "record-*.bin")
        .Select(p => Path.GetFileNameWithoutExtension(p)["record-".Length..])
        .Select(s => int.TryParse(s, out int id) ? id : -1)
        .Where(id => id >= 0).OrderBy(id => id).ToList();

    private string PathOf(int fileId) => Path.Combine(Folder, $"record-{fileId}.bin");

    /// <inheritdoc/>
    public override byte[]? Load(int fileId)
    {
        string path = PathOf(fileId);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <inheritdoc/>
    protected override void Store(int fileId, byte[] data, int length)
    {
        using var stream = new FileStream(PathOf(fileId), FileMode.Create, FileAccess.Write, FileShare.Read);
        stream.Write(data, 0, length);
    }

    /// <inheritdoc/>
    protected override void AppendRaw(int fileId, ReadOnlySpan<byte> data)
    {
        using var stream = new FileStream(PathOf(fileId), FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(data);
    }

    /// <inheritdoc/>
    protected override void DeleteRaw(int fileId) => File.Delete(PathOf(fileId));
}
