// A device on the master side of a real pseudo-terminal, so SerialPortLine (System.IO.Ports)
// is tested on the slave exactly as a user opens a pump's tty. The device answers each line
// it receives through a function, and can push lines on its own (telemetry). Linux only.
using System.Runtime.InteropServices;
using System.Text;

namespace PumpCtl.Tests.Fakes;

public sealed class PtyDevice : IDisposable
{
    private const int ORdWr = 2;
    private const int ONoCtty = 0x100;
    private const short PollIn = 1;

    private readonly int _master;
    private readonly Thread _thread;
    private readonly Func<string, IEnumerable<string>> _answer;
    private readonly object _gate = new();
    private volatile bool _stop;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)] private static extern int posix_openpt(int flags);
    [DllImport("libc", SetLastError = true)] private static extern int grantpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int unlockpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int ptsname_r(int fd, byte[] buf, nint len);
    [DllImport("libc", SetLastError = true)] private static extern nint read(int fd, byte[] buf, nint count);
    [DllImport("libc", SetLastError = true)] private static extern nint write(int fd, byte[] buf, nint count);
    [DllImport("libc", SetLastError = true)] private static extern int poll([In, Out] PollFd[] fds, nuint nfds, int timeout);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);

    public PtyDevice(Func<string, IEnumerable<string>> answer, string terminator = "\n")
    {
        _answer = answer;
        Terminator = terminator;
        _master = posix_openpt(ORdWr | ONoCtty);
        if (_master < 0 || grantpt(_master) != 0 || unlockpt(_master) != 0)
        {
            throw new IOException($"cannot create a pty (errno {Marshal.GetLastWin32Error()})");
        }
        var name = new byte[128];
        if (ptsname_r(_master, name, name.Length) != 0)
        {
            throw new IOException("ptsname_r failed");
        }
        SlavePath = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
        _thread = new Thread(Serve) { IsBackground = true, Name = "pty device" };
        _thread.Start();
    }

    public string SlavePath { get; }

    public string Terminator { get; }

    public List<string> Received { get; } = new();

    public void Send(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + Terminator);
        lock (_gate)
        {
            write(_master, bytes, bytes.Length);
        }
    }

    private void Serve()
    {
        var buffer = new byte[1024];
        var pending = new StringBuilder();
        var fds = new[] { new PollFd { Fd = _master, Events = PollIn } };
        while (!_stop)
        {
            fds[0].Revents = 0;
            if (poll(fds, 1, 50) <= 0 || (fds[0].Revents & PollIn) == 0)
            {
                // No reader on the slave yet shows up as POLLHUP; wait for one.
                if (fds[0].Revents != 0)
                {
                    Thread.Sleep(20);
                }
                continue;
            }
            nint n = read(_master, buffer, buffer.Length);
            if (n <= 0)
            {
                Thread.Sleep(20);
                continue;
            }
            pending.Append(Encoding.ASCII.GetString(buffer, 0, (int)n));
            int nl;
            while ((nl = pending.ToString().IndexOf('\n')) >= 0)
            {
                string line = pending.ToString(0, nl).TrimEnd('\r');
                pending.Remove(0, nl + 1);
                lock (Received)
                {
                    Received.Add(line);
                }
                foreach (string reply in _answer(line))
                {
                    Send(reply);
                }
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(2000);
        close(_master);
    }
}
