// The pulse source. A block of steps is emitted one every interval from the moment it was
// issued, in virtual time: nothing happens until the clock passes a pulse's time, so a step
// block takes as long as it would on the RMT peripheral, and a power loss in the middle of a
// block loses its remaining pulses. Emission is computed lazily from the clock (no thread).
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IStepGenerator"/> in virtual time, driving a <see cref="PumpPlant"/>.</summary>
public sealed class VirtualStepGenerator : IStepGenerator
{
    private readonly VirtualClock _clock;
    private readonly PumpPlant _plant;
    private long _blockStartMicros;
    private int _blockIntervalMicros;
    private int _blockSteps;
    private int _blockEmitted;
    // Pump clock µs of the block's next pulse (_blockStartMicros + _blockEmitted * _blockIntervalMicros): Sync, which every
    // reader calls, several times per main-loop pass, returns at once before it without dividing.
    private long _nextPulseMicros;

    /// <summary>Creates a generator.</summary>
    /// <param name="clock">The pump's clock.</param>
    /// <param name="plant">Receives the emitted pulses.</param>
    /// <param name="minIntervalMicros">The board's shortest step interval (1e6 / max steps per second).</param>
    /// <param name="maxBlockSteps">The largest block accepted.</param>
    public VirtualStepGenerator(VirtualClock clock, PumpPlant plant, int minIntervalMicros = 1000, int maxBlockSteps = 1000)
    {
        _clock = clock;
        _plant = plant;
        _minIntervalMicros = minIntervalMicros;
        _maxBlockSteps = maxBlockSteps;
        plant.Attach(this);
    }

    // Fields rather than auto-properties: the step path reads and bumps them once per step.
    private readonly int _minIntervalMicros;
    private readonly int _maxBlockSteps;
    private long _emittedSteps;
    private long _blocks;

    /// <summary>The board's minimum step interval, µs.</summary>
    public int MinIntervalMicros => _minIntervalMicros;

    /// <inheritdoc/>
    public int MaxBlockSteps => _maxBlockSteps;

    /// <summary>Steps emitted since construction.</summary>
    public long EmittedSteps => _emittedSteps;

    /// <summary>Blocks accepted since construction.</summary>
    public long Blocks => _blocks;

    /// <inheritdoc/>
    public int PendingSteps
    {
        get
        {
            if (_blockSteps != _blockEmitted) Sync(); // idle: what Sync would conclude at once
            return _blockSteps - _blockEmitted;
        }
    }

    /// <summary>Pump clock µs at which the current block's last pulse is emitted (or now, if idle).</summary>
    public long BusyUntilMicros => _blockSteps == _blockEmitted
        ? _clock.NowMicros
        : _blockStartMicros + (long)(_blockSteps - 1) * _blockIntervalMicros;

    /// <inheritdoc/>
    public bool TryIssue(int steps, int intervalMicros)
    {
        Sync();
        if (steps < 1 || steps > _maxBlockSteps || intervalMicros < _minIntervalMicros) return false;
        if (_blockSteps != _blockEmitted) return false; // busy
        _blockStartMicros = _clock.NowMicros;
        _blockIntervalMicros = intervalMicros;
        _blockSteps = steps;
        _blockEmitted = 0;
        _blocks++;
        // The first pulse goes out at once: what Sync computes at the block's start (1 pulse due, at the start), without
        // its division; the next one is due an interval later.
        _blockEmitted = 1;
        _nextPulseMicros = _blockStartMicros + intervalMicros;
        _emittedSteps++;
        _plant.OnPulses(1, _blockStartMicros);
        return true;
    }

    /// <inheritdoc/>
    public void Abort()
    {
        Sync();
        _blockSteps = _blockEmitted;
    }

    /// <summary>A power loss: queued pulses vanish.</summary>
    public void PowerLoss()
    {
        Sync();
        _blockSteps = _blockEmitted = 0;
    }

    /// <summary>Emits every pulse whose time has come (called by every reader).</summary>
    public void Sync()
    {
        if (_blockSteps == _blockEmitted) return;
        long now = _clock.NowMicros;
        if (now < _nextPulseMicros) return; // no pulse due yet (also a clock rebooted under a block)
        long elapsed = now - _blockStartMicros;
        if (elapsed < 0) return; // the clock was rebooted under a block (power loss handled it)
        long due = elapsed / _blockIntervalMicros + 1;
        if (due > _blockSteps) due = _blockSteps;
        long fresh = due - _blockEmitted;
        if (fresh <= 0) return;
        _blockEmitted = (int)due;
        _nextPulseMicros = _blockStartMicros + due * _blockIntervalMicros;
        _emittedSteps += fresh;
        _plant.OnPulses(fresh, _blockStartMicros + (due - 1) * _blockIntervalMicros);
    }
}
