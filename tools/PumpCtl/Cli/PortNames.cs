// The serial ports a user may mean, for `pumpctl ports` and shell completion: what
// System.IO.Ports lists, plus the pseudo-terminals the virtual device serves on.
using System.IO.Ports;

namespace PumpCtl.Cli;

/// <summary>Lists candidate port names.</summary>
public static class PortNames
{
    /// <summary>This machine's serial ports and /dev/pts/* pseudo-terminals, sorted.</summary>
    public static IEnumerable<string> Candidates()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            names.UnionWith(SerialPort.GetPortNames());
            if (Directory.Exists("/dev/pts"))
            {
                names.UnionWith(Directory.GetFiles("/dev/pts").Where(f => !f.EndsWith("ptmx", StringComparison.Ordinal)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Completion is a convenience; no list is better than an error in the shell.
        }
        return names;
    }
}
