// The virtual device: the firmware application (the very PumpApplication the ESP32 runs) on
// simulated peripherals, with power cycles, fault inputs and virtual time. Hosts (the pty
// and stdio servers, the scenario runner, tests, the benchmark) feed bytes in, call Poll,
// and take bytes out; SIM:ADVANCE and scenarios jump the clock from one NextWakeMicros to
// the next, so a year of therapy takes seconds.
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;

namespace PumpFirmware.VirtualDevice.Device;

/// <summary>The firmware on simulated hardware.</summary>
public sealed partial class VirtualPump
{
    /// <summary>The firmware version the virtual device reports.</summary>
    public const string FirmwareVersion = "1.0.0-sim";

    /// <summary>Longest SIM:ADVANCE or SIM:POWERCYCLE off-time, s (10 years of 365.25 days).</summary>
    public const long MaxAdvanceSeconds = 315_576_000;

    private readonly VirtualPumpOptions _options;
    private readonly SimCommands _extension;

    /// <summary>Builds the peripherals; the firmware starts at <see cref="PowerOn"/>.</summary>
    public VirtualPump(VirtualPumpOptions? options = null)
    {
        _options = options ?? new VirtualPumpOptions();
        Clock = new VirtualClock(_options.Clock);
        Clock.Advance(_options.StartWorldMicros);
        OffTimeClock = new VirtualOffTimeClock(Clock);
        if (_options.Store is FolderRecordStore folder)
        {
            // A --state folder is the pump's: its battery-backed clock runs on between processes.
            BatteryClock = new BatteryClockFile(folder.Folder, _options.HostUtcMicros);
            BatteryClock.Resume(OffTimeClock, Clock);
        }
        Driver = new SimMotorDriver(Clock);
        Plant = new PumpPlant(Driver, _options.PlantStepsPerMl)
        {
            CalibrationErrorPpm = _options.CalibrationErrorPpm,
            PulsationAmplitude = _options.Pulsation,
        };
        if (_options.PressurePlant)
        {
            PressureModel = new CatheterPressure(Clock, _options.Seed)
            {
                ComplianceMicrolitersPer100MmHg = _options.ComplianceMicrolitersPer100MmHg,
                LeakTimeConstantSeconds = _options.PressureLeakSeconds,
                NoiseMillivolts = _options.PressureNoiseMillivolts,
            };
            Plant.UsePressureModel(PressureModel, Clock);
        }
        Steps = new VirtualStepGenerator(Clock, Plant, minIntervalMicros: (1_000_000 + _options.MaxStepsPerSecond - 1) / _options.MaxStepsPerSecond, maxBlockSteps: 1000);
        LowBattery = new SimDigitalInput();
        Buzzer = new SimBuzzer(Clock);
        Watchdog = new SimWatchdog(Clock, 5_000_000);
        Link = new SimSerialLink();
        Store = _options.Store ?? new MemoryRecordStore();
        Balance = new SimBalance(Plant, Clock, _options.Seed, _options.BalanceNoiseGrams);
        if (_options.BatteryCapacityMah is long mah)
        {
            BatteryProfile = FirmwareBatteryProfile(mah);
            long trueCapacity = BatteryProfile.CapacityNanocoulombs / 1_000_000 * (1_000_000 + _options.BatteryCapacityErrorPpm);
            Battery = new SimBattery(Clock, Plant, Link, trueCapacity, BatteryProfile.BaselineNanoamps, BatteryProfile.StepNanocoulombs,
                BatteryProfile.ByteNanocoulombs);
        }
        _extension = new SimCommands(this);
        Store.PowerCut += OnStorePowerCut;
    }

    /// <summary>Virtual time.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The battery-backed counter.</summary>
    public VirtualOffTimeClock OffTimeClock { get; }

    /// <summary>Where the battery-backed counter is kept between processes (a folder store only), or null.</summary>
    public BatteryClockFile? BatteryClock { get; }

    /// <summary>Writes the battery-backed counter to the state folder (no-op without one). Done at power-on, after
    /// every advance and power cycle; call it at exit too.</summary>
    public void SaveBatteryClock() => BatteryClock?.Save(OffTimeClock);

    /// <summary>The motor's power stage.</summary>
    public SimMotorDriver Driver { get; }

    /// <summary>The pump head.</summary>
    public PumpPlant Plant { get; }

    /// <summary>The catheter's pressure model and sensor (<c>--plant pressure</c>), or null (the switch model).</summary>
    public CatheterPressure? PressureModel { get; }

    /// <summary>The pulse source.</summary>
    public VirtualStepGenerator Steps { get; }

    /// <summary>The battery comparator.</summary>
    public SimDigitalInput LowBattery { get; }

    /// <summary>The alarm buzzer.</summary>
    public SimBuzzer Buzzer { get; }

