using PumpFirmware.Hal;

namespace PumpFirmware.Protocol.Tests.Fakes;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FakeClock : IMonotonicClock
{
    public long NowMicros { get; set; }
}

/// <summary>A battery-backed whole-seconds counter (as an RTC module's): its true value is BaseMicros at this
/// boot plus the uptime (it keeps running while the pump is on, and the test adds the off-time at a power
/// cycle); a read gives the whole seconds of it.</summary>
public sealed class FakeOffTimeClock : IOffTimeClock
{
    private readonly FakeClock _clock;
    public FakeOffTimeClock(FakeClock clock) => _clock = clock;
    public long BaseMicros { get; set; } = 1_000_000_000_000;
    public long BaseSeconds { get => BaseMicros / 1_000_000; set => BaseMicros = value * 1_000_000; }
    public long TrueMicros => BaseMicros + _clock.NowMicros;
    public long Seconds => TrueMicros / 1_000_000;
    public bool Valid { get; set; } = true;

    public bool TryReadSeconds(out long seconds)
    {
        seconds = Seconds;
        return Valid;
    }
}

/// <summary>Records enable/disable; starts disabled.</summary>
public sealed class FakeDriver : IMotorDriver
{
    public int Enables { get; private set; }
    public bool IsEnabled { get; private set; }
    public void Enable() { IsEnabled = true; Enables++; }
    public void Disable() => IsEnabled = false;
}

/// <summary>Emits a block's steps over time, one every interval from the moment it is issued
/// (as RMT on the ESP32 and the virtual device's generator do); one block at a time.</summary>
public sealed class FakeStepGenerator : IStepGenerator
{
    private readonly FakeDriver _driver;
    private readonly FakeClock _clock;
    private long _done;        // steps of finished or aborted blocks that were emitted
    private long _blockStart;
    private long _blockInterval = 1;
    private int _blockCount;
    public FakeStepGenerator(FakeDriver driver, FakeClock clock) { _driver = driver; _clock = clock; }
    public int IssuedWhileDisabled { get; private set; }
    public long Aborted { get; private set; }
    private int EmittedInBlock => _blockCount == 0 || _clock.NowMicros < _blockStart ? 0
        : (int)Math.Min(_blockCount, (_clock.NowMicros - _blockStart) / _blockInterval + 1);
    public long Emitted => _done + EmittedInBlock;
    public int PendingSteps => _blockCount - EmittedInBlock;
    public int MaxBlockSteps => 64;
    public bool TryIssue(int steps, int intervalMicros)
    {
        if (steps < 1 || steps > MaxBlockSteps || PendingSteps > 0 || intervalMicros < 1) return false;
        if (!_driver.IsEnabled) IssuedWhileDisabled += steps;
        _done += EmittedInBlock;
        _blockStart = _clock.NowMicros;
        _blockInterval = intervalMicros;
        _blockCount = steps;
        return true;
    }
    public void Abort()
    {
        int emitted = EmittedInBlock;
        Aborted += _blockCount - emitted;
        _done += emitted;
        _blockCount = 0;
    }
}

/// <summary>Confirms every emitted step unless Stalled.</summary>
public sealed class FakeFeedback : IStepFeedback
{
    private readonly FakeStepGenerator _generator;
    private long _lost;
    private long _seen;
    public FakeFeedback(FakeStepGenerator generator) => _generator = generator;
    public bool Stalled { get; set; }
    public long ConfirmedSteps
    {
        get
        {
            long emitted = _generator.Emitted;
            if (Stalled) _lost += emitted - _seen;
            _seen = emitted;
            return emitted - _lost;
        }
    }
}

public sealed class FakeInput : IDigitalInput
{
    public bool IsAsserted { get; set; }
}

/// <summary>Records every buzzer call as "Set f d" or "Stop".</summary>
public sealed class FakeBuzzer : IPwmOutput
{
    public List<string> Calls { get; } = new();
    public void Set(int frequencyHz, int dutyPermille) => Calls.Add($"Set {frequencyHz} {dutyPermille}");
    public void Stop() => Calls.Add("Stop");
}

public sealed class FakeWatchdog : IWatchdog
{
    public long Feeds { get; private set; }
    public void Feed() => Feeds++;
}
