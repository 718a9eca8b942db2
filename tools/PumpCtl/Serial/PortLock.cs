// One program per serial port, the way Linux serial tools agree on it: a UUCP lock file
// `LCK..<name>` holding the owner's PID (ten digits and a newline, the HDB format that
// minicom, picocom with lock files, cu and lockdev use) in /var/lock or /run/lock when that
// folder is writable, and an advisory flock on the device itself (what picocom takes). Two
// programs on one port would otherwise each read half of the other's answers.
//
// It also explains why a port cannot be opened before System.IO.Ports says "access denied"
// for every reason alike: the port does not exist, the user lacks permission (and how to get
// it), or someone holds it (and who).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PumpCtl.Serial;

/// <summary>An exclusive claim on a serial port, released on dispose.</summary>
public sealed class PortLock : IDisposable
{
    private const int ORdWr = 2;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int LockEx = 2;
    private const int LockNb = 4;
    private const int EPerm = 1;
    private const int ENoEnt = 2;
    private const int EAcces = 13;
    private const int EBusy = 16;
    private const int EWouldBlock = 11;

    private int _fd;
    private readonly string? _lockFile;

    private PortLock(string device, int fd, string? lockFile)
    {
        Device = device;
        _fd = fd;
        _lockFile = lockFile;
    }

    /// <summary>The lock folders tried in order; tests point this elsewhere.</summary>
    public static IReadOnlyList<string> DefaultLockFolders { get; } = new[] { "/var/lock", "/run/lock" };

    /// <summary>The device path after following symbolic links.</summary>
    public string Device { get; }

    /// <summary>The UUCP lock file written, or null when no lock folder was writable.</summary>
    public string? LockFile => _lockFile;

    [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int flock(int fd, int operation);
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int signal);
    [DllImport("libc", SetLastError = true)] private static extern int access(string path, int mode);

    /// <summary>Claims <paramref name="portName"/> or explains why not.</summary>
    /// <param name="lockFolders">Where to put the UUCP lock file (the first writable one); default <see cref="DefaultLockFolders"/>.</param>
    /// <exception cref="IOException">The port does not exist, may not be opened, or is held by another program; the message says which and what to do.</exception>
    public static PortLock Acquire(string portName, IReadOnlyList<string>? lockFolders = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Windows opens COM ports exclusively by itself; other systems get no extra lock.
            return new PortLock(portName, -1, null);
        }
        if (!File.Exists(portName))
        {
            throw new IOException($"{portName} does not exist; 'pumpctl ports' lists this machine's ports " +
                "(a USB board appears as /dev/ttyUSB* or /dev/ttyACM* when plugged in; the virtual device prints its 'PTY <path>' when it starts)");
        }
        string device = new FileInfo(portName).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(portName);
        string shown = device == portName ? portName : $"{portName} (= {device})";
        string? folder = (lockFolders ?? DefaultLockFolders).FirstOrDefault(f => Directory.Exists(f) && access(f, 2) == 0);
        string? lockFile = folder == null ? null : Path.Combine(folder, LockName(device));
        if (lockFile != null)
        {
            int? holder = ReadLiveHolder(lockFile);
            if (holder is int pid)
            {
                throw new IOException($"{shown} is in use by {Describe(pid)} (lock file {lockFile}); close that program first");
            }
        }
        int fd = open(device, ORdWr | ONoCtty | ONonBlock | OCloExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException(OpenFailure(shown, device, errno));
        }
        if (flock(fd, LockEx | LockNb) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            close(fd);
            throw new IOException(errno == EWouldBlock
                ? $"{shown} is in use by {HolderOf(device)}; close that program first"
                : $"cannot lock {shown}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        if (lockFile != null && !TryWriteLockFile(lockFile))
        {
            close(fd);
            int? holder = ReadLiveHolder(lockFile);
            throw new IOException($"{shown} is in use by {(holder is int h ? Describe(h) : "another program")} (lock file {lockFile}); close that program first");
        }
        return new PortLock(device, fd, lockFile);
    }

    /// <summary>The message for an <c>open(2)</c> failure with <paramref name="errno"/>.</summary>
    public static string OpenFailure(string shown, string device, int errno) => errno switch
    {
        ENoEnt => $"{shown} does not exist; 'pumpctl ports' lists this machine's ports",
        EAcces or EPerm => $"no permission to open {shown}; serial ports belong to the group '{GroupOf(device)}': " +
            $"add yourself with 'sudo usermod -aG {GroupOf(device)} $USER', then log out and in again",
        EBusy => $"{shown} is in use by {HolderOf(device)}; close that program first",
        _ => $"cannot open {shown}: {Marshal.GetPInvokeErrorMessage(errno)}",
    };

    /// <summary>The lock file's name for <paramref name="device"/>: <c>LCK..ttyUSB0</c>, <c>LCK..pts_5</c>.</summary>
    public static string LockName(string device)
    {
        string name = device.StartsWith("/dev/", StringComparison.Ordinal) ? device.Substring(5) : Path.GetFileName(device);
        return "LCK.." + name.Replace('/', '_');
    }

    // The PID in a lock file if that process still runs; a stale file (its owner died) is removed.
    private static int? ReadLiveHolder(string lockFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(lockFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid) && pid > 0 && Alive(pid))
        {
            return pid;
        }
        try
        {
            File.Delete(lockFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Someone else's stale file in a folder we may not clean: opening still works.
        }
        return null;
    }

    private static bool Alive(int pid) => kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPerm;

    // Written beside, then linked into place without replacing, so two programs starting at
    // the same moment cannot both believe they hold the port.
    private static bool TryWriteLockFile(string lockFile)
    {
        string temp = lockFile + ".pumpctl." + Environment.ProcessId;
        try
        {
            File.WriteAllText(temp, Environment.ProcessId.ToString(CultureInfo.InvariantCulture).PadLeft(10) + "\n");
            File.Move(temp, lockFile, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(lockFile))
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // the folder refused the file: the flock still guards the port
        }
        finally
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>"PID 1234 (picocom)" for the process that has <paramref name="device"/> open, as far as /proc shows it.</summary>
    public static string HolderOf(string device)
    {
        try
        {
            foreach (string proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out int pid))
                {
                    continue;
                }
                try
                {
                    foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(proc, "fd")))
                    {
                        if (new FileInfo(fd).LinkTarget == device)
                        {
                            return Describe(pid);
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's process: its descriptors are hidden from us.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return "another program (not visible to this user; 'sudo fuser -v " + device + "' names it)";
    }

    private static string Describe(int pid)
    {
        string name = "?";
        try
        {
            name = File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return pid == Environment.ProcessId ? $"PID {pid} ({name}, this very process)" : $"PID {pid} ({name})";
    }

    // The device's group ("dialout" on Debian and Ubuntu, "uucp" on Arch and Fedora).
    private static string GroupOf(string device)
    {
        try
        {
            using var stat = Process.Start(new ProcessStartInfo("stat", new[] { "-c", "%G", device })
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (stat != null)
            {
                string group = stat.StandardOutput.ReadToEnd().Trim();
                stat.WaitForExit(2000);
                if (group.Length > 0 && group != "root")
                {
                    return group;
                }
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
        }
        return "dialout";
    }

    /// <summary>Releases the flock and removes the lock file (only if it still names this process).</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            close(_fd);
            _fd = -1;
        }
        if (_lockFile != null)
        {
            try
            {
                if (File.Exists(_lockFile) && int.TryParse(File.ReadAllText(_lockFile).Trim(), out int pid) && pid == Environment.ProcessId)
                {
                    File.Delete(_lockFile);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
