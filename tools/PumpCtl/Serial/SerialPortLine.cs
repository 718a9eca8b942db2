// ISerialLine over System.IO.Ports.SerialPort, for a real tty, a USB CDC port or a pty.
// Lines are assembled here from raw bytes rather than with SerialPort.ReadLine, so that a
// timeout never loses half a line and CR LF / LF endings are both accepted.
using System.IO.Ports;
using System.Text;

namespace PumpCtl.Serial;

/// <summary>A serial port (8N1, no flow control) read and written as ASCII lines.</summary>
public sealed class SerialPortLine : ISerialLine
{
    private readonly SerialPort _port;
    private readonly string _terminator;
    private readonly byte[] _readBuffer = new byte[4096];
    private readonly StringBuilder _pending = new();
    private readonly PortLock _lock;

    /// <summary>Opens <paramref name="portName"/> at <paramref name="baudRate"/> baud.</summary>
    /// <param name="terminator">Sent after each line: "\n" for the pump, "\r\n" for MT-SICS balances.</param>
    /// <param name="lockFolders">Where the UUCP lock file goes (see <see cref="PortLock"/>); default /var/lock, /run/lock.</param>
    /// <exception cref="IOException">The port does not exist, may not be opened, or is held by another program (the message says which).</exception>
    public SerialPortLine(string portName, int baudRate = 115200, string terminator = "\n", IReadOnlyList<string>? lockFolders = null)
    {
        _terminator = terminator;
        _lock = PortLock.Acquire(portName, lockFolders);
        _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            Encoding = Encoding.ASCII,
            WriteTimeout = 2000,
        };
        try
        {
            _port.Open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or ArgumentException or InvalidOperationException or IOException)
        {
            _port.Dispose();
            _lock.Dispose();
            throw new IOException($"cannot open {portName}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public string Name => _port.PortName;

    /// <inheritdoc />
    public void WriteLine(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + _terminator);
        Guard(() => _port.Write(bytes, 0, bytes.Length));
    }

    /// <inheritdoc />
    public string? ReadLine(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string? line = TakeLine();
            if (line != null)
            {
                return line;
            }
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            _port.ReadTimeout = Math.Max(1, (int)left.TotalMilliseconds);
            int count = 0;
            try
            {
                Guard(() => count = _port.Read(_readBuffer, 0, _readBuffer.Length));
            }
            catch (TimeoutException)
            {
                return null;
            }
            for (int i = 0; i < count; i++)
            {
                _pending.Append((char)_readBuffer[i]);
            }
        }
    }

    private string? TakeLine()
    {
        for (int i = 0; i < _pending.Length; i++)
        {
            if (_pending[i] == '\n')
            {
                int end = i > 0 && _pending[i - 1] == '\r' ? i - 1 : i;
                string line = _pending.ToString(0, end);
                _pending.Remove(0, i + 1);
                return line;
            }
        }
        return null;
    }

    // A pulled USB adapter shows up as IOException, InvalidOperationException ("port closed")
    // or UnauthorizedAccessException depending on the moment; callers only need to know
    // "the link is gone", so all of them become IOException.
    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (TimeoutException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidOperationException or UnauthorizedAccessException or ObjectDisposedException)
        {
            throw new IOException($"{_port.PortName}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _port.Dispose();
        }
        catch (IOException)
        {
            // Closing a port whose device vanished can throw; there is nothing left to release.
        }
        _lock.Dispose();
    }
}
