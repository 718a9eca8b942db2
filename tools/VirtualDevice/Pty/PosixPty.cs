// A pseudo-terminal pair from libc (posix_openpt, grantpt, unlockpt, ptsname_r), so that a
// client opens the slave path as if it were a USB serial port (picocom, pyserial,
// System.IO.Ports). The slave is put into raw mode (cfmakeraw: no echo, no line editing, no
// CR/LF translation) BEFORE the device writes its first byte: a terminal's default echo would
// otherwise bounce the device's own `!BOOT` line back into it as a request before any client
// had opened the port. We keep our own handle on the slave open for the pty's whole life, so
// that reads on the master never fail with EIO while no client is connected, and clients can
// come and go.
using System.Runtime.InteropServices;

namespace PumpFirmware.VirtualDevice.Pty;

/// <summary>A Linux/macOS pseudo-terminal: the master side for the device, a path for the client.</summary>
public sealed unsafe class PosixPty : IDisposable
{
    private const int O_RDWR = 2;
    private const int O_NOCTTY_LINUX = 0x100;
    private const int O_NOCTTY_MAC = 0x20000;
    private const int TCSANOW = 0;
    private const int EINTR = 4;
    private const int EAGAIN_LINUX = 11;
    private const int EAGAIN_MAC = 35;
    private const int TermiosBytes = 256; // larger than struct termios on every libc we run on

    private int _master;
    private int _slave;

    private PosixPty(int master, int slave, string path)
    {
        _master = master;
        _slave = slave;
        SlavePath = path;
    }

    /// <summary>The path a client opens (e.g. /dev/pts/7).</summary>
    public string SlavePath { get; }

    /// <summary>The master file descriptor.</summary>
    public int MasterFd => _master;

