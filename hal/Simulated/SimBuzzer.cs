// The alarm buzzer. It records the pattern the firmware plays (a bounded list of changes)
// and the total time it sounded, so tests can check that an alarm sounds and an ACK silences it.
namespace PumpFirmware.Hal.Simulated;

/// <summary>An <see cref="IPwmOutput"/> that records what it was told to play.</summary>
public sealed class SimBuzzer : IPwmOutput
{
    private const int PatternCapacity = 256;
    private readonly IMonotonicClock _clock;
    private readonly Queue<(long Micros, int FrequencyHz, int DutyPermille)> _pattern = new();
    private long _soundingSinceMicros = -1;
    private long _soundedMicros;

    /// <summary>Creates a silent buzzer stamped by <paramref name="clock"/>.</summary>
    public SimBuzzer(IMonotonicClock clock) => _clock = clock;

    /// <summary>Current frequency (Hz); 0 when stopped.</summary>
    public int FrequencyHz { get; private set; }

    /// <summary>Current duty (‰); 0 when silent.</summary>
    public int DutyPermille { get; private set; }

    /// <summary>True while a non-zero duty is applied.</summary>
    public bool IsSounding => DutyPermille > 0 && FrequencyHz > 0;

    /// <summary>Total µs of pump time it sounded (completed intervals plus the current one).</summary>
    public long SoundedMicros => _soundedMicros + (_soundingSinceMicros >= 0 ? _clock.NowMicros - _soundingSinceMicros : 0);

    /// <summary>The last changes (at most 256): pump clock µs, frequency, duty.</summary>
    public IReadOnlyCollection<(long Micros, int FrequencyHz, int DutyPermille)> Pattern => _pattern;

    /// <inheritdoc/>
    public void Set(int frequencyHz, int dutyPermille)
    {
        if (frequencyHz < 1 || frequencyHz > 40000) throw new ArgumentOutOfRangeException(nameof(frequencyHz));
        if (dutyPermille < 0 || dutyPermille > 1000) throw new ArgumentOutOfRangeException(nameof(dutyPermille));
        Change(frequencyHz, dutyPermille);
    }

    /// <inheritdoc/>
    public void Stop() => Change(0, 0);

    /// <summary>A power loss: silent, history kept.</summary>
    public void PowerLoss()
    {
        Change(0, 0);
        _soundingSinceMicros = -1;
    }

    private void Change(int frequencyHz, int dutyPermille)
    {
        if (frequencyHz == FrequencyHz && dutyPermille == DutyPermille) return;
        long now = _clock.NowMicros;
        if (_soundingSinceMicros >= 0)
        {
            _soundedMicros += now - _soundingSinceMicros;
            _soundingSinceMicros = -1;
        }
        FrequencyHz = frequencyHz;
        DutyPermille = dutyPermille;
        if (IsSounding) _soundingSinceMicros = now;
        if (_pattern.Count == PatternCapacity) _pattern.Dequeue();
        _pattern.Enqueue((now, frequencyHz, dutyPermille));
    }
}
