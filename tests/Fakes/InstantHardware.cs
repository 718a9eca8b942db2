// Hardware fakes with no timing of their own, shared by the benchmarks and the fuzz harness
// (linked into both projects): the caller moves the clock, and every step block completes the
// moment it is issued, so a run measures or explores the firmware and nothing else.
using PumpFirmware.Hal;

namespace PumpFirmware.Fakes;

/// <summary>A monotonic clock the caller sets.</summary>
internal sealed class ManualClock : IMonotonicClock { public long NowMicros { get; set; } }

/// <summary>A motor driver that only records whether it is enabled.</summary>
internal sealed class InstantDriver : IMotorDriver
{
    public bool IsEnabled { get; private set; }
    public void Enable() => IsEnabled = true;
    public void Disable() => IsEnabled = false;
}

/// <summary>A step generator whose blocks complete at once and are all confirmed.</summary>
internal sealed class InstantSteps : IStepGenerator, IStepFeedback
{
    private long _emitted;
    public int PendingSteps => 0;
    public int MaxBlockSteps => 64;
    public bool TryIssue(int steps, int intervalMicros) { _emitted += steps; return true; }
    public void Abort() { }
    public long ConfirmedSteps => _emitted;
}

/// <summary>A buzzer that makes no sound.</summary>
internal sealed class SilentBuzzer : IPwmOutput { public void Set(int frequencyHz, int dutyPermille) { } public void Stop() { } }

/// <summary>A watchdog that is never hungry.</summary>
internal sealed class NullWatchdog : IWatchdog { public void Feed() { } }
