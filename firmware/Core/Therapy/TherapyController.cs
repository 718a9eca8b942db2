// The therapy: one object that owns the state machine, the alarms, the boluses, the reservoir,
// the 24 h window and the exact step schedule. It never reads a clock (smoltcp's rule): every
// call takes the device-timeline time in µs, Advance returns the steps due, NextWakeMicros says
// when to call again, and everything else that happened is queued as data (TherapyEvent) for
// the application to print, log and persist. One thread; no allocation on the step path.
//
// Decisions where PROTOCOL.md is silent are documented on the members they concern.
//
// One class in several files, one concern each, so that a rule is read (and changed) in one place:
// this file holds the state, the timeline (Boot, Advance, the timers), the step itself, START/STOP and
// the events; beside it are TherapyController.Program (commit, calibration), .Boluses (clinician bolus,
// PTM, prime, bridge), .Reservoir (refill, counters, the empty forecast), .Alarms, .DoseLimit (the 24 h
// window and held-back steps), .Rates (the rate the engine runs and how the history shares it),
// .WallClock (TIME) and .Persistence (the state image). What can stand alone behind a narrow interface
// is a class of its own beside it: WallClock, DoseLimitHold, BridgeRule, EmptyForecast, RefillCheck,
// DailyHistory.
using PumpFirmware.Dosing;

namespace PumpFirmware.Therapy
{
    /// <summary>The dosing core's state machine (PROTOCOL.md "Therapy", "Alarms", "Power and reset").
    /// All times are device-timeline µs (never backwards, counting off-time; docs/ARCHITECTURE.md "Time").
    /// Call <see cref="Advance(long)"/> with the current time before a command at that time, so that the command
    /// acts on an up-to-date therapy (commands never lose or repeat steps either way).</summary>
    public sealed partial class TherapyController
    {
        /// <summary>Capacity of the event ring; when full, the oldest event is dropped and counted in <see cref="EventsDropped"/>.</summary>
        public const int EventCapacity = 64;

        /// <summary>Calibration of a fresh pump, steps/mL.</summary>
        public const long DefaultStepsPerMl = 64000;

        /// <summary>Largest calibration accepted by CAL, steps/mL.</summary>
        public const long MaxStepsPerMl = 10000000;

        /// <summary>Largest motor step rate the engine supports, steps/s (keeps Q32 steps/day in 63 bits).</summary>
        public const int MaxSupportedStepsPerSecond = 20000;

        /// <summary>Largest clinician bolus duration, minutes.</summary>
        public const int MaxBolusMinutes = 1440;

        /// <summary>DOSE_LIMIT clears this long after the last held-back step, µs (10 min).</summary>
        public const long DoseLimitClearMicros = DoseLimitHold.ClearAfterMicros;

        /// <summary>Latest wall clock accepted by TIME, unix seconds (2100-01-01).</summary>
        public const long MaxUnixSeconds = 4102444800L;

        /// <summary>Version byte of the <see cref="Save"/> layout.</summary>
        public const int StateVersion = 1;

        private const long MinuteMicros = 60000000L;
        private const long NlPerMl = 1000000L;
        private const long FgPerNg = 1000000L;

        private readonly int _maxStepsPerSecond;
        private readonly long _maxRateQ32PerDay;
        private readonly Prescription _program = new Prescription();
        private readonly Prescription _oldProgram = new Prescription();
        private readonly DeliveryEngine _engine = new DeliveryEngine();
        private readonly DoseWindow _window = new DoseWindow();
        private readonly StepQuotients _quotients = new StepQuotients();
        private readonly PtmHistory _ptm = new PtmHistory();
        private readonly TherapyEventQueue _events = new TherapyEventQueue(EventCapacity);
        private readonly RefillCheck _refills = new RefillCheck();
        // One wall clock: the daily history reads this object (it counts its days by it), so TIME and a load that set
        // it leave no second copy behind.
        private readonly WallClock _clock = new WallClock();
        private readonly DailyHistory _history;
        private readonly char[] _scratch = new char[Prescription.MaxCanonicalLength];

        private bool _hasProgram;
        private int _programCrc = -1;
        private long _stepsPerMl = DefaultStepsPerMl;
        private TherapyState _state = TherapyState.Stopped;
        private TherapyState _stateBeforeAlarm = TherapyState.Stopped;

        private BolusKind _bolus = BolusKind.None;
        private long _bolusDoseNg;
        private int _bolusDurationMin;
        private long _bolusEndMicros;
        private long _primeRemainingNl;
        private long _bridgeRemainingNl;

