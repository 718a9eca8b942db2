// Outputs are written to a temporary file beside the target and renamed over it, so a reader
// (or a crash, or a full disk) never sees half a file: the old file or the new one, whole.
namespace PumpCtl.Analysis;

/// <summary>Atomic file writes (temp file + rename).</summary>
public static class AtomicFile
{
    /// <summary>Lets <paramref name="write"/> fill a temporary path, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        // Same folder (a rename never crosses file systems), same extension (writers that look at it).
        string temp = Path.Combine(dir, "." + Path.GetFileNameWithoutExtension(path) + ".tmp-" + Guid.NewGuid().ToString("N")[..8] + Path.GetExtension(path));
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));
}
