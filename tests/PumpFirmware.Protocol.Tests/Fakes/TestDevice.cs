using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Replay;
using PumpFirmware.Storage;

namespace PumpFirmware.Protocol.Tests.Fakes;

/// <summary>The firmware application on fake hardware with a hand-moved clock: send a line,
/// get the lines it answered; advance virtual time through every wake-up.</summary>
public sealed class TestDevice
{
    public const int MaxStepsPerSecond = 1000;

    public FakeSerialLink Link { get; } = new();
    public ReplayClock Clock { get; } = new();
    public ReplayOffTimeClock OffClock { get; }
    public ReplayDriver Driver { get; } = new();
    /// <summary>The step generator, which is also the step feedback (<see cref="Feedback"/>).</summary>
    public ReplaySteps Steps { get; }
    public ReplaySteps Feedback => Steps;
    public ReplayInput Occlusion { get; } = new();
    public ReplayInput LowBattery { get; } = new();
    public FakeBuzzer Buzzer { get; } = new();
    public ReplayWatchdog Watchdog { get; } = new();
    public PumpApplication App { get; }
    public PumpHardware Hardware { get; }

    public TestDevice(byte[]? savedState = null, ResetCause cause = ResetCause.Power, bool boot = true, byte[]? savedLog = null, long offClockSeconds = 1_000_000, bool offClockValid = true, long? offClockMicros = null, Action<PumpApplication>? configure = null)
    {
        OffClock = new ReplayOffTimeClock(Clock) { BaseMicros = offClockMicros ?? offClockSeconds * 1_000_000, Valid = offClockValid };
        Steps = new ReplaySteps(Driver, Clock);
        Hardware = new PumpHardware
        {
            Serial = Link,
            Clock = Clock,
            OffTimeClock = OffClock,
            Driver = Driver,
            Steps = Steps,
            Feedback = Feedback,
            Occlusion = Occlusion,
            LowBattery = LowBattery,
            Buzzer = Buzzer,
            Watchdog = Watchdog,
            MaxStepsPerSecond = MaxStepsPerSecond,
        };
        App = new PumpApplication(Hardware, new DeviceIdentity("OpenPump", "PF-1", "SN0001", "1.0.0"));
        configure?.Invoke(App);
        if (savedLog != null && !App.Log.Load(new StateReader(savedLog, 0, savedLog.Length))) throw new InvalidOperationException("log did not load");
        if (savedState != null && !App.LoadState(new StateReader(savedState, 0, savedState.Length))) throw new InvalidOperationException("state did not load");
        if (boot) App.Boot(cause, 0);
    }

    /// <summary>Sends one request line (LF appended) and returns every line sent in answer.</summary>
    public List<string> Send(string line)
    {
        Link.Receive(line + "\n");
        App.Poll();
        return Link.TakeLines();
    }

    /// <summary>Sends a line and returns its status line (the last line), asserting there is exactly one.</summary>
    public string Status(string line)
    {
        var lines = Send(line);
        var status = lines.Where(l => !l.StartsWith('!')).ToList();
        if (status.Count != 1) throw new InvalidOperationException($"'{line}' got {status.Count} status lines: {string.Join(" | ", lines)}");
        return status[0];
    }

    /// <summary>Moves the clock forward by <paramref name="seconds"/>, servicing every wake-up on the way.</summary>
    public List<string> Advance(double seconds)
    {
        long target = Clock.NowMicros + (long)(seconds * 1_000_000);
        while (true)
        {
            long next = App.NextWakeMicros;
            if (next > target) break;
            if (next > Clock.NowMicros) Clock.NowMicros = next;
            App.Service();
        }
        Clock.NowMicros = target;
        App.Service();
        return Link.TakeLines();
    }

    /// <summary>Power off now (after a final save, as the journal would have done), stay off for
    /// <paramref name="offSeconds"/>, and boot a new application on the saved state.</summary>
    public TestDevice PowerCycle(long offSeconds, ResetCause cause = ResetCause.Power, bool offClockValid = true)
    {
        (byte[] state, byte[] log) = SaveImage();
        long offClock = OffClock.Seconds + offSeconds;
        return new TestDevice(state, cause, true, log, offClock, offClockValid);
    }

    /// <summary>As <see cref="PowerCycle"/>, with the counter running on exactly: off for <paramref name="offMicros"/>,
    /// the counter's true value carried over to the µs (its reads still give whole seconds).</summary>
    public TestDevice PowerCycleMicros(long offMicros, bool offClockValid = true)
    {
        (byte[] state, byte[] log) = SaveImage();
        return new TestDevice(state, ResetCause.Power, true, log, offClockValid: offClockValid, offClockMicros: OffClock.TrueMicros + offMicros);
    }

    // The state image and the log as the journal's final save at a power-off would store them.
    private (byte[] State, byte[] Log) SaveImage()
    {
        var stateWriter = new StateWriter(new byte[PumpApplication.MaxStateBytes]);
        App.SaveState(stateWriter);
        var logWriter = new StateWriter(new byte[Log.EventLog.MaxSavedBytes]);
        App.Log.Save(logWriter);
        return (stateWriter.Buffer[..stateWriter.Position], logWriter.Buffer[..logWriter.Position]);
    }

    /// <summary>The persistent image (SaveState) and, apart, the log, as a power loss would leave them.</summary>
    public byte[] PersistentImageParts(out byte[] log)
    {
        var stateWriter = new StateWriter(new byte[PumpApplication.MaxStateBytes]);
        App.SaveState(stateWriter);
        var logWriter = new StateWriter(new byte[Log.EventLog.MaxSavedBytes]);
        App.Log.Save(logWriter);
        log = logWriter.Buffer[..logWriter.Position];
        return stateWriter.Buffer[..stateWriter.Position];
    }

    /// <summary>The persistent image (SaveState) and the log.</summary>
    public byte[] PersistentImage()
    {
        var buffer = new byte[PumpApplication.MaxStateBytes + Log.EventLog.MaxSavedBytes];
        var writer = new StateWriter(buffer);
        App.SaveState(writer);
        App.Log.Save(writer);
        if (writer.Overflow) throw new InvalidOperationException("state overflow");
        return buffer[..writer.Position];
    }

    /// <summary>Everything: the persistent image, the log and the volatile state (staging, CRC mode, telemetry, session).</summary>
    public byte[] Snapshot()
    {
        var buffer = new byte[4096];
        var writer = new StateWriter(buffer);
        App.SaveVolatileState(writer);
        return PersistentImage().Concat(buffer[..writer.Position]).ToArray();
    }
}