        private int _alarms;
        private int _ackedAlarms;
        private bool _stallCause;
        private bool _occlusionCause;
        private bool _lowBatteryCause;
        private readonly DoseLimitHold _held = new DoseLimitHold();

        private long _totalSteps;
        private long _deliveredNl;
        private long _volumeRemainder;
        private long _reservoirNl;

        private long _scheduleBoundaryMicros = long.MaxValue;
        private long _nextWakeMicros = long.MaxValue;
        private long _lastNowMicros;

        /// <summary>Creates a fresh pump (STOPPED, no program, default calibration, empty reservoir).</summary>
        /// <param name="maxStepsPerSecond">The board's maximum motor step rate, steps/s (1..<see cref="MaxSupportedStepsPerSecond"/>).</param>
        public TherapyController(int maxStepsPerSecond)
        {
            if (maxStepsPerSecond < 1 || maxStepsPerSecond > MaxSupportedStepsPerSecond)
            {
                throw new System.ArgumentOutOfRangeException("maxStepsPerSecond");
            }
            _maxStepsPerSecond = maxStepsPerSecond;
            _maxRateQ32PerDay = ((long)maxStepsPerSecond * 86400L) << 32;
            _history = new DailyHistory(_clock);
        }

        /// <summary>The board's maximum step rate, steps/s (CAL? <c>max_steps_s</c>).</summary>
        public int MaxStepsPerSecond { get { return _maxStepsPerSecond; } }

        // ================================================================ time and delivery

        /// <summary>Starts the controller after <see cref="Load"/> (or fresh). A clinician or PTM bolus and a prime in
        /// progress end (BolusCancelled, reason reset; a granted PTM still counts); a bridge resumes; delivery restarts
        /// from <paramref name="nowMicros"/> and never makes up for the time the pump was off.</summary>
        /// <param name="nowMicros">Device timeline, µs.</param>
        /// <param name="unpersistedSteps">Bound on steps issued but not persisted before the reset; their drug (at the
        /// higher of the program's and a bridge's concentration) is charged to the 24 h window now, so a power loss can
        /// never let the limit be exceeded.</param>
        public void Boot(long nowMicros, int unpersistedSteps)
        {
            if (nowMicros > _lastNowMicros) _lastNowMicros = nowMicros;
            if (_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm || _bolus == BolusKind.Prime)
            {
                EndBolus(nowMicros, true, TherapyEvent.ReasonReset);
            }
            if (unpersistedSteps > 0 && _hasProgram)
            {
                long conc = _program.ConcNgPerMl;
                if (_bolus == BolusKind.Bridge && _oldProgram.ConcNgPerMl > conc) conc = _oldProgram.ConcNgPerMl;
                _window.Add(nowMicros, _quotients.FemtogramsPerStep(conc, _stepsPerMl) * unpersistedSteps);
            }
            _engine.Restart(nowMicros);
            // Timers that fell due while the pump was off (DOSE_LIMIT's 10 minutes) are handled now, not in the past.
            if (NextTimerMicros() <= nowMicros) HandleTimers(nowMicros);
            UpdateRate(nowMicros);
            _events.Push(TherapyEventKind.Booted, nowMicros, (int)_state, unpersistedSteps, 0);
            ComputeNextWake();
        }

