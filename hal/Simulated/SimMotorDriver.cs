// The power stage. It starts disabled (fail closed) and keeps a bounded history of its
// transitions, so tests can check that every fault path disabled the motor and when.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IMotorDriver"/> that records enable/disable transitions.</summary>
public sealed class SimMotorDriver : IMotorDriver
{
    private const int HistoryCapacity = 256;
    private readonly IMonotonicClock _clock;
    // A ring of the last transitions: the driver toggles twice per step, so recording must not cost a queue's work.
    private readonly long[] _historyMicros = new long[HistoryCapacity];
    private readonly bool[] _historyEnabled = new bool[HistoryCapacity];
    private int _historyNext;
    private int _historyCount;

    // The virtual device's clock, read directly rather than through the interface (the driver toggles twice per step).
    private readonly VirtualClock? _virtualClock;
    private bool _enabled;
    private long _enableCount;
    private long _disableCount;

    /// <summary>Creates a disabled driver; transitions are stamped with <paramref name="clock"/>.</summary>
    public SimMotorDriver(IMonotonicClock clock)
    {
        _clock = clock;
        _virtualClock = clock as VirtualClock;
    }

    /// <inheritdoc/>
    public bool IsEnabled => _enabled;

    /// <summary>Number of disabled→enabled transitions.</summary>
    public long EnableCount => _enableCount;

    /// <summary>Number of enabled→disabled transitions.</summary>
    public long DisableCount => _disableCount;

    /// <summary>The last transitions (at most 256), oldest first: pump clock µs and new level.</summary>
    public IReadOnlyCollection<(long Micros, bool Enabled)> History
    {
        get
        {
            var list = new (long Micros, bool Enabled)[_historyCount];
            int first = (_historyNext - _historyCount + HistoryCapacity) % HistoryCapacity;
            for (int i = 0; i < _historyCount; i++)
            {
                int k = (first + i) % HistoryCapacity;
                list[i] = (_historyMicros[k], _historyEnabled[k]);
            }
            return list;
        }
    }

    /// <inheritdoc/>
    public void Enable()
    {
        if (_enabled) return;
        _enabled = true;
        _enableCount++;
        Record(Now(), true);
    }

    /// <inheritdoc/>
    public void Disable()
    {
        if (!_enabled) return;
        _enabled = false;
        _disableCount++;
        Record(Now(), false);
    }

    /// <summary>A power loss: the stage loses power and is disabled without a call from firmware.</summary>
    public void PowerLoss()
    {
        _enabled = false;
        _historyCount = 0;
    }

    // The virtual clock directly where there is one, else through the interface.
    private long Now() => _virtualClock != null ? _virtualClock.NowMicros : _clock.NowMicros;

    // The ring's update, given the time: it calls nothing (the clock is read by the caller).
    private void Record(long now, bool enabled)
    {
        int next = _historyNext;
        _historyMicros[next] = now;
        _historyEnabled[next] = enabled;
        next++;
        if (next == HistoryCapacity) next = 0;
        _historyNext = next;
        if (_historyCount < HistoryCapacity) _historyCount++;
    }
}
