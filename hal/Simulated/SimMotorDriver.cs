// The power stage. It starts disabled (fail closed) and keeps a bounded history of its
// transitions, so tests can check that every fault path disabled the motor and when.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IMotorDriver"/> that records enable/disable transitions.</summary>
public sealed class SimMotorDriver : IMotorDriver
{
    private const int HistoryCapacity = 256;
    private readonly IMonotonicClock _clock;
    private readonly Queue<(long Micros, bool Enabled)> _history = new();

    /// <summary>Creates a disabled driver; transitions are stamped with <paramref name="clock"/>.</summary>
    public SimMotorDriver(IMonotonicClock clock) => _clock = clock;

    /// <inheritdoc/>
    public bool IsEnabled { get; private set; }

    /// <summary>Number of disabled→enabled transitions.</summary>
    public long EnableCount { get; private set; }

    /// <summary>Number of enabled→disabled transitions.</summary>
    public long DisableCount { get; private set; }

    /// <summary>The last transitions (at most 256), oldest first: pump clock µs and new level.</summary>
    public IReadOnlyCollection<(long Micros, bool Enabled)> History => _history;

    /// <inheritdoc/>
    public void Enable()
    {
        if (IsEnabled) return;
        IsEnabled = true;
        EnableCount++;
        Record(true);
    }

    /// <inheritdoc/>
    public void Disable()
    {
        if (!IsEnabled) return;
        IsEnabled = false;
        DisableCount++;
        Record(false);
    }

    /// <summary>A power loss: the stage loses power and is disabled without a call from firmware.</summary>
    public void PowerLoss()
    {
        IsEnabled = false;
        _history.Clear();
    }

    private void Record(bool enabled)
    {
        if (_history.Count == HistoryCapacity) _history.Dequeue();
        _history.Enqueue((_clock.NowMicros, enabled));
    }
}
