// The battery-backed counter: world time, which runs on while the simulated pump is off, plus
// a base, so that a counter can carry on from where a previous process left it (the virtual
// device keeps its base in its --state folder: BatteryClockFile). It reads in µs as well as
// in whole seconds, so the firmware counts off-time exactly (a whole-seconds counter costs up to
// two seconds of lag per reset). It can be made untrustworthy (battery pulled) to test the
// unknown-off-time path, made to jump (BaseMicros), or made to stand still while still reading
// as trusted (Stuck: a dead oscillator, a counter that lies); SIM:RTC reaches all three.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IFineOffTimeClock"/> reading the simulation's world time plus <see cref="BaseMicros"/>.</summary>
public sealed class VirtualOffTimeClock : IFineOffTimeClock
{
    private readonly VirtualClock _clock;
    private bool _stuck;
    private long _stuckMicros;

    /// <summary>Reads <paramref name="clock"/>'s world time (plus <see cref="BaseMicros"/>).</summary>
    public VirtualOffTimeClock(VirtualClock clock) => _clock = clock;

    /// <summary>When false, both reads fail (no battery).</summary>
    public bool Trusted
    {
        get => _trusted;
        set => _trusted = value;
    }

    // Fields behind Trusted and BaseMicros: the firmware reads the counter at every main-loop pass that records a change.
    private bool _trusted = true;
    private long _baseMicros;

    /// <summary>The counter's value at world time 0, µs (may be negative: then the counter reads 0 until world
    /// time catches up). Set it to carry a counter across processes, or to make it jump (a lying counter).</summary>
    public long BaseMicros
    {
        get => _baseMicros;
        set => _baseMicros = value;
    }

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
    public long CounterMicros
    {
        get
        {
            if (_stuck) return _stuckMicros;
            long micros = _baseMicros + _clock.WorldMicros;
            return micros < 0 ? 0 : micros;
        }
    }

    /// <inheritdoc/>
    public bool TryReadSeconds(out long seconds)
    {
        seconds = _trusted ? CounterMicros / 1_000_000 : 0;
        return _trusted;
    }

    /// <inheritdoc/>
    public bool TryReadMicros(out long micros)
    {
        micros = _trusted ? CounterMicros : 0;
        return _trusted;
    }
}
