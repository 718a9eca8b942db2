// One pump on the replay's fake hardware: the firmware's PumpApplication, optionally journalled
// on a MemoryRecordStore through PumpPersistence (the same classes the ESP32 build wires to
// littlefs). A power cycle or a power cut builds a new ReplayDevice, as a reset builds a new
// application on the board.
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Storage;

namespace PumpFirmware.Replay
{
    /// <summary>The application, its fake hardware and (optionally) its journal.</summary>
    public sealed class ReplayDevice
    {
        /// <summary>The board maximum used by every replay, steps/s (as the protocol tests' device).</summary>
        public const int MaxStepsPerSecond = 1000;

        /// <summary>The battery-backed counter of a device that starts fresh, s.</summary>
        public const long FactoryOffClockSeconds = 1000000;

        /// <summary>The serial link.</summary>
        public readonly ReplayLink Link = new ReplayLink();

        /// <summary>The monotonic clock (uptime).</summary>
        public readonly ReplayClock Clock = new ReplayClock();

        /// <summary>The battery-backed seconds counter.</summary>
        public readonly ReplayOffTimeClock OffClock;

        /// <summary>The motor driver.</summary>
        public readonly ReplayDriver Driver = new ReplayDriver();

        /// <summary>The step generator and its feedback.</summary>
        public readonly ReplaySteps Steps;

        /// <summary>The occlusion input.</summary>
        public readonly ReplayInput Occlusion = new ReplayInput();

        /// <summary>The low-battery input.</summary>
        public readonly ReplayInput LowBattery = new ReplayInput();

        /// <summary>The buzzer.</summary>
        public readonly ReplayBuzzer Buzzer = new ReplayBuzzer();

        /// <summary>The watchdog.</summary>
        public readonly ReplayWatchdog Watchdog = new ReplayWatchdog();

        /// <summary>The firmware application.</summary>
        public readonly PumpApplication App;

        /// <summary>The journal on <see cref="Store"/>, or null for a device without storage.</summary>
        public readonly PumpPersistence Persistence;

        /// <summary>The record store the journal writes, or null.</summary>
        public readonly MemoryRecordStore Store;

        /// <summary>What the journal found at this device's start (Empty without storage).</summary>
        public readonly JournalOpenResult Restored;

        /// <summary>Builds a device whose battery-backed counter reads <paramref name="offClockSeconds"/>.
        /// With a <paramref name="store"/>, the state is restored from it and every change is
        /// journalled to it; without, the caller may load a saved image before booting.</summary>
        public ReplayDevice(long offClockSeconds, MemoryRecordStore store)
        {
            OffClock = new ReplayOffTimeClock(Clock);
            OffClock.BaseSeconds = offClockSeconds;
            Steps = new ReplaySteps(Driver, Clock);
            PumpHardware hardware = new PumpHardware();
            hardware.Serial = Link;
            hardware.Clock = Clock;
            hardware.OffTimeClock = OffClock;
            hardware.Driver = Driver;
            hardware.Steps = Steps;
            hardware.Feedback = Steps;
            hardware.Occlusion = Occlusion;
            hardware.LowBattery = LowBattery;
            hardware.Buzzer = Buzzer;
            hardware.Watchdog = Watchdog;
            hardware.MaxStepsPerSecond = MaxStepsPerSecond;
            App = new PumpApplication(hardware, new DeviceIdentity("OpenPump", "PF-1", "SN0001", "1.0.0"));
            Store = store;
            Restored = JournalOpenResult.Empty;
            if (store != null)
            {
                Persistence = new PumpPersistence(store, App);
                Restored = Persistence.Restore();
                App.SetPersistence(Persistence);
            }
        }

        /// <summary>Boots the application: after a restore, with the journal's bound on unpersisted steps.</summary>
        public void Boot(ResetCause cause)
        {
            int unpersisted = Persistence != null && Restored == JournalOpenResult.Restored ? Persistence.UnpersistedBoundSteps : 0;
            App.Boot(cause, unpersisted);
        }

        /// <summary>Sends one request line (LF appended) and runs it.</summary>
        public void Send(string line)
        {
            Link.Receive(line + "\n");
            App.Poll();
        }

        /// <summary>Moves the clock forward by <paramref name="micros"/>, servicing every wake-up on the way.</summary>
        public void Advance(long micros)
        {
            long target = Clock.NowMicros + micros;
            while (true)
            {
                long next = App.NextWakeMicros;
                if (next > target) break;
                if (next > Clock.NowMicros) Clock.NowMicros = next;
                App.Service();
            }
            Clock.NowMicros = target;
            App.Service();
        }

        /// <summary>A clean power cycle of a device without storage: the image and the log are
        /// saved as the journal would have, and a new device boots on them after
        /// <paramref name="offSeconds"/> off.</summary>
        public ReplayDevice PowerCycle(long offSeconds)
        {
            byte[] state = new byte[PumpApplication.MaxStateBytes];
            StateWriter stateWriter = new StateWriter(state);
            App.SaveState(stateWriter);
            byte[] log = new byte[Log.EventLog.MaxSavedBytes];
            StateWriter logWriter = new StateWriter(log);
            App.Log.Save(logWriter);

            ReplayDevice next = new ReplayDevice(OffClock.Seconds + offSeconds, null);
            if (!next.App.Log.Load(new StateReader(log, 0, logWriter.Position))) throw new System.Exception("log did not load");
            if (!next.App.LoadState(new StateReader(state, 0, stateWriter.Position))) throw new System.Exception("state did not load");
            next.Boot(ResetCause.Power);
            return next;
        }

        /// <summary>A power cut: nothing is saved on the way down; a new device on the same store
        /// restores what the journal committed and boots after <paramref name="offSeconds"/> off.</summary>
        public ReplayDevice PowerCut(long offSeconds)
        {
            ReplayDevice next = new ReplayDevice(OffClock.Seconds + offSeconds, Store);
            next.Boot(ResetCause.Power);
            return next;
        }
    }
}
