// The replay's hardware: deterministic, in-memory fakes of every HAL interface, written in the
// nanoFramework subset (no generics, no LINQ, no double) so that the very same source runs on
// .NET and on nanoCLR. This one file is also the hardware of the device tests
// (tests/PumpFirmware.Device.Tests) and of the protocol tests' TestDevice
// (tests/PumpFirmware.Protocol.Tests/Fakes), which link it: the transcript replays on the same
// fakes in all three. Only the protocol tests' buzzer is their own (FakeHal.cs): it records
// every call in a List<string>, which nanoFramework cannot compile.
// Host-only code may use this file; this file must never use host-only code.
using PumpFirmware.Hal;

namespace PumpFirmware.Replay
{
    /// <summary>A monotonic clock the replay moves by hand, µs.</summary>
    public sealed class ReplayClock : IMonotonicClock
    {
        /// <inheritdoc/>
        public long NowMicros { get; set; }
    }

    /// <summary>A battery-backed whole-seconds counter (as an RTC module's): its true value is
    /// <see cref="BaseMicros"/> at this boot plus the uptime (it keeps counting while the pump is on;
    /// a power cycle adds the off-time); a read gives the whole seconds of it.</summary>
    public sealed class ReplayOffTimeClock : IOffTimeClock
    {
        private readonly ReplayClock _clock;

        /// <summary>Counts on <paramref name="clock"/>'s uptime.</summary>
        public ReplayOffTimeClock(ReplayClock clock) { _clock = clock; }

        /// <summary>The counter's true value at this boot, µs (a real counter is part-way through a second).</summary>
        public long BaseMicros;

        /// <summary>The counter at this boot, s (whole seconds: sets <see cref="BaseMicros"/>).</summary>
        public long BaseSeconds { get { return BaseMicros / 1000000; } set { BaseMicros = value * 1000000; } }

        /// <summary>Whether the counter kept its value (false: a flat backup battery).</summary>
        public bool Valid = true;

        /// <summary>The counter's true value now, µs.</summary>
        public long TrueMicros { get { return BaseMicros + _clock.NowMicros; } }

        /// <summary>The counter now, whole s.</summary>
        public long Seconds { get { return TrueMicros / 1000000; } }

        /// <inheritdoc/>
        public bool TryReadSeconds(out long seconds)
        {
            seconds = Seconds;
            return Valid;
        }
    }

    /// <summary>A motor driver that records whether it is enabled; starts disabled.</summary>
    public sealed class ReplayDriver : IMotorDriver
    {
        /// <inheritdoc/>
        public bool IsEnabled { get; private set; }

        /// <inheritdoc/>
        public void Enable() { IsEnabled = true; }

        /// <inheritdoc/>
        public void Disable() { IsEnabled = false; }
    }

    /// <summary>Emits a block's steps over time, one every interval from the moment it is issued
    /// (as the RMT does on the ESP32); one block at a time. Also the step feedback: every emitted
    /// step is confirmed unless <see cref="Stalled"/>.</summary>
    public sealed class ReplaySteps : IStepGenerator, IStepFeedback
    {
        private readonly ReplayDriver _driver;
        private readonly ReplayClock _clock;
        private long _done;          // steps of finished or aborted blocks that were emitted
        private long _blockStartMicros;
        private long _blockIntervalMicros = 1;
        private int _blockCount;
        private long _lost;
        private long _seen;

        /// <summary>Steps pulses while <paramref name="driver"/> is (or is not) enabled, on <paramref name="clock"/>.</summary>
        public ReplaySteps(ReplayDriver driver, ReplayClock clock)
        {
            _driver = driver;
            _clock = clock;
        }

        /// <summary>When true, emitted steps are not confirmed (a motor that does not turn).</summary>
        public bool Stalled;

        /// <summary>Steps issued while the driver was disabled (must stay 0).</summary>
        public long IssuedWhileDisabled;

        /// <summary>Queued steps dropped by <see cref="Abort"/>.</summary>
        public long Aborted;

        private int EmittedInBlock
        {
            get
            {
                if (_blockCount == 0 || _clock.NowMicros < _blockStartMicros) return 0;
                long emitted = (_clock.NowMicros - _blockStartMicros) / _blockIntervalMicros + 1;
                return emitted < _blockCount ? (int)emitted : _blockCount;
            }
        }

        /// <summary>Every step pulse emitted so far.</summary>
        public long Emitted { get { return _done + EmittedInBlock; } }

        /// <inheritdoc/>
        public int PendingSteps { get { return _blockCount - EmittedInBlock; } }

        /// <inheritdoc/>
        public int MaxBlockSteps { get { return 64; } }

        /// <inheritdoc/>
        public bool TryIssue(int steps, int intervalMicros)
        {
            if (steps < 1 || steps > MaxBlockSteps || PendingSteps > 0 || intervalMicros < 1) return false;
            if (!_driver.IsEnabled) IssuedWhileDisabled += steps;
            _done += EmittedInBlock;
            _blockStartMicros = _clock.NowMicros;
            _blockIntervalMicros = intervalMicros;
            _blockCount = steps;
            return true;
        }

        /// <inheritdoc/>
        public void Abort()
        {
            int emitted = EmittedInBlock;
            Aborted += _blockCount - emitted;
            _done += emitted;
            _blockCount = 0;
        }

        /// <inheritdoc/>
        public long ConfirmedSteps
        {
            get
            {
                long emitted = Emitted;
                if (Stalled) _lost += emitted - _seen;
                _seen = emitted;
                return emitted - _lost;
            }
        }
    }

    /// <summary>A digital input the replay sets.</summary>
    public sealed class ReplayInput : IDigitalInput
    {
        /// <inheritdoc/>
        public bool IsAsserted { get; set; }
    }

    /// <summary>A buzzer that counts its calls.</summary>
    public sealed class ReplayBuzzer : IPwmOutput
    {
        /// <summary>Calls to <see cref="Set"/>.</summary>
        public int Sets;

        /// <inheritdoc/>
        public void Set(int frequencyHz, int dutyPermille) { Sets++; }

        /// <inheritdoc/>
        public void Stop() { }
    }

    /// <summary>A watchdog that counts its feeds.</summary>
    public sealed class ReplayWatchdog : IWatchdog
    {
        /// <summary>Feeds so far.</summary>
        public long Feeds;

        /// <inheritdoc/>
        public void Feed() { Feeds++; }
    }
}
