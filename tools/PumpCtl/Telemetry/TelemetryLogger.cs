// `pumpctl log`'s engine. One thread, one loop: open the port, `TEL <period>`, write every
// `!TEL` line as a CSV row (with a balance reading if asked), and on any loss of the link
// close, wait with exponential back-off, reopen and switch telemetry on again. A device
// reset (`!BOOT`) or a long silence also re-sends `TEL`, since a reset turns telemetry off.
// Memory is constant: nothing grows with the number of rows.
using PumpCtl.Balance;
using PumpCtl.Serial;

namespace PumpCtl.Telemetry;

/// <summary>Logs telemetry to CSV until the duration ends or it is cancelled.</summary>
public sealed class TelemetryLogger
{
    private readonly LogOptions _options;
    private readonly ISerialLineOpener _pumpOpener;
    private readonly ISerialLineOpener? _balanceOpener;
    private readonly IHostClock _clock;
    private readonly ILogProgress _progress;
    private readonly SeqTracker _seq = new();
    private long _malformed;
    private long _corrupt;
    private long _linkLosses;
    private long _failedAttempts;
    private long _advancedSeconds;
    private bool _telNeeded;
    private bool _everConnected;

    /// <summary>Creates a logger; nothing is opened until <see cref="Run"/>.</summary>
    public TelemetryLogger(LogOptions options, ISerialLineOpener pumpOpener, ISerialLineOpener? balanceOpener,
        IHostClock clock, ILogProgress progress)
    {
        _options = options;
        _pumpOpener = pumpOpener;
        _balanceOpener = balanceOpener;
        _clock = clock;
        _progress = progress;
    }

    /// <summary>Logs into <paramref name="csv"/> (the header is written by the caller's writer).</summary>
    /// <exception cref="LoggerException">The device refused <c>TEL</c> (e.g. a period out of range).</exception>
    /// <exception cref="IOException">The first connection failed (wrong port, no answer); later losses are retried.</exception>
    public LogSummary Run(TelemetryCsvWriter csv, CancellationToken cancel)
    {
        DateTime start = _clock.UtcNow;
        DateTime? end = _options.Duration is TimeSpan d ? start + d : null;
        using MtSicsBalance? balance = _options.BalancePort != null && _balanceOpener != null
            ? new MtSicsBalance(_balanceOpener, _options.BalancePort)
            {
                // Against the virtual device the balance is another process on this host: its
                // reply time is set by the host's load, not by a weighing, so give it as long as a
                // telemetry request gets instead of a real balance's 1 s.
                Timeout = _options.SimAdvance ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(1),
            }
            : null;
        TimeSpan silenceLimit = TimeSpan.FromSeconds(Math.Max(3 * _options.PeriodSeconds, 5) + 2);
        int failures = 0;

        bool Running() => !cancel.IsCancellationRequested && (end == null || _clock.UtcNow < end);

        while (Running())
        {
            ISerialLine? line = null;
            PumpClient? client = null;
            bool connected = false;
            try
            {
                line = _pumpOpener.Open(_options.Port);
                client = new PumpClient(line, _options.UseCrc);
                void OnLine(string l) => Handle(l, csv, balance);

                EnableTelemetry(client, OnLine);
                _everConnected = true;
                connected = true;
                _progress.Connected(line.Name);
                failures = 0;
                if (_options.SimAdvance)
                {
                    RunVirtualTime(client, OnLine, cancel);
                    TryStopTelemetry(client);
                    break;
                }
                DateTime lastTel = _clock.UtcNow;
                long rowsBefore = csv.Rows;
                while (Running())
                {
                    TimeSpan wait = TimeSpan.FromSeconds(1);
                    if (end is DateTime e && e - _clock.UtcNow < wait)
                    {
                        wait = e - _clock.UtcNow;
                    }
                    string? received = client.ReadAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                    if (received != null)
                    {
                        OnLine(received);
                    }
                    if (csv.Rows != rowsBefore)
                    {
                        rowsBefore = csv.Rows;
                        lastTel = _clock.UtcNow;
                    }
                    else if (_clock.UtcNow - lastTel > silenceLimit)
                    {
                        // Connected but silent: a reset whose !BOOT we missed, or TEL turned
                        // off by someone else. Asking again is harmless.
                        _telNeeded = true;
                        lastTel = _clock.UtcNow;
                    }
                    if (_telNeeded)
                    {
                        EnableTelemetry(client, OnLine);
                    }
                }
                TryStopTelemetry(client);
                break;
            }
            catch (IOException e)
            {
                line?.Dispose();
                line = null;
                if (!_everConnected)
                {
                    // A wrong port name or a silent device at the start is a mistake to
                    // report, not an unplug to wait out.
                    throw;
                }
                if (!Running())
                {
                    break;
                }
                if (connected)
                {
                    _linkLosses++;
                }
                else
                {
                    _failedAttempts++;
                }
                TimeSpan backoff = Backoff(failures++);
                _progress.Disconnected(e.Message, backoff);
                if (end is DateTime e2 && e2 - _clock.UtcNow < backoff)
                {
                    backoff = e2 - _clock.UtcNow;
                }
                if (backoff > TimeSpan.Zero)
                {
                    _clock.Sleep(backoff, cancel);
                }
            }
            finally
            {
                _corrupt += client?.CorruptLines ?? 0;
                line?.Dispose();
            }
        }
        return new LogSummary(csv.Rows, _seq.Lost, _seq.Gaps, _seq.RecentGaps.ToArray(), _seq.Restarts, _linkLosses, _failedAttempts,
            _malformed, _corrupt, balance?.Failures ?? 0, _clock.UtcNow - start);
    }

