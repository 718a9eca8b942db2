// The battery-backed counter: world time in whole seconds, which runs on while the simulated
// pump is off. It can be made untrustworthy (battery pulled: it says so) to test the
// conservative path, made to jump (BaseMicros: a glitch, someone setting the RTC module) or to
// stand still while still claiming to be fine (Stuck: a dead oscillator), the two ways a
// counter lies (SIM:RTC).
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IOffTimeClock"/> reading the simulation's world time plus <see cref="BaseMicros"/>.</summary>
public sealed class VirtualOffTimeClock : IOffTimeClock
{
    private readonly VirtualClock _clock;
    private bool _stuck;
    private long _stuckMicros;

    /// <summary>Reads <paramref name="clock"/>'s world time.</summary>
    public VirtualOffTimeClock(VirtualClock clock) => _clock = clock;

    /// <summary>When false, <see cref="TryReadSeconds"/> fails (no battery).</summary>
    public bool Trusted { get; set; } = true;

    /// <summary>The counter's value at world time 0, µs (may be negative: then the counter reads 0
    /// until world time catches up). Changing it makes the counter jump.</summary>
    public long BaseMicros { get; set; }

    /// <summary>When true the counter stands still at the value it had, yet reads as trusted.</summary>
    public bool Stuck
    {
        get => _stuck;
        set
        {
            if (value && !_stuck) _stuckMicros = CounterMicros;
            _stuck = value;
        }
    }

    /// <summary>The counter now, µs (never below 0), whether trusted or not.</summary>
    public long CounterMicros => _stuck ? _stuckMicros : Math.Max(0, BaseMicros + _clock.WorldMicros);

    /// <inheritdoc/>
    public bool TryReadSeconds(out long seconds)
    {
        seconds = Trusted ? CounterMicros / 1_000_000 : 0;
        return Trusted;
    }
}
