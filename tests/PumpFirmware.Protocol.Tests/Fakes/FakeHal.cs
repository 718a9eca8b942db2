using PumpFirmware.Hal;

namespace PumpFirmware.Protocol.Tests.Fakes;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FakeClock : IMonotonicClock
{
    public long NowMicros { get; set; }
}

/// <summary>A battery-backed seconds counter: BaseSeconds at this boot plus the uptime (it keeps
/// running while the pump is on, and the test adds the off-time at a power cycle).</summary>
public sealed class FakeOffTimeClock : IOffTimeClock
{
    private readonly FakeClock _clock;
    public FakeOffTimeClock(FakeClock clock) => _clock = clock;
    public long BaseSeconds { get; set; } = 1_000_000;
    public long Seconds => BaseSeconds + _clock.NowMicros / 1_000_000;
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

/// <summary>Emits every issued step at once (a block completes before the next poll) and
/// remembers whether the driver was enabled when steps were issued.</summary>
public sealed class FakeStepGenerator : IStepGenerator
{
    private readonly FakeDriver _driver;
    public FakeStepGenerator(FakeDriver driver) => _driver = driver;
    public long Emitted { get; private set; }
    public int IssuedWhileDisabled { get; private set; }
    public int PendingSteps => 0;
    public int MaxBlockSteps => 64;
    public bool TryIssue(int steps, int intervalMicros)
    {
        if (steps < 1 || steps > MaxBlockSteps) return false;
        if (!_driver.IsEnabled) IssuedWhileDisabled += steps;
        Emitted += steps;
        return true;
    }
    public void Abort() { }
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
