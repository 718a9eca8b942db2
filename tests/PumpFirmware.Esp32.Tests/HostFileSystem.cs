using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Esp32.Tests;

/// <summary>IFileSystem on a host folder, with the same rules as the ESP32 one (rename refuses an existing target).</summary>
internal sealed class HostFileSystem : IFileSystem
{
    public bool Exists(string path) => File.Exists(path);

    public int ReadAll(string path, byte[] buffer)
    {
        if (!File.Exists(path))
        {
            return -1;
        }

        var bytes = File.ReadAllBytes(path);
        Array.Copy(bytes, buffer, Math.Min(bytes.Length, buffer.Length));
        return bytes.Length;
    }

    public void WriteNew(string path, byte[] buffer, int offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Create);
        stream.Write(buffer, offset, count);
        stream.Flush(flushToDisk: true);
    }

    public void Append(string path, byte[] buffer, int offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Append);
        stream.Write(buffer, offset, count);
        stream.Flush(flushToDisk: true);
    }

    public void Delete(string path) => File.Delete(path);

    public void Rename(string fromPath, string toPath) => File.Move(fromPath, toPath, overwrite: false);
}

/// <summary>A power cut after a given number of file operations; the cut operation may leave a partial write.</summary>
internal sealed class PowerCutFileSystem(IFileSystem inner, int operationsBeforeCut, int partialBytes) : IFileSystem
{
    private int _operations;

    public sealed class PowerCut : Exception;

    /// <summary>File operations that changed the medium so far (reads are not counted).</summary>
    public int Operations => _operations;

    private void Tick()
    {
        if (_operations++ == operationsBeforeCut)
        {
            throw new PowerCut();
        }
    }

    public bool Exists(string path) => inner.Exists(path);

    public int ReadAll(string path, byte[] buffer) => inner.ReadAll(path, buffer);

    public void WriteNew(string path, byte[] buffer, int offset, int count)
    {
        if (_operations == operationsBeforeCut)
        {
            // The cut lands in the middle of the write: only a prefix reaches the medium.
            inner.WriteNew(path, buffer, offset, Math.Min(partialBytes, count));
        }

        Tick();
        inner.WriteNew(path, buffer, offset, count);
    }

    public void Append(string path, byte[] buffer, int offset, int count)
    {
        if (_operations == operationsBeforeCut && partialBytes > 0)
        {
            inner.Append(path, buffer, offset, Math.Min(partialBytes, count));
        }

        Tick();
        inner.Append(path, buffer, offset, count);
    }

    public void Delete(string path)
    {
        Tick();
        inner.Delete(path);
    }

    public void Rename(string fromPath, string toPath)
    {
        Tick();
        inner.Rename(fromPath, toPath);
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pf-esp32-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Root => Path + System.IO.Path.DirectorySeparatorChar;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
