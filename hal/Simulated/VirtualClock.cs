// The simulation's one source of time. "World" time runs from the start of the simulation and
// never resets (it keeps running while the simulated pump is off); the pump's monotonic clock
// is world time minus the instant of the last boot, so it restarts at 0 at every boot as the
// ESP32's does. In manual mode world time moves only when told (SIM:ADVANCE, scenarios), so
// a session is deterministic; in real mode it follows the host's monotonic clock plus every
// jump it was told to make.
using System.Diagnostics;

namespace PumpFirmware.Hal.Simulated;

/// <summary>How the virtual clock moves.</summary>
public enum ClockMode
{
    /// <summary>Only <see cref="VirtualClock.AdvanceTo"/> / <see cref="VirtualClock.Advance"/> move it.</summary>
    Manual,
    /// <summary>Follows the host's monotonic clock, plus any explicit advances.</summary>
    Real,
}

/// <summary>The pump's <see cref="IMonotonicClock"/>: µs since the last simulated boot.</summary>
public sealed class VirtualClock : IMonotonicClock
{
    private readonly Stopwatch _host = Stopwatch.StartNew();
    private long _manualWorldMicros;
    private long _bootWorldMicros;
    private readonly bool _manual;

    /// <summary>Creates a clock at world time 0.</summary>
    public VirtualClock(ClockMode mode)
    {
        Mode = mode;
        _manual = mode == ClockMode.Manual;
    }

    /// <summary>Manual or real.</summary>
    public ClockMode Mode { get; }

    /// <summary>µs since the simulation started, off-time included. Never decreases.</summary>
    // Read several times in every main-loop pass (the firmware's clock, the step generator, the watchdog, the driver's
    // history): a plain field test, not the property and the enum compare.
    public long WorldMicros => _manual ? _manualWorldMicros : RealWorldMicros();

    /// <summary>The world time of the last boot.</summary>
    public long BootWorldMicros => _bootWorldMicros;

    /// <inheritdoc/>
    // The firmware's clock, read at every main-loop pass through the power domain's gate: the fields directly, without
    // the call to WorldMicros, and with the host clock's reading out of line, so that this stays a few instructions.
    public long NowMicros
    {
        get
        {
            if (_manual) return _manualWorldMicros - _bootWorldMicros;
            return RealWorldMicros() - _bootWorldMicros;
        }
    }

    private long RealWorldMicros() => _manualWorldMicros + _host.Elapsed.Ticks / 10;

    /// <summary>Moves world time forward by <paramref name="micros"/> (≥ 0).</summary>
    public void Advance(long micros)
    {
        if (micros < 0) throw new ArgumentOutOfRangeException(nameof(micros), "time never goes backwards");
        _manualWorldMicros += micros;
    }

    /// <summary>Moves the pump's clock forward to <paramref name="nowMicros"/> (since boot); no-op if already past.</summary>
    public void AdvanceTo(long nowMicros)
    {
        long delta = nowMicros - NowMicros;
        if (delta > 0) _manualWorldMicros += delta;
    }

    /// <summary>A boot: the pump's clock restarts at 0 now.</summary>
    public void Reboot() => _bootWorldMicros = WorldMicros;
}
