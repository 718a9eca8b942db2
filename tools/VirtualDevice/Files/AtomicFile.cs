// Output files appear whole or not at all: each is written under a temporary name in the
// same folder and renamed into place when complete (a rename within one file system is
// atomic), so a crash, a full disk or Ctrl+C never leaves a half-written trumpet.csv,
// summary.json, trace.txt or junit.xml that looks like a result. The temporary name keeps the
// extension, because some writers (the plot library) choose the format by it. The one
// implementation for pumpctl's outputs and the scenario runner's (`pumpctl simulate`).
namespace PumpFirmware.VirtualDevice.Files;

/// <summary>Writes files by temporary name and rename.</summary>
public static class AtomicFile
{
    /// <summary>A temporary path beside <paramref name="path"/>: <c>.name.1a2b3c.partial.ext</c>.</summary>
    public static string TemporaryPathFor(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string name = Path.GetFileNameWithoutExtension(path);
        return Path.Combine(dir, $".{name}.{Guid.NewGuid().ToString("N")[..6]}.partial{Path.GetExtension(path)}");
    }

    /// <summary>Lets <paramref name="write"/> write a temporary file, then renames it to <paramref name="path"/> (replacing it).
    /// When <paramref name="write"/> throws, the temporary file is removed and <paramref name="path"/> is untouched.</summary>
    public static void Write(string path, Action<string> write)
    {
        string temp = TemporaryPathFor(path);
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Lets <paramref name="write"/> fill a text writer (UTF-8, lines ended by <paramref name="newLine"/>),
    /// then renames; whole or not at all, as <see cref="Write"/>.</summary>
    public static void WriteText(string path, string newLine, Action<TextWriter> write) => Write(path, temp =>
    {
        using var writer = new StreamWriter(temp) { NewLine = newLine };
        write(writer);
    });

    /// <summary><see cref="File.WriteAllText(string, string?)"/>, whole or not at all.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));
}
