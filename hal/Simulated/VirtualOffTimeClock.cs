// The battery-backed counter: world time in whole seconds, which runs on while the simulated
// pump is off. Its faults (SIM:RTC) model what such a counter does wrong: it can be made
// untrustworthy (battery pulled: it says so), it can jump (a glitch, someone setting the RTC
// module: it says nothing), and it can stop counting while still claiming to be fine (a dead
// oscillator: the off-time it reports lies).
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IOffTimeClock"/> reading the simulation's world time.</summary>
public sealed class VirtualOffTimeClock : IOffTimeClock
{
    private readonly VirtualClock _clock;
    private long _offsetSeconds;
    private bool _stuck;
    private long _stuckSeconds;

    /// <summary>Reads <paramref name="clock"/>'s world time.</summary>
    public VirtualOffTimeClock(VirtualClock clock) => _clock = clock;

    /// <summary>When false, <see cref="TryReadSeconds"/> fails (no battery).</summary>
    public bool Trusted { get; set; } = true;

    /// <summary>When true the counter stands still at the value it had, yet reads as trusted.</summary>
    public bool Stuck
    {
        get => _stuck;
        set
        {
            if (value && !_stuck) _stuckSeconds = Current();
            _stuck = value;
        }
    }

    /// <summary>Steps the counter by <paramref name="seconds"/> (either sign; it never reads below 0).</summary>
    public void Jump(long seconds)
    {
        if (_stuck) _stuckSeconds = Math.Max(0, _stuckSeconds + seconds);
        else _offsetSeconds += seconds;
    }

    /// <summary>A good counter again: trusted, running, reading world time.</summary>
    public void Repair()
    {
        Trusted = true;
        _stuck = false;
        _offsetSeconds = 0;
    }

    /// <inheritdoc/>
    public bool TryReadSeconds(out long seconds)
    {
        seconds = Trusted ? Current() : 0;
        return Trusted;
    }

    private long Current() => _stuck ? _stuckSeconds : Math.Max(0, _clock.WorldMicros / 1_000_000 + _offsetSeconds);
}