    /// <summary>The simulated cell (and its voltage input), or null when mains powered (the default).</summary>
    public SimBattery? Battery { get; }

    /// <summary>The figures the firmware's gauge runs with, or null when mains powered.</summary>
    public PumpFirmware.Energy.BatteryProfile? BatteryProfile { get; }

    /// <summary>The firmware's profile for a cell of <paramref name="mah"/> nominal: the SynchroMed II-class figures
    /// (BatteryProfile.SynchroMedClass) with that capacity. The true cell draws the same currents.</summary>
    public static PumpFirmware.Energy.BatteryProfile FirmwareBatteryProfile(long mah)
    {
        var p = PumpFirmware.Energy.BatteryProfile.SynchroMedClass();
        return new PumpFirmware.Energy.BatteryProfile(mah * PumpFirmware.Energy.BatteryProfile.NanocoulombsPerMilliampHour,
            p.BaselineNanoamps, p.StepNanocoulombs, p.ByteNanocoulombs, p.EriNoticeDays,
            PumpFirmware.Energy.BatteryProfile.LithiumPrimaryCurveMillivolts(), PumpFirmware.Energy.BatteryProfile.LithiumPrimaryCurvePermille());
    }

    /// <summary>The watchdog.</summary>
    public SimWatchdog Watchdog { get; }

    /// <summary>The protocol's byte link (host end: HostWrite/HostRead).</summary>
    public SimSerialLink Link { get; }

    /// <summary>The persistent store.</summary>
    public FaultyRecordStore Store { get; }

    /// <summary>The lab balance under the outlet.</summary>
    public SimBalance Balance { get; }

    /// <summary>The running firmware instance (replaced at each power-on).</summary>
    public PumpApplication App { get; private set; } = null!;

    /// <summary>Its persistence.</summary>
    public PumpPersistence Persistence { get; private set; } = null!;

    /// <summary>The current power-on's gates.</summary>
    public PowerDomain Domain { get; private set; } = null!;

    /// <summary>What the last boot found in the store.</summary>
    public JournalOpenResult LastRestore { get; private set; }

    /// <summary>Power-ons so far.</summary>
    public int Boots { get; private set; }

    /// <summary>Power cycles so far.</summary>
    public int PowerCycles { get; private set; }

    /// <summary>Lifetime steps the firmware had counted just before each power loss, minus what it
    /// recovered at the next boot: the steps the power losses took from the counters.</summary>
    public long StepsLostAtPowerLoss { get; private set; }

    /// <summary>Called at each power-on between reading the store and booting (tests inspect the
    /// restored state here, before the boot's own changes).</summary>
    public Action<PumpApplication>? AfterRestore { get; set; }

    /// <summary>Called after every service pass while time is being advanced, so that a host can
    /// move the device's output on (a pty writer, a scenario's line reader) as it is produced.</summary>
    public Action? AfterService { get; set; }

    /// <summary>Checked now and then during <see cref="Advance"/>: when it returns true (SIGINT or
    /// SIGTERM arrived) the advance ends early, at the time reached.</summary>
    public Func<bool>? StopRequested { get; set; }

    /// <summary>Microseconds of pump time since the current boot.</summary>
    public long NowMicros => Clock.NowMicros;

    /// <summary>Starts (or restarts) the firmware: a new instance reads the store and boots
    /// (sending !BOOT). A store that fails its checks boots into CRITICAL.</summary>
    public void PowerOn(ResetCause cause = ResetCause.Power)
    {
        Clock.Reboot();
        Watchdog.Reset();
        Plant.ResetFeedbackCounter();
        Domain = new PowerDomain(Clock, Link, Driver, Steps, Store);
        var hardware = new PumpHardware
        {
            Serial = Domain.Serial,
            Clock = Domain.Clock,
            OffTimeClock = OffTimeClock,
            Driver = Domain.Driver,
            Steps = Domain.Steps,
            Feedback = Plant,
            Occlusion = Plant.OcclusionSensor,
            Pressure = PressureModel,
            LowBattery = LowBattery,
            Buzzer = Buzzer,
            Battery = BatteryProfile,
            BatteryVoltage = Battery,
            Watchdog = Watchdog,
            MaxStepsPerSecond = _options.MaxStepsPerSecond,
        };
        var app = new PumpApplication(hardware, new DeviceIdentity("PumpFirmware", "PF-VIRTUAL", _options.Serial, FirmwareVersion));
        var persistence = new PumpPersistence(Domain.Store, app);
        persistence.Durable.WholeImagePasses = _options.WholeImagePasses;
        App = app;
        Persistence = persistence;
        LastRestore = persistence.Restore();
        AfterRestore?.Invoke(app);
        if (!_options.WithoutPersistence) app.SetPersistence(persistence);
        app.SetExtension(_extension);
        // SIM:POWERCYCLE and SIM:CUT replace this application from inside a request.
        app.SingleByteReads = true;
        Boots++;
        app.Boot(cause, LastRestore == JournalOpenResult.Restored ? persistence.UnpersistedBoundSteps : 0);
        SaveBatteryClock();
        AfterService?.Invoke();
    }

