// Serves a VirtualPump on a byte stream (a pty master, or stdin/stdout). Three threads:
// - a reader blocks on the stream and queues what the client sent, up to InputQueueLimitBytes;
//   beyond that it stops reading, so the pty (or pipe) fills and the client's writes wait:
//   input is paced, never dropped, however fast it comes;
// - the main thread owns the pump (the firmware is single-threaded, as on the ESP32): it moves
//   queued input into the device's link only as the firmware reads it, and polls the pump when
//   input arrives, when its next wake-up is due (real clock), or every InputPollMicros;
// - a writer hands the device's output to the client with blocking writes, so the pump never
//   waits on a slow client (delivery never waits on the link).
// When output backs up (the client stops reading, OutputHighWaterBytes queued) the main thread
// stops feeding requests to the device, so no request can lose its status line, and `!TEL`
// lines are dropped (their seq shows the gap); every other line, status lines above all, is
// kept. PROTOCOL.md: every request line gets exactly one status line, in order.
using System.Collections.Concurrent;
using PumpFirmware.App;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Device;

namespace PumpFirmware.VirtualDevice.Hosting;

/// <summary>Runs a <see cref="VirtualPump"/> against a byte stream until cancelled or the stream ends.</summary>
public sealed class DeviceServer
{
    /// <summary>Client bytes queued before the reader stops reading (and the client's writes wait).</summary>
    public const int InputQueueLimitBytes = 64 * 1024;

    /// <summary>Device output queued for the client above which requests are not read and `!TEL` lines are dropped.</summary>
    public const int OutputHighWaterBytes = 64 * 1024;

    private static ReadOnlySpan<byte> TelPrefix => "!TEL"u8;

    private readonly VirtualPump _pump;
    private readonly Func<byte[], int, int, int> _read;
    private readonly Action<ReadOnlySpan<byte>> _write;
    private readonly ConcurrentQueue<byte[]> _incoming = new();
    private readonly ConcurrentQueue<byte[]> _outgoing = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly AutoResetEvent _outputReady = new(false);
    private readonly SemaphoreSlim _inputRoom = new(0);
    private readonly byte[] _out = new byte[16384];
    private byte[]? _feeding;
    private int _feedingOffset;
    private long _incomingBytes;
    private long _outgoingBytes;
    private bool _midLine;
    private volatile bool _inputEnded;
    private volatile bool _writerFailed;
    private volatile bool _stopping;

    /// <summary>Creates a server.</summary>
    /// <param name="pump">The device (not yet powered on).</param>
    /// <param name="read">Blocking read from the client; returns 0 at end of stream.</param>
    /// <param name="write">Blocking write to the client (it may wait as long as the client does not read).</param>
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

    /// <summary>`!TEL` lines dropped because the client did not read.</summary>
    public long DroppedTelemetryLines { get; private set; }