        /// <summary>After a <see cref="Load"/> that put back the state of before a request whose change could not be
        /// stored: drops the events that request queued and goes on from <paramref name="nowMicros"/> at the rate of the
        /// state put back (the one-step bound restarts, as at a reset; nothing is made up).</summary>
        /// <param name="nowMicros">Device timeline, µs.</param>
        public void ResumeAfterRollback(long nowMicros)
        {
            _events.Clear();
            nowMicros = Touch(nowMicros);
            _engine.Restart(nowMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
        }

        /// <summary><see cref="Boot(long, int)"/> with no unpersisted steps.</summary>
        public void Boot(long nowMicros)
        {
            Boot(nowMicros, 0);
        }

        /// <summary>Brings the therapy up to <paramref name="nowMicros"/>: returns the number of motor steps due now
        /// (the application issues them, as one block at the maximum step rate when more than one), updates alarms,
        /// boluses and the 24 h window, and queues events. No allocation. Steps are processed in time order, each
        /// at its exact due time; rate changes (schedule, bolus end, prime/bridge end) take effect at their exact time.</summary>
        /// <param name="nowMicros">Device timeline, µs; an earlier time than a previous call is treated as that time.</param>
        /// <returns>Steps to issue now (0 or more).</returns>
        public int Advance(long nowMicros)
        {
            return Advance(nowMicros, int.MaxValue);
        }

        /// <summary><see cref="Advance(long)"/> counting at most <paramref name="maxSteps"/> steps: it stops before the
        /// next step beyond them, so <see cref="NextWakeMicros"/> is then at or before <paramref name="nowMicros"/> exactly
        /// when a step is still due (timers and rate changes before that step are handled). The application uses it to
        /// commit before counting a step the last durable image does not allow for.</summary>
        /// <param name="nowMicros">Device timeline, µs.</param>
        /// <param name="maxSteps">Most steps to count now (0 or more).</param>
        /// <returns>Steps to issue now (0..<paramref name="maxSteps"/>).</returns>
        public int Advance(long nowMicros, int maxSteps)
        {
            if (nowMicros < _lastNowMicros) nowMicros = _lastNowMicros;
            _lastNowMicros = nowMicros;
            int issued = 0;
            long engineNext;
            long timer;
            while (true)
            {
                engineNext = _engine.NextMicros;
                timer = NextTimerMicros();
                if (engineNext <= timer)
                {
                    if (engineNext > nowMicros) break;
                    if (_engine.NextIsStep)
                    {
                        if (issued >= maxSteps) break;
                        _engine.ConsumeStep();
                        if (DeliverStep(engineNext, nowMicros)) issued++;
                    }
                    else
                    {
                        _engine.Reanchor(engineNext);
                    }
                }
                else
                {
                    if (timer > nowMicros) break;
                    HandleTimers(timer);
                }
            }
            // Every break above comes right after reading both times, with nothing changed since: ComputeNextWake's
            // result, without reading them again.
            _nextWakeMicros = engineNext < timer ? engineNext : timer;
            return issued;
        }

        /// <summary>Device-timeline µs at which <see cref="Advance(long)"/> must be called next (a step, a rate change, an
        /// alarm timer); long.MaxValue if nothing will ever happen without an input. Valid after Boot/Advance/commands.</summary>
        public long NextWakeMicros { get { return _nextWakeMicros; } }

        // ================================================================ START and STOP

        /// <summary>START: STOPPED or SUSPENDED -&gt; RUNNING, with an active program and no stopping alarm.
        /// Delivers from this instant at the current step's rate (the one-step bound restarts). 409 otherwise:
        /// "state RUNNING", "state ALARM", "no active program", "bolus in progress (PRIME)".</summary>
        public TherapyResult Start(long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (_state == TherapyState.Running || _state == TherapyState.Alarm) return StateError();
            if (!_hasProgram) return TherapyResult.Error(409, "no active program");
            if (_bolus == BolusKind.Prime) return BolusInProgress();
            SetState(TherapyState.Running, nowMicros);
            _engine.Restart(nowMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>STOP, accepted in every state: RUNNING -&gt; SUSPENDED (minimum rate only); SUSPENDED -&gt; STOPPED
        /// (decision: a second STOP stops the minimum rate too, the only way back to STOPPED, where PRIME is allowed);
        /// STOPPED stays STOPPED; ALARM stays ALARM. Cancels a clinician or PTM bolus and a prime; a bridge keeps its
        /// remaining volume.</summary>
        public TherapyResult Stop(long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm || _bolus == BolusKind.Prime)
            {
                EndBolus(nowMicros, true, TherapyEvent.ReasonStop);
            }
            if (_state == TherapyState.Running) SetState(TherapyState.Suspended, nowMicros);
            else if (_state == TherapyState.Suspended) SetState(TherapyState.Stopped, nowMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>The therapy state.</summary>
        public TherapyState State { get { return _state; } }

        private void SetState(TherapyState state, long t)
        {
            if (state == _state) return;
            _events.Push(TherapyEventKind.StateChanged, t, (int)state, (long)_state, 0);
            _state = state;
        }

        private TherapyResult StateError()
        {
            return TherapyResult.Error(409, "state " + StateName(_state));
        }

        /// <summary>The protocol word for a state ("STOPPED", "RUNNING", "SUSPENDED", "ALARM").</summary>
        public static string StateName(TherapyState state)
        {
            switch (state)
            {
                case TherapyState.Running: return "RUNNING";
                case TherapyState.Suspended: return "SUSPENDED";
                case TherapyState.Alarm: return "ALARM";
                default: return "STOPPED";
            }
        }

        // ================================================================ events

        /// <summary>Events waiting to be drained.</summary>
        public int EventCount { get { return _events.Count; } }

        /// <summary>Events dropped because the ring was full (the application drains it every poll, so this stays 0).</summary>
        public long EventsDropped { get { return _events.Dropped; } }

        /// <summary>Copies the oldest waiting event into <paramref name="destination"/> and removes it. No allocation.</summary>
        /// <returns>false if no event was waiting.</returns>
        public bool TryTakeEvent(TherapyEvent destination)
        {
            return _events.TryTake(destination);
        }

        // ================================================================ internals

        // Every command takes its time as the latest, and a command stamped earlier than the latest acts at the
        // latest (as Advance does): the engine and the timers never see time run backwards.
        private long Touch(long nowMicros)
        {
            if (nowMicros > _lastNowMicros) _lastNowMicros = nowMicros;
            return _lastNowMicros;
        }

        private long NextTimerMicros()
        {
            long next = _scheduleBoundaryMicros;
            if ((_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm) && _bolusEndMicros < next) next = _bolusEndMicros;
            if ((_alarms & AlarmCode.DoseLimit) != 0)
            {
                long clear = _held.ClearsAtMicros;
                if (clear < next) next = clear;
            }
            return next;
        }

        private void HandleTimers(long t)
        {
            if ((_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm) && _bolusEndMicros <= t)
            {
                EndBolus(t, false, 0);
            }
            if ((_alarms & AlarmCode.DoseLimit) != 0 && _held.ClearsAtMicros <= t)
            {
                ClearAlarm(AlarmCode.DoseLimit, t, _held.EndEpisode());
            }
            UpdateRate(t);
        }

        private void ComputeNextWake()
        {
            long timer = NextTimerMicros();
            long engine = _engine.NextMicros;
            _nextWakeMicros = engine < timer ? engine : timer;
        }

        // One step is due at its exact time dueMicros; the window is charged at nowMicros, when it is really issued.
        private bool DeliverStep(long dueMicros, long nowMicros)
        {
            long remainder;
            long stepNl = _quotients.StepNanoliters(_volumeRemainder, _stepsPerMl, out remainder);
            if (_reservoirNl < stepNl)
            {
                RaiseAlarm(AlarmCode.Empty, dueMicros);
                return false;
            }
            // A bridge's steps are the old drug at its own concentration.
            long conc = _bolus == BolusKind.Bridge ? _oldProgram.ConcNgPerMl : _program.ConcNgPerMl;
            if (_bolus != BolusKind.Prime)
            {
                long fg = _quotients.FemtogramsPerStep(conc, _stepsPerMl);
                // Counted at nowMicros when it fits under the limit (room = limit - the window's sum at nowMicros).
                if (!_window.TryAdd(nowMicros, fg, _program.LimitNgPerDay * FgPerNg))
                {
                    _held.Hold(dueMicros);
                    if ((_alarms & AlarmCode.DoseLimit) == 0)
                    {
                        _events.Push(TherapyEventKind.StepsHeldBack, dueMicros, 0, _window.SumFemtograms, _program.LimitNgPerDay * FgPerNg);
                        RaiseAlarm(AlarmCode.DoseLimit, dueMicros);
                    }
                    return false;
                }
            }
            _totalSteps++;
            _deliveredNl += stepNl;
            _volumeRemainder = remainder;
            _reservoirNl -= stepNl;
            // nL x ng/mL = fg: the step's drug, exactly.
            _history.AddStep(dueMicros, stepNl * conc);
            if (_bolus == BolusKind.Bridge)
            {
                _bridgeRemainingNl -= stepNl;
                if (_bridgeRemainingNl <= 0)
                {
                    EndBolus(dueMicros, false, 0);
                    UpdateRate(dueMicros);
                }
            }
            else if (_bolus == BolusKind.Prime)
            {
                _primeRemainingNl -= stepNl;
                if (_primeRemainingNl < NextStepNl())
                {
                    EndBolus(dueMicros, false, 0);
                    UpdateRate(dueMicros);
                }
            }
            if (_reservoirNl <= LowAlarmNl) RaiseAlarm(AlarmCode.LowReservoir, dueMicros);
            return true;
        }

        private long NextStepNl()
        {
            return (_volumeRemainder + NlPerMl) / _stepsPerMl;
        }
    }
}