    // Virtual time: one SIM:ADVANCE per period; the device emits that period's !TEL line (and
    // any alarms) before its OK, and they are handled as they arrive. Duration is virtual.
    private void RunVirtualTime(PumpClient client, Action<string> onLine, CancellationToken cancel)
    {
        client.Timeout = TimeSpan.FromSeconds(Math.Max(10, _options.PeriodSeconds / 100.0));
        long total = _options.Duration is TimeSpan d ? (long)Math.Ceiling(d.TotalSeconds) : long.MaxValue;
        // A field, not a local: after a reconnect the run goes on where it was, not from 0.
        while (!cancel.IsCancellationRequested && _advancedSeconds < total)
        {
            DeviceReply reply = client.Request($"SIM:ADVANCE {_options.PeriodSeconds}", onLine);
            if (!reply.IsOk)
            {
                throw new LoggerException($"the device refused 'SIM:ADVANCE {_options.PeriodSeconds}': {reply.Status} " +
                    "(--sim-advance needs the virtual device with --clock manual)");
            }
            _advancedSeconds += _options.PeriodSeconds;
            if (_telNeeded)
            {
                EnableTelemetry(client, onLine);
            }
        }
    }

    /// <summary>1, 2, 4, 8, 16 s, then the maximum: quick after a blip, gentle during a long absence.</summary>
    public TimeSpan Backoff(int failures)
    {
        double seconds = Math.Pow(2, Math.Min(failures, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxBackoff.TotalSeconds));
    }

    private void EnableTelemetry(PumpClient client, Action<string> onLine)
    {
        _telNeeded = false;
        DeviceReply reply = client.Request($"TEL {_options.PeriodSeconds}", onLine);
        if (!reply.IsOk)
        {
            throw new LoggerException($"the device refused 'TEL {_options.PeriodSeconds}': {reply.Status}");
        }
    }

    private static void TryStopTelemetry(PumpClient client)
    {
        try
        {
            client.Request("TEL 0");
        }
        catch (IOException)
        {
            // The run is over either way; a device that cannot hear `TEL 0` will stop at its next reset.
        }
    }

    private void Handle(string line, TelemetryCsvWriter csv, MtSicsBalance? balance)
    {
        if (line.StartsWith("!TEL", StringComparison.Ordinal))
        {
            if (!TelemetryRecord.TryParse(line, out TelemetryRecord? record, out string error))
            {
                _malformed++;
                _progress.Event($"malformed telemetry ({error}): {line}");
                return;
            }
            DateTime received = _clock.UtcNow;
            decimal? mass = balance?.Read().Grams;
            long lost = _seq.Observe(record!.Seq);
            csv.Write(received, record, mass);
            _progress.Row(record, mass, csv.Rows, lost);
            return;
        }
        if (line.StartsWith("!BOOT", StringComparison.Ordinal))
        {
            // A reset turns telemetry off (PROTOCOL.md); switch it back on.
            _telNeeded = true;
        }
        _progress.Event(line);
    }
}
