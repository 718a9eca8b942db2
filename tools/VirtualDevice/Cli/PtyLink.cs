// `pumpctl sim --link /tmp/pump`: a fixed name for the virtual device's pty, whose own name
// (/dev/pts/N) changes from run to run, so scripts, terminal profiles and docs can name one
// path. The link is replaced if it is a leftover link, never if it is anything else, and is
// removed at exit only while it still points to this run's pty.
namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>A symbolic link to a pty, removed on dispose.</summary>
public sealed class PtyLink : IDisposable
{
    private readonly string _target;

    private PtyLink(string path, string target)
    {
        Path = path;
        _target = target;
    }

    /// <summary>The link's full path.</summary>
    public string Path { get; }

    /// <summary>Makes <paramref name="path"/> a symbolic link to <paramref name="target"/>.</summary>
    /// <exception cref="IOException"><paramref name="path"/> exists and is not a symbolic link, or cannot be created.</exception>
    public static PtyLink Create(string path, string target)
    {
        string full = System.IO.Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (info.LinkTarget != null)
        {
            info.Delete(); // a link left by an earlier run (its pty is gone or another's)
        }
        else if (info.Exists || Directory.Exists(full))
        {
            throw new IOException($"--link {path}: it exists and is not a symbolic link; choose another path");
        }
        try
        {
            File.CreateSymbolicLink(full, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--link {path}: cannot create the link: {e.Message}", e);
        }
        return new PtyLink(full, target);
    }

    /// <summary>Removes the link if it still points to this run's pty.</summary>
    public void Dispose()
    {
        try
        {
            if (new FileInfo(Path).LinkTarget == _target)
            {
                File.Delete(Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
