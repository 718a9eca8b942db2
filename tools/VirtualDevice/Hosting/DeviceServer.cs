// Serves a VirtualPump on a byte stream (a pty master, or stdin/stdout): one reader thread
// blocks on the stream and hands bytes over; the main thread owns the pump (the firmware is
// single-threaded, as on the ESP32) and polls it when bytes arrive, when the firmware's next
// wake-up is due (real clock), or every InputPollMicros for the input pins. Output is written
// as it is produced, also in the middle of a long SIM:ADVANCE, with blocking writes, so a
// slow reader paces the device instead of losing lines.
using System.Collections.Concurrent;
using PumpFirmware.App;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Device;

namespace PumpFirmware.VirtualDevice.Hosting;

/// <summary>Runs a <see cref="VirtualPump"/> against a byte stream until cancelled or the stream ends.</summary>
public sealed class DeviceServer
{
    private readonly VirtualPump _pump;
    private readonly Func<byte[], int, int, int> _read;
    private readonly Action<ReadOnlySpan<byte>> _write;
    private readonly ConcurrentQueue<byte[]> _incoming = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly byte[] _out = new byte[16384];
    private volatile bool _inputEnded;

    /// <summary>Creates a server.</summary>
    /// <param name="pump">The device (not yet powered on).</param>
    /// <param name="read">Blocking read from the client; returns 0 at end of stream.</param>
    /// <param name="write">Blocking write to the client.</param>
    public DeviceServer(VirtualPump pump, Func<byte[], int, int, int> read, Action<ReadOnlySpan<byte>> write)
    {
        _pump = pump;
        _read = read;
        _write = write;
    }

    /// <summary>The lock held while the pump runs (a second thread, e.g. the balance, takes it to read the plant).</summary>
    public object SyncRoot { get; } = new();

    /// <summary>Stop when the input stream ends (stdio); a pty never ends while we hold its slave.</summary>
    public bool StopAtEndOfInput { get; set; }

    /// <summary>Powers the device on and serves it until <paramref name="cancel"/> fires.</summary>
    public void Run(CancellationToken cancel)
    {
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "device-input" };
        using var registration = cancel.Register(() => _wake.Set());
        lock (SyncRoot)
        {
            _pump.AfterService = Flush;
            _pump.StopRequested = () => cancel.IsCancellationRequested;
            _pump.PowerOn();
        }
        reader.Start();
        while (!cancel.IsCancellationRequested)
        {
            lock (SyncRoot)
            {
                while (_incoming.TryDequeue(out byte[]? chunk)) _pump.Link.HostWrite(chunk);
                // Poll until the firmware has read everything (it reads a bounded amount per pass).
                do
                {
                    _pump.Poll();
                }
                while (_pump.Link.PendingToDevice > 0 && !cancel.IsCancellationRequested);
            }
            if (_inputEnded && _incoming.IsEmpty && StopAtEndOfInput) break;
            _wake.WaitOne(WaitMillis());
        }
        lock (SyncRoot)
        {
            _pump.Persistence.Commit(); // a clean shutdown keeps the last steps too
            Flush();
        }
    }

    private int WaitMillis()
    {
        if (_pump.Clock.Mode == ClockMode.Manual) return Timeout.Infinite;
        long wakeIn = _pump.App.NextWakeMicros - _pump.Clock.NowMicros;
        if (wakeIn > PumpApplication.InputPollMicros) wakeIn = PumpApplication.InputPollMicros;
        if (wakeIn < 0) wakeIn = 0;
        return (int)((wakeIn + 999) / 1000);
    }

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = _read(buffer, 0, buffer.Length);
            }
            catch (Exception)
            {
                n = 0;
            }
            if (n <= 0)
            {
                _inputEnded = true;
                _wake.Set();
                return;
            }
            _incoming.Enqueue(buffer.AsSpan(0, n).ToArray());
            _wake.Set();
        }
    }

    private void Flush()
    {
        while (true)
        {
            int n = _pump.Link.HostRead(_out, 0, _out.Length);
            if (n <= 0) return;
            _write(_out.AsSpan(0, n));
        }
    }
}
