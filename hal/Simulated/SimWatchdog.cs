// The watchdog. The virtual device checks it after each main-loop pass: if the firmware went
// longer than the timeout (on the pump's clock) without feeding it, the device resets with
// reset=WATCHDOG. A manual clock only jumps to wake times the firmware asked for, so a
// healthy firmware that feeds it on each pass never trips it.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IWatchdog"/> that reports when it would have fired.</summary>
public sealed class SimWatchdog : IWatchdog
{
    private readonly IMonotonicClock _clock;
    // The virtual device's clock, read directly rather than through the interface (fed at every main-loop pass).
    private readonly VirtualClock? _virtualClock;
    private long _lastFeedMicros;
    private long _feeds;

    /// <summary>Creates a watchdog with the given timeout (µs of pump time).</summary>
    public SimWatchdog(IMonotonicClock clock, long timeoutMicros)
    {
        _clock = clock;
        _virtualClock = clock as VirtualClock;
        TimeoutMicros = timeoutMicros;
        _lastFeedMicros = clock.NowMicros;
    }

    /// <summary>The timeout in µs.</summary>
    public long TimeoutMicros { get; }

    /// <summary>Pump clock µs of the last feed.</summary>
    public long LastFeedMicros => _lastFeedMicros;

    /// <summary>Feeds since construction.</summary>
    public long Feeds => _feeds;

    /// <inheritdoc/>
    public void Feed()
    {
        if (_virtualClock != null) _lastFeedMicros = _virtualClock.NowMicros;
        else _lastFeedMicros = _clock.NowMicros;
        _feeds++;
    }

    /// <summary>True when the pump's clock is past the last feed plus the timeout.</summary>
    public bool HasExpired => _clock.NowMicros - _lastFeedMicros > TimeoutMicros;

    /// <summary>Restarts the timeout (at boot).</summary>
    public void Reset() => _lastFeedMicros = _clock.NowMicros;
}
