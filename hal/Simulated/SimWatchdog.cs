// The watchdog. The virtual device checks it after each main-loop pass: if the firmware went
// longer than the timeout (on the pump's clock) without feeding it, the device resets with
// reset=WATCHDOG. A manual clock only jumps to wake times the firmware asked for, so a
// healthy firmware that feeds it on each pass never trips it.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IWatchdog"/> that reports when it would have fired.</summary>
public sealed class SimWatchdog : IWatchdog
{
    private readonly IMonotonicClock _clock;

    /// <summary>Creates a watchdog with the given timeout (µs of pump time).</summary>
    public SimWatchdog(IMonotonicClock clock, long timeoutMicros)
    {
        _clock = clock;
        TimeoutMicros = timeoutMicros;
        LastFeedMicros = clock.NowMicros;
    }

    /// <summary>The timeout in µs.</summary>
    public long TimeoutMicros { get; }

    /// <summary>Pump clock µs of the last feed.</summary>
    public long LastFeedMicros { get; private set; }

    /// <summary>Feeds since construction.</summary>
    public long Feeds { get; private set; }

    /// <inheritdoc/>
    public void Feed()
    {
        LastFeedMicros = _clock.NowMicros;
        Feeds++;
    }

    /// <summary>True when the pump's clock is past the last feed plus the timeout.</summary>
    public bool HasExpired => _clock.NowMicros - LastFeedMicros > TimeoutMicros;

    /// <summary>Restarts the timeout (at boot).</summary>
    public void Reset() => LastFeedMicros = _clock.NowMicros;
}