    /// <summary>Powers the device on and serves it until <paramref name="cancel"/> fires.</summary>
    public void Run(CancellationToken cancel)
    {
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "device-input" };
        var writer = new Thread(WriteLoop) { IsBackground = true, Name = "device-output" };
        using var registration = cancel.Register(() => _wake.Set());
        writer.Start();
        lock (SyncRoot)
        {
            _pump.AfterService = Flush;
            _pump.StopRequested = () => cancel.IsCancellationRequested;
            _pump.PowerOn();
        }
        reader.Start();
        while (!cancel.IsCancellationRequested)
        {
            bool more;
            lock (SyncRoot)
            {
                // One batch of input at a time, and only when the firmware has read the last one: the
                // device's own receive queue never overflows. Polling until it is read.
                FeedInput();
                do
                {
                    _pump.Poll();
                }
                while (_pump.Link.PendingToDevice > 0 && !cancel.IsCancellationRequested);
                more = HasInput && !OutputBackedUp;
            }
            if (more) continue;
            if (_inputEnded && !HasInput && StopAtEndOfInput) break;
            _wake.WaitOne(WaitMillis());
        }
        lock (SyncRoot)
        {
            _pump.Persistence.Commit(); // a clean shutdown keeps the last steps too
            Flush();
        }
        // Let the writer hand over what is queued, unless the client has stopped reading.
        _stopping = true;
        _outputReady.Set();
        writer.Join(TimeSpan.FromSeconds(5));
    }

    private bool HasInput => _feeding != null || !_incoming.IsEmpty;

    private bool OutputBackedUp => Interlocked.Read(ref _outgoingBytes) >= OutputHighWaterBytes && !_writerFailed;

    private int WaitMillis()
    {
        if (_pump.Clock.Mode == ClockMode.Manual) return Timeout.Infinite;
        long wakeIn = _pump.App.NextWakeMicros - _pump.Clock.NowMicros;
        if (wakeIn > PumpApplication.InputPollMicros) wakeIn = PumpApplication.InputPollMicros;
        if (wakeIn < 0) wakeIn = 0;
        return (int)((wakeIn + 999) / 1000);
    }

    // Moves up to one poll's worth of queued client bytes into the device's link, if it has read the last ones
    // and the client is reading the answers.
    private void FeedInput()
    {
        if (_pump.Link.PendingToDevice > 0 || OutputBackedUp) return;
        int budget = PumpApplication.MaxBytesPerPoll;
        while (budget > 0)
        {
            if (_feeding == null)
            {
                if (!_incoming.TryDequeue(out _feeding)) return;
                _feedingOffset = 0;
            }
            int n = Math.Min(budget, _feeding.Length - _feedingOffset);
            _pump.Link.HostWrite(_feeding.AsSpan(_feedingOffset, n));
            _feedingOffset += n;
            budget -= n;
            long left = Interlocked.Add(ref _incomingBytes, -n);
            if (left + n >= InputQueueLimitBytes && left < InputQueueLimitBytes) _inputRoom.Release(); // the reader may read again
            if (_feedingOffset == _feeding.Length) _feeding = null;
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        while (true)
        {
            while (Interlocked.Read(ref _incomingBytes) >= InputQueueLimitBytes)
            {
                // Pacing: leave the client's bytes in the pty until the device has read what it has.
                _inputRoom.Wait(100);
            }
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
            Interlocked.Add(ref _incomingBytes, n);
            _wake.Set();
        }
    }

    // Called after every service pass: takes what the device sent and queues it for the writer, line by line,
    // dropping a whole `!TEL` line (never part of one, never another line) while the client is not reading.
    private void Flush()
    {
        while (true)
        {
            int n = _pump.Link.HostRead(_out, 0, _out.Length);
            if (n <= 0) return;
            Route(_out.AsSpan(0, n));
        }
    }

    private void Route(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            int newline = data.IndexOf((byte)'\n');
            int end = newline < 0 ? data.Length : newline + 1;
            ReadOnlySpan<byte> piece = data[..end];
            bool telemetry = !_midLine && piece.StartsWith(TelPrefix);
            if (telemetry && (OutputBackedUp || _writerFailed))
            {
                DroppedTelemetryLines++;
            }
            else if (!_writerFailed)
            {
                _outgoing.Enqueue(piece.ToArray());
                Interlocked.Add(ref _outgoingBytes, piece.Length);
                _outputReady.Set();
            }
            _midLine = newline < 0;
            data = data[end..];
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            if (!_outgoing.TryDequeue(out byte[]? piece))
            {
                if (_stopping) return;
                _outputReady.WaitOne(100);
                continue;
            }
            try
            {
                _write(piece);
            }
            catch (Exception)
            {
                // The client's end is gone (a closed stdout): nothing more can be delivered. The device runs on.
                _writerFailed = true;
            }
            Interlocked.Add(ref _outgoingBytes, -piece.Length);
            if (HasInput) _wake.Set(); // requests may be read again
        }
    }
}
