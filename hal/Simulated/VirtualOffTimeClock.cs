// The battery-backed counter: world time, which runs on while the simulated pump is off, plus
// a base, so that a counter can carry on from where a previous process left it (the virtual
// device keeps its base in its --state folder: BatteryClockFile). It reads in µs as well as
// in whole seconds, so the firmware counts off-time exactly (a whole-seconds counter costs up to
// two seconds of lag per reset). It can be made untrustworthy (battery pulled) to test the
// unknown-off-time path.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IFineOffTimeClock"/> reading the simulation's world time plus <see cref="BaseMicros"/>.</summary>
public sealed class VirtualOffTimeClock : IFineOffTimeClock
{
    private readonly VirtualClock _clock;

    /// <summary>Reads <paramref name="clock"/>'s world time (plus <see cref="BaseMicros"/>).</summary>
    public VirtualOffTimeClock(VirtualClock clock) => _clock = clock;

    /// <summary>When false, both reads fail (no battery).</summary>
    public bool Trusted { get; set; } = true;

    /// <summary>The counter's value at world time 0, µs (may be negative: then the counter reads 0 until world
    /// time catches up). Set it to carry a counter across processes, or to make it jump (a lying counter).</summary>
    public long BaseMicros { get; set; }

    /// <summary>The counter now, µs (never below 0), whether trusted or not.</summary>
    public long CounterMicros => Math.Max(0, BaseMicros + _clock.WorldMicros);

    /// <inheritdoc/>
    public bool TryReadSeconds(out long seconds)
    {
        seconds = Trusted ? CounterMicros / 1_000_000 : 0;
        return Trusted;
    }

    /// <inheritdoc/>
    public bool TryReadMicros(out long micros)
    {
        micros = Trusted ? CounterMicros : 0;
        return Trusted;
    }
}