    /// <summary>A power loss now (no clean shutdown: whatever was not committed is lost, queued
    /// pulses vanish, the driver drops), <paramref name="offMicros"/> without power (the
    /// battery-backed clock runs on), then a power-on.</summary>
    /// <param name="offMicros">Time off, µs (≥ 0).</param>
    /// <param name="keepOldSerial">Let the dying instance send one more line (see <see cref="PowerDomain.PowerOff"/>).</param>
    public PowerDomain PowerCycle(long offMicros, bool keepOldSerial = false)
    {
        PowerDomain old = Domain;
        long countedBefore = App.Controller.TotalSteps;
        old.PowerOff(keepOldSerial);
        Steps.PowerLoss();
        Driver.PowerLoss();
        Buzzer.PowerLoss();
        Clock.Advance(offMicros);
        Battery?.PoweredOff(offMicros);
        PowerCycles++;
        PowerOn(ResetCause.Power);
        StepsLostAtPowerLoss += countedBefore - App.Controller.TotalSteps;
        return old;
    }

    /// <summary>Sets or clears a simulated fault input: STALL, OCCLUSION, LOW_BATTERY, PRESSURE_SENSOR (the pressure
    /// model's sensor gives no reading; only with <c>--plant pressure</c>), or NONE (clears all; with the pressure
    /// model, releasing a block delivers what it held back).</summary>
    /// <returns>false for an unknown name, or PRESSURE_SENSOR without the pressure model (nothing changed).</returns>
    public bool SetFault(string name)
    {
        switch (name.ToUpperInvariant())
        {
            case "STALL": Plant.Stalled = true; return true;
            case "OCCLUSION": Plant.Occluded = true; return true;
            case "LOW_BATTERY": LowBattery.IsAsserted = true; return true;
            case "PRESSURE_SENSOR":
                if (PressureModel == null) return false;
                PressureModel.Unreadable = true;
                return true;
            case "NONE":
                Plant.Stalled = false;
                Plant.Occluded = false;
                LowBattery.IsAsserted = false;
                if (PressureModel != null) PressureModel.Unreadable = false;
                return true;
            default: return false;
        }
    }

    /// <summary>Queues a request line (LF appended) for the device.</summary>
    public void Send(string line)
    {
        Link.HostWrite(System.Text.Encoding.ASCII.GetBytes(line + "\n"));
    }

    /// <summary>One main-loop pass at the current time (reads the link, runs requests, services).</summary>
    public void Poll()
    {
        App.Poll();
        AfterService?.Invoke();
        CompletePendingCut();
    }

    /// <summary>Runs the firmware through <paramref name="micros"/> of virtual time, waking at every
    /// NextWakeMicros on the way (every step, rate change, timer, telemetry line) and at the end.</summary>
    public void Advance(long micros)
    {
        if (micros < 0) throw new ArgumentOutOfRangeException(nameof(micros));
        // The clock object never changes (a power cycle reboots it); read once, not through the property at every pass.
        VirtualClock clock = Clock;
        // The end in world time: a storage cut on the way reboots the pump, whose clock restarts.
        long targetWorld = clock.WorldMicros + micros;
        long target = targetWorld - clock.BootWorldMicros;
        long stuckAt = -1;
        int stuckCount = 0;
        int passes = 0;
        while (true)
        {
            if ((++passes & 0xFFFF) == 0 && StopRequested != null && StopRequested())
            {
                target = clock.NowMicros; // a shutdown: end the advance where it is
                break;
            }
            long next = App.NextWakeMicros;
            if (next > target) break;
            long now = clock.NowMicros;
            if (next <= now)
            {
                // Work due now: service it. A firmware that keeps asking for "now" without making
                // progress would spin forever; after many passes at one instant, move on by 1 µs.
                if (stuckAt == now && ++stuckCount > 10_000)
                {
                    clock.AdvanceTo(now + 1);
                    stuckCount = 0;
                }
                else if (stuckAt != now)
                {
                    stuckAt = now;
                    stuckCount = 0;
                }
            }
            else
            {
                clock.Advance(next - now); // next > now: AdvanceTo(next) without reading the clock again
            }
            App.Service();
            AfterService?.Invoke();
            if (_cutPending && CompletePendingCut()) target = targetWorld - clock.BootWorldMicros;
        }
        Clock.AdvanceTo(target);
        App.Service();
        SaveBatteryClock();
        AfterService?.Invoke();
        CompletePendingCut();
    }
}
