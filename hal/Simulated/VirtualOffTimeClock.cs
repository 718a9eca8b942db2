// The battery-backed counter: world time in whole seconds, which runs on while the simulated
// pump is off. It can be made untrustworthy (battery pulled) to test the conservative path.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IOffTimeClock"/> reading the simulation's world time.</summary>
public sealed class VirtualOffTimeClock : IOffTimeClock
{
    private readonly VirtualClock _clock;

    /// <summary>Reads <paramref name="clock"/>'s world time.</summary>
    public VirtualOffTimeClock(VirtualClock clock) => _clock = clock;

    /// <summary>When false, <see cref="TryReadSeconds"/> fails (no battery).</summary>
    public bool Trusted { get; set; } = true;

    /// <inheritdoc/>
    public bool TryReadSeconds(out long seconds)
    {
        seconds = Trusted ? _clock.WorldMicros / 1_000_000 : 0;
        return Trusted;
    }
}
