// The firmware application: the one thread's one step. The ESP32 main loop and the virtual
// device both construct it on their HAL and call Poll() forever; it reads the serial link,
// runs requests, advances the therapy on the device timeline, issues the due steps, watches
// the motor (STALL), the occlusion and battery inputs, sounds the buzzer, sends `!` lines,
// keeps the log and feeds the watchdog. NextWakeMicros says when it next has work, so the
// ESP32 can sleep and the virtual device can jump its clock (smoltcp's poll/poll_at).
//
// Fail closed: the motor driver is disabled at construction, enabled only while a step block
// is being emitted, and disabled (with queued steps aborted) the moment a stopping alarm is
// active.
//
// Time (docs/ARCHITECTURE.md, ResetTimeline): timeline = timeline persisted at the last change +
// time elapsed since then by the battery-backed counter, counted down (0 when unknown) + uptime;
// t_ms is uptime.
//
// Persistence (docs/STORAGE.md): a command's change is committed before its status line; delivered
// steps are batched, but never past the allowance the last durable image names (StepAllowance), so
// a power loss takes at most that many steps from the counters and a boot charges the 24 h window
// with at most that many. A write that fails raises CRITICAL and rolls back the request that
// caused it. That part is in PumpApplication.Persistence.cs; what the therapy's events become (`!`
// lines, log records, telemetry) is in PumpApplication.Events.cs, the buzzer's patterns in AlarmBuzzer.
using PumpFirmware.Dosing;
using PumpFirmware.Hal;
using PumpFirmware.Log;
using PumpFirmware.Protocol;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    /// <summary>The pump's firmware application over a HAL (constructor injection).</summary>
    public sealed partial class PumpApplication : IPersistentState
    {
        /// <summary>Largest step block issued at once. Feedback is checked after every block and
        /// STALL needs <see cref="StallThresholdSteps"/> unconfirmed steps, so a stall is seen within
        /// 8 + 8 - 1 = 15 steps of its onset (PROTOCOL.md: 16). Small blocks also bound what a
        /// stopping alarm can abort (steps the core counted but the motor never made) to 8 steps.
        /// The cost: at most 8 steps per poll, so a shell that polls every 10 ms (the ESP32's tick)
        /// emits at most 800 steps/s; a faster board maximum builds a backlog at top speed (prime).</summary>
        public const int StepBlockMax = 8;

        /// <summary>Unconfirmed steps (commanded minus confirmed) that mean STALL.</summary>
        public const int StallThresholdSteps = 8;

        /// <summary>Shells with asynchronous inputs (UART, occlusion, battery) should poll at least
        /// this often even when NextWakeMicros is later, µs (50 ms; the buzzer cadence also needs it).</summary>
        public const long InputPollMicros = 50000;

        /// <summary>Bytes read from the serial link per Poll at most (bounds the time one Poll takes).</summary>
        public const int MaxBytesPerPoll = 1024;

        /// <summary>Largest image <see cref="SaveState"/> writes, bytes (clock, controller, auth; the
        /// log is persisted separately as an <see cref="IAppendOnlyState"/>: <see cref="Log"/>).</summary>
        public const int MaxStateBytes = 16384;

        /// <summary>Layout of <see cref="SaveState"/>: 2 adds the off-time counter as an interval in µs, whether the wall
        /// clock is vouched for, and the step allowance; 3 adds the state sections (<see cref="AddStateSection"/>).
        /// Layout 1 and 2 images still load.</summary>
        public const int StateFormatVersion = 3;

        /// <summary>Most state sections an application holds.</summary>
        public const int MaxStateSections = 8;

        private const long StorageRetryMicros = 1000000L;

        private readonly PumpHardware _hw;
        private readonly DeviceIdentity _identity;
        private readonly TherapyController _controller;
        private readonly Prescription _staged = new Prescription();
        private readonly Auth _auth = new Auth();
        private readonly TitrationGuard _titration = new TitrationGuard(new DrugLibrary(), new TitrationHistory());
        private readonly EventLog _log = new EventLog();
        private readonly TelemetrySchedule _telemetry = new TelemetrySchedule();
        private readonly PressureRule _pressure = new PressureRule();
        private readonly LineAssembler _assembler = new LineAssembler();
        private readonly LineWriter _writer;
        private readonly CommandProcessor _processor;
        private readonly TherapyEvent _event = new TherapyEvent();
        private readonly byte[] _rx = new byte[64];
        private readonly ISerialInputLoss _inputLoss;
        private readonly long _stepIntervalMicros;

        private IPersistenceHook _persistence;
        private bool _booted;
        private bool _storedStateBad;
        private bool _restored;
        private ResetCause _resetCause;

        // Timeline.
        private readonly ResetTimeline _resetTimeline = new ResetTimeline();
        private long _timelineBaseMicros;

        // Persistence: what the last durable image holds, and the request in progress.
        private readonly StepAllowance _allowance = new StepAllowance();
        private readonly RequestRollback _rollback = new RequestRollback(MaxStateBytes);
        private bool _inRequest;
        private bool _requestChanged;
        private bool _storageFailed;
        private long _storageRetryMicros;
        private bool _stepCommitDue;

        // Steps.
        private long _backlogSteps;
        private long _issuedSteps;
        private long _abortedSteps;
        private long _confirmedBase;
        private long _stallBaseEmitted;
        private long _stallBaseConfirmed;
        private long _nextIssueMicros;
        private long _blockEndMicros;

        // Buzzer.
        private readonly AlarmBuzzer _buzzer = new AlarmBuzzer();
        private int _programCrcSeen = -1;
        private int _dirtyReasons;

        // The rules' own parts of the image (layout 3), in the order they were added.
        private readonly IStateSection[] _sections = new IStateSection[MaxStateSections];
        private int _sectionCount;

        /// <summary>Builds the application on <paramref name="hardware"/>. The motor driver is
        /// disabled at once; nothing else happens until <see cref="Boot"/> or the first Poll.</summary>
        public PumpApplication(PumpHardware hardware, DeviceIdentity identity)
        {
            _hw = hardware;
            _identity = identity;
            _hw.Driver.Disable();
            _hw.Buzzer.Stop();
            _controller = new TherapyController(hardware.MaxStepsPerSecond);
            _writer = new LineWriter(hardware.Serial);
            _processor = new CommandProcessor(this);
            // The pressure rule's settings are in every image, sensor or not, so a store moves between builds (and the
            // virtual device's --plant pressure and not) without booting into CRITICAL over a section it lacks.
            AddStateSection(_pressure);
            // Issue 17: the refill history (section 1) and the daily history (section 2) the controller keeps.
            AddStateSection(_controller.Refills);
            AddStateSection(_controller.History);
            _stepIntervalMicros = (1000000L + hardware.MaxStepsPerSecond - 1) / hardware.MaxStepsPerSecond;
            _confirmedBase = hardware.Feedback.ConfirmedSteps;
            _inputLoss = hardware.Serial as ISerialInputLoss;
            // Issue 17: the drug library's per-pump entries (tag 3) and the titration history (tag 4).
            AddStateSection(_titration.Library);
            AddStateSection(_titration.History);
            CreateBattery();
        }

        // ------------------------------------------------------------------ public surface

        /// <summary>The therapy core (read its state; drive it only through requests).</summary>
        public TherapyController Controller { get { return _controller; } }

        /// <summary>The event log.</summary>
        public EventLog Log { get { return _log; } }

        /// <summary>PIN, lock and session.</summary>
        public Auth Auth { get { return _auth; } }

        /// <summary>The drug library and the titration guard with its history (docs/DRUG-LIBRARY.md).</summary>
        public TitrationGuard Titration { get { return _titration; } }

        /// <summary>The staging area of PROG: commands (empty after boot, never persisted).</summary>
        public Prescription Staged { get { return _staged; } }

        /// <summary>The identity strings.</summary>
        public DeviceIdentity Identity { get { return _identity; } }

        /// <summary>The request processor (to register the virtual device's SIM: extension).</summary>
        public CommandProcessor Processor { get { return _processor; } }

        /// <summary>The pressure occlusion rule (used only where <see cref="PumpHardware.Pressure"/> is fitted).</summary>
        public PressureRule Pressure { get { return _pressure; } }

        /// <summary>The telemetry schedule.</summary>
        public TelemetrySchedule Telemetry { get { return _telemetry; } }

        /// <summary>The writer of every line sent (status and `!` lines).</summary>
        public LineWriter Writer { get { return _writer; } }

        /// <summary>The HAL.</summary>
        public PumpHardware Hardware { get { return _hw; } }

        /// <summary>True after <see cref="Boot"/>.</summary>
        public bool IsBooted { get { return _booted; } }

        /// <summary>Registers a command extension (the virtual device's SIM: commands, the device's SELFTEST).</summary>
        public void SetExtension(ICommandExtension extension)
        {
            _processor.Extension = extension;
        }

        /// <summary>Read the link one byte per call (default false: in chunks). For a shell that may replace this
        /// application from inside a request, as the virtual device's SIM:POWERCYCLE boots a new instance: every
        /// byte after that request then stays in the link for the new instance instead of in this one's buffer.</summary>
        public bool SingleByteReads { get; set; }

        /// <summary>Registers the storage journal's hook (and allocates the buffer that rolls a request back when its
        /// change cannot be stored).</summary>
        public void SetPersistence(IPersistenceHook hook)
        {
            _persistence = hook;
            if (hook != null) _rollback.Allocate();
        }

        /// <summary>Steps a power loss may take from the counters at the calibration in force: those of at most 1 µL,
        /// or one step where a step is larger (PROTOCOL.md, the loss bound).</summary>
        public int UnaccountedBoundSteps { get { return StepAllowance.BoundSteps(_controller.StepsPerMl); } }

        /// <summary>The unrecorded-steps allowance of the last durable image (and of the restored one).</summary>
        public StepAllowance Allowance { get { return _allowance; } }

        /// <summary>Time across resets: the last boot's off-time, and whether the wall clock is vouched for.</summary>
        public ResetTimeline ResetTimeline { get { return _resetTimeline; } }

        /// <summary>True while the wall clock is set and vouched for (<c>TIME?</c> <c>set=YES</c>): set by TIME and not
        /// since put in doubt by a boot that could not count its off-time.</summary>
        public bool WallClockSet { get { return _controller.WallClockSet && !_resetTimeline.WallClockUnconfirmed; } }

        /// <summary>True after a storage write failed, until one succeeds (CRITICAL was raised).</summary>
        public bool StorageFailed { get { return _storageFailed; } }

        /// <summary>The device timeline now, µs (persisted timeline + off-time + uptime).</summary>
        public long NowMicros { get { return _timelineBaseMicros + _hw.Clock.NowMicros; } }

        /// <summary>Uptime now, ms (<c>t_ms</c>).</summary>
        public long UptimeMs { get { return _hw.Clock.NowMicros / 1000; } }

        /// <summary>Uptime (t_ms) of a device-timeline instant.</summary>
        public long UptimeMsAt(long timelineMicros)
        {
            long ms = (timelineMicros - _timelineBaseMicros) / 1000;
            return ms < 0 ? 0 : ms;
        }

        /// <summary>Monotonic-clock µs (this boot's uptime) at which Poll or Service next has work
        /// (a step, a rate change, an alarm timer, a telemetry line, the end of a step block);
        /// long.MaxValue when nothing is scheduled. Serial input and the input pins are not
        /// included: see <see cref="InputPollMicros"/>.</summary>
        public long NextWakeMicros
        {
            get
            {
                long next = _controller.NextWakeMicros;
                if (_telemetry.NextDueMicros < next) next = _telemetry.NextDueMicros;
                if (_backlogSteps > 0 && _nextIssueMicros < next) next = _nextIssueMicros;
                if (_hw.Driver.IsEnabled && _blockEndMicros < next) next = _blockEndMicros;
                if (_hw.Pressure != null && _pressure.NextSampleMicros < next) next = _pressure.NextSampleMicros;
                if (BatteryWakeMicros < next) next = BatteryWakeMicros;
                if (next == long.MaxValue) return long.MaxValue;
                long uptime = next - _timelineBaseMicros;
                return uptime < 0 ? 0 : uptime;
            }
        }

        /// <summary>Steps handed to the step generator since boot.</summary>
        public long IssuedSteps { get { return _issuedSteps; } }

        /// <summary>Steps the core counted that were dropped before being emitted (aborted by a stopping alarm).</summary>
        public long DroppedSteps { get { return _abortedSteps; } }

        /// <summary>Writes the state a reset clears (staging area, CRC mode, telemetry, session),
        /// so that tests can compare the whole state before and after a request.</summary>
        public void SaveVolatileState(StateWriter writer)
        {
            _staged.Save(writer);
            writer.WriteBool(_writer.CrcAlways);
            writer.WriteInt(_telemetry.PeriodSeconds);
            writer.WriteLong(_telemetry.NextDueMicros);
            writer.WriteLong(_telemetry.NextSeq);
            writer.WriteBool(_auth.IsAuthorized);
            writer.WriteBool(_assembler.Echo);
        }

        /// <summary>Starts the firmware: places the timeline, boots the therapy (ending a bolus that
        /// was running at the reset), raises CRITICAL if the stored state was bad, sends
        /// <c>!BOOT fw=.. reset=.. state=..</c> as the first line and logs the boot.</summary>
        /// <param name="cause">Why the device started.</param>
        /// <param name="unpersistedSteps">Bound on steps issued but not persisted before the reset. What is charged to
        /// the 24 h window (and reported in the boot record) is what the restored image allows for, at most this:
        /// nothing when the motor was not running (an image of layout 1, which named no allowance: this).</param>
        public void Boot(ResetCause cause, int unpersistedSteps)
        {
            _resetCause = cause;
            long clockNow = _hw.Clock.NowMicros;
            long bootTimeline = _resetTimeline.Boot(_hw.OffTimeClock, clockNow, _restored);
            _timelineBaseMicros = bootTimeline - clockNow;

            long now = NowMicros;
            int charged = _allowance.BootCharge(unpersistedSteps);
            _controller.Boot(now, charged);
            if (_storedStateBad)
            {
                _controller.RaiseCritical(now);
            }
            if (_programCrcSeen < 0) _programCrcSeen = _controller.ProgramCrc;
            BootBattery(now);
            _booted = true;

            _writer.Begin();
            _writer.Append("!BOOT");
            _writer.AppendField("fw", _identity.FirmwareVersion);
            _writer.AppendField("reset", Names.Reset(cause));
            _writer.AppendField("state", Names.State(_controller.State));
            if (_resetTimeline.OffTimeUnknown) _writer.AppendField("offtime", "UNKNOWN");
            _writer.Send(false);
            AppendLog(now, EventLogTypes.Boot, (int)cause, (long)_controller.State, charged);
            _dirtyReasons |= PersistReasons.Boot;
            Service(now);
        }

        /// <summary>The main loop's one step: feeds the watchdog, runs every complete request line
        /// received (bounded by <see cref="MaxBytesPerPoll"/>), then <see cref="Service()"/>.</summary>
        public void Poll()
        {
            if (!_booted) Boot(ResetCause.Power, 0);
            _hw.Watchdog.Feed();
            int budget = MaxBytesPerPoll;
            int chunk = SingleByteReads ? 1 : _rx.Length;
            while (budget > 0)
            {
                int n = _hw.Serial.Read(_rx, 0, budget < chunk ? budget : chunk);
                if (n <= 0) break;
                bool lostAfter = _inputLoss != null && _inputLoss.InputLostAfterLastRead;
                budget -= n;
                if (_battery != null) _battery.AddBytes(n);
                for (int i = 0; i < n; i++)
                {
                    int result = _assembler.Push(_rx[i]);
                    if (_assembler.EchoCount > 0) _hw.Serial.Write(_assembler.EchoBytes, 0, _assembler.EchoCount);
                    if (result == LineAssembler.LineReady)
                    {
                        long now = NowMicros;
                        Service(now);
                        BeginRequest(_assembler.Buffer, _assembler.Length);
                        _processor.Process(_assembler.Buffer, _assembler.Length, now);
                        EndRequest();
                        Service(NowMicros);
                    }
                    else if (result == LineAssembler.LineTooLong)
                    {
                        _processor.ReplyLineTooLong();
                    }
                    else if (result == LineAssembler.LineOverrun)
                    {
                        _processor.ReplyInputOverrun();
                    }
                }
                // The link read up to a point after which bytes may be missing: the line in progress is torn.
                if (lostAfter) _assembler.MarkInputLost();
            }
            Service(NowMicros);
        }

        /// <summary>Everything Poll does except reading the serial link: for a shell that moves
        /// time itself (the virtual device's SIM:ADVANCE sets its clock to each NextWakeMicros and
        /// calls this, so the `!` lines come out in order before its OK).</summary>
        public void Service()
        {
            if (!_booted) Boot(ResetCause.Power, 0);
            _hw.Watchdog.Feed();
            Service(NowMicros);
        }

        // ------------------------------------------------------------------ internals used by CommandProcessor

        internal void MarkDirty(int reasons)
        {
            _dirtyReasons |= reasons;
            if (_inRequest) _requestChanged = true;
        }

        /// <summary>Appends a log record stamped with <paramref name="timelineMicros"/>.</summary>
        internal void AppendLog(long timelineMicros, int type, int code, long a, long b)
        {
            _log.Append(UptimeMsAt(timelineMicros), _controller.UnixSeconds(timelineMicros), type, code, a, b);
            _dirtyReasons |= PersistReasons.Log;
            if (_inRequest) _requestChanged = true;
        }

        /// <summary>ECHO ON/OFF: echo and backspace for a person at a terminal, lines ending in CR LF.</summary>
        internal void SetTerminalEcho(bool on)
        {
            _assembler.Echo = on;
            _writer.CrLf = on;
        }

        /// <summary>Sets the CRC-on-every-line mode.</summary>
        internal void SetCrcMode(bool on)
        {
            _writer.CrcAlways = on;
        }

        // ------------------------------------------------------------------ the service step

        private void Service(long now)
        {
            // What the therapy does by itself is not the request's change, even when a request (SIM:ADVANCE) runs it.
            bool inRequest = _inRequest;
            _inRequest = false;
            ReadInputs(now);
            ServiceBattery(now);
            int due = AdvanceWithinAllowance(now);
            if (due > 0)
            {
                _backlogSteps += due;
                _dirtyReasons |= PersistReasons.Steps;
            }
            // A held-back step moves DOSE_LIMIT's clearing time: stored ahead of it, at most once a minute, so that the
            // alarm stays raised across a reset until at least 10 minutes after the last one (HeldStepSaves).
            if (HeldStepSaves.SaveDue(_controller)) _dirtyReasons |= PersistReasons.Therapy;
            // The motor stopped (rate 0): store an allowance of 0, so that a boot charges nothing.
            if (_persistence != null && _allowance.PersistedAllowance > 0 && !StepAllowance.MotorMayRun(_controller, false))
            {
                _dirtyReasons |= PersistReasons.Therapy;
            }
            DrainEvents();
            if ((_controller.Alarms & AlarmCode.StoppingMask) != 0)
            {
                FailClosed();
            }
            else
            {
                IssueSteps(now);
            }
            if (_hw.Driver.IsEnabled && _backlogSteps == 0 && _hw.Steps.PendingSteps == 0)
            {
                _hw.Driver.Disable();
            }
            SendTelemetry(now);
            _buzzer.Drive(_hw.Buzzer, _controller.Alarms & ~_controller.AckedAlarms, now);
            Flush(now, false);
            _inRequest = inRequest;
        }

        private void ReadInputs(long now)
        {
            long emitted = _issuedSteps - _abortedSteps - _hw.Steps.PendingSteps;
            long confirmed = _hw.Feedback.ConfirmedSteps - _confirmedBase;
            long deficit = (emitted - _stallBaseEmitted) - (confirmed - _stallBaseConfirmed);
            bool stall = false;
            if (deficit >= StallThresholdSteps)
            {
                stall = true;
            }
            else if (deficit < 0)
            {
                // More confirmed than commanded (feedback noise): re-anchor, so that surplus can
                // never hide a later stall.
                _stallBaseEmitted = emitted;
                _stallBaseConfirmed = confirmed;
            }
            _controller.SetInputs(stall, OcclusionInput(now), _hw.LowBattery.IsAsserted, now);
            if (stall)
            {
                // The alarm is latched in the core; stop the motor, then measure afresh so that the
                // cause reads "gone" until steps are commanded again (ACK + START retries the motor).
                FailClosed();
                _stallBaseEmitted = _issuedSteps - _abortedSteps - _hw.Steps.PendingSteps;
                _stallBaseConfirmed = _hw.Feedback.ConfirmedSteps - _confirmedBase;
            }
        }

        // The digital occlusion input, or'ed with the pressure rule where a sensor is fitted. Until the rule's filter
        // is full after a boot, the cause the controller persisted stands (a latched alarm neither clears nor
        // flickers in the first two seconds).
        private bool OcclusionInput(long now)
        {
            bool occlusion = _hw.Occlusion.IsAsserted;
            if (_hw.Pressure == null) return occlusion;
            _pressure.Sample(_hw.Pressure, now);
            return occlusion || (_pressure.Ready ? _pressure.CauseAsserted : _controller.OcclusionCause);
        }

        private void FailClosed()
        {
            int pending = _hw.Steps.PendingSteps;
            if (pending > 0)
            {
                _hw.Steps.Abort();
                _abortedSteps += pending;
            }
            // Steps the core counted but not yet issued are dropped, not delivered later:
            // a stopping alarm never leads to a catch-up.
            _abortedSteps += _backlogSteps;
            _issuedSteps += _backlogSteps;
            _backlogSteps = 0;
            _hw.Driver.Disable();
        }

        private void IssueSteps(long now)
        {
            if (_backlogSteps == 0 || now < _nextIssueMicros) return;
            int pending = _hw.Steps.PendingSteps;
            if (pending > 0)
            {
                _nextIssueMicros = now + pending * _stepIntervalMicros;
                return;
            }
            long block = _backlogSteps;
            if (block > StepBlockMax) block = StepBlockMax;
            if (block > _hw.Steps.MaxBlockSteps) block = _hw.Steps.MaxBlockSteps;
            if (!_hw.Driver.IsEnabled) _hw.Driver.Enable();
            if (_hw.Steps.TryIssue((int)block, (int)_stepIntervalMicros))
            {
                _backlogSteps -= block;
                _issuedSteps += block;
                if (_battery != null) _battery.AddSteps(block);
                _nextIssueMicros = now + block * _stepIntervalMicros;
                _blockEndMicros = _nextIssueMicros;
            }
            else
            {
                _nextIssueMicros = now + _stepIntervalMicros;
                _blockEndMicros = _nextIssueMicros;
            }
        }
    }
}