    /// <summary>Opens a pty pair and sets the slave to raw mode.</summary>
    /// <exception cref="IOException">With the libc error when any step fails.</exception>
    public static PosixPty Open()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException("a pseudo-terminal needs Linux or macOS; use --stdio");
        int noctty = OperatingSystem.IsLinux() ? O_NOCTTY_LINUX : O_NOCTTY_MAC;
        int master = posix_openpt(O_RDWR | noctty);
        if (master < 0) throw Error("posix_openpt");
        if (grantpt(master) != 0 || unlockpt(master) != 0)
        {
            var e = Error("grantpt/unlockpt");
            close(master);
            throw e;
        }
        byte* name = stackalloc byte[256];
        if (ptsname_r(master, name, 256) != 0)
        {
            var e = Error("ptsname_r");
            close(master);
            throw e;
        }
        string path = Marshal.PtrToStringAnsi((IntPtr)name)!;
        int slave = open(path, O_RDWR | noctty);
        if (slave < 0)
        {
            var e = Error("open " + path);
            close(master);
            throw e;
        }
        byte* termios = stackalloc byte[TermiosBytes];
        new Span<byte>(termios, TermiosBytes).Clear();
        if (tcgetattr(slave, termios) != 0)
        {
            var e = Error("tcgetattr");
            close(slave);
            close(master);
            throw e;
        }
        cfmakeraw(termios);
        cfsetspeed(termios, 115200); // informational on a pty; clients see the port's nominal speed
        if (tcsetattr(slave, TCSANOW, termios) != 0)
        {
            var e = Error("tcsetattr");
            close(slave);
            close(master);
            throw e;
        }
        // Non-blocking master: reads and writes wait in poll(), so a write can give up when no
        // client reads, and a read wakes up to notice Dispose.
        int flags = fcntl(master, F_GETFL, 0);
        if (flags < 0 || fcntl(master, F_SETFL, flags | (OperatingSystem.IsLinux() ? O_NONBLOCK_LINUX : O_NONBLOCK_MAC)) < 0)
        {
            var e = Error("fcntl O_NONBLOCK");
            close(slave);
            close(master);
            throw e;
        }
        return new PosixPty(master, slave, path);
    }

    /// <summary>Blocks until bytes arrive from the client (or the pty is closed).</summary>
    /// <returns>Bytes read; 0 when the pty was closed.</returns>
    public int Read(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            int master = _master;
            if (master < 0) return 0;
            PollFd fd = new() { Fd = master, Events = POLLIN };
            int ready = poll(&fd, 1, 200);
            if (ready == 0) continue; // look at _master again (Dispose)
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == EINTR) continue;
                return 0;
            }
            long n;
            fixed (byte* p = &buffer[offset]) n = read(master, p, (nuint)count);
            if (n > 0) return (int)n;
            if (n == 0) return 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR || errno == EAGAIN_LINUX || errno == EAGAIN_MAC) continue;
            return 0; // EIO/EBADF: closed
        }
    }

    /// <summary>Bytes dropped because nobody read the pty for <see cref="WriteTimeoutMillis"/>.</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>How long a write waits for a client to make room before it drops bytes, ms;
    /// <see cref="Timeout.Infinite"/> (the default) waits as long as it takes. The device server
    /// writes from its own thread and decides itself what may be dropped (only `!TEL` lines), so
    /// it never lets the pty drop part of a line.</summary>
    public int WriteTimeoutMillis { get; set; } = Timeout.Infinite;

    /// <summary>Writes the bytes to the client. While a client reads, a full pty buffer paces the
    /// writer; with a <see cref="WriteTimeoutMillis"/> set, once nobody has read for that long the
    /// rest is dropped and counted. Returns early when the pty is disposed.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        long waitingSince = -1;
        while (bytes.Length > 0)
        {
            int master = _master;
            if (master < 0) return;
            long n;
            fixed (byte* p = bytes) n = write(master, p, (nuint)bytes.Length); // non-blocking: writes what fits
            if (n > 0)
            {
                _stalled = false;
                waitingSince = -1;
                bytes = bytes[(int)n..];
                continue;
            }
            int errno = n < 0 ? Marshal.GetLastPInvokeError() : EAGAIN_LINUX;
            if (errno == EINTR) continue;
            if (errno != EAGAIN_LINUX && errno != EAGAIN_MAC) return; // closed
            // No room. Once nobody read for the timeout, do not wait again until a client makes room.
            long now = Environment.TickCount64;
            if (waitingSince < 0) waitingSince = now;
            if (WriteTimeoutMillis >= 0 && (_stalled || now - waitingSince >= WriteTimeoutMillis))
            {
                DroppedBytes += bytes.Length; // nobody is reading
                _stalled = true;
                return;
            }
            Thread.Sleep(1);
        }
    }

    private bool _stalled;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    private const short POLLIN = 1;
    private const short POLLOUT = 4;
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private const int O_NONBLOCK_LINUX = 0x800;
    private const int O_NONBLOCK_MAC = 0x4;

    [DllImport("libc", SetLastError = true)] private static extern int fcntl(int fd, int cmd, int arg);

    [DllImport("libc", SetLastError = true)] private static extern int poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary>Closes both sides (wakes a blocked <see cref="Read"/>).</summary>
    public void Dispose()
    {
        int slave = Interlocked.Exchange(ref _slave, -1);
        int master = Interlocked.Exchange(ref _master, -1);
        if (slave >= 0) close(slave);
        if (master >= 0) close(master);
    }

    private static IOException Error(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
    }

    [DllImport("libc", SetLastError = true)] private static extern int posix_openpt(int flags);
    [DllImport("libc", SetLastError = true)] private static extern int grantpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int unlockpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int ptsname_r(int fd, byte* buf, nuint buflen);
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)] private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern long read(int fd, byte* buf, nuint count);
    [DllImport("libc", SetLastError = true)] private static extern long write(int fd, byte* buf, nuint count);
    [DllImport("libc", SetLastError = true)] private static extern int tcgetattr(int fd, byte* termios);
    [DllImport("libc", SetLastError = true)] private static extern int tcsetattr(int fd, int optionalActions, byte* termios);
    [DllImport("libc", SetLastError = true)] private static extern void cfmakeraw(byte* termios);
    [DllImport("libc", SetLastError = true)] private static extern int cfsetspeed(byte* termios, nuint speed);
}
