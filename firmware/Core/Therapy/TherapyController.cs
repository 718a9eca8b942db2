// The therapy: one object that owns the state machine, the alarms, the boluses, the reservoir,
// the 24 h window and the exact step schedule. It never reads a clock (smoltcp's rule): every
// call takes the device-timeline time in µs, Advance returns the steps due, NextWakeMicros says
// when to call again, and everything else that happened is queued as data (TherapyEvent) for
// the application to print, log and persist. One thread; no allocation on the step path.
//
// Decisions where PROTOCOL.md is silent are documented on the members they concern.
using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    /// <summary>The dosing core's state machine (PROTOCOL.md "Therapy", "Alarms", "Power and reset").
    /// All times are device-timeline µs (never backwards, counting off-time; docs/ARCHITECTURE.md "Time").
    /// Call <see cref="Advance(long)"/> with the current time before a command at that time, so that the command
    /// acts on an up-to-date therapy (commands never lose or repeat steps either way).</summary>
    public sealed class TherapyController
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
        public const long DoseLimitClearMicros = 600000000L;

        /// <summary>Latest wall clock accepted by TIME, unix seconds (2100-01-01).</summary>
        public const long MaxUnixSeconds = 4102444800L;

        /// <summary>Version byte of the <see cref="Save"/> layout.</summary>
        public const int StateVersion = 1;

        private const long DayMicros = 86400000000L;
        private const long MinuteMicros = 60000000L;
        private const long NlPerMl = 1000000L;
        private const long FgPerNg = 1000000L;

        private readonly int _maxStepsPerSecond;
        private readonly long _maxRateQ32PerDay;
        private readonly Prescription _program = new Prescription();
        private readonly Prescription _oldProgram = new Prescription();

        // The two programs change only here (a commit, a load, a bridge's end), a few times a year, yet make a third of
        // the image outside the 24 h window: a storage journal's diff pass that continues the one that last wrote them
        // (same writer, next pass, same position, no change since) steps over their bytes, as the window does.
        private int _programsVersion;
        private StateWriter _programsWriter;
        private int _programsPass;
        private int _programsStart = -1;
        private int _programsEnd;
        private int _programsWrittenVersion;
        private readonly DeliveryEngine _engine = new DeliveryEngine();
        private readonly DoseWindow _window = new DoseWindow();
        private readonly PtmHistory _ptm = new PtmHistory();
        private readonly TherapyEventQueue _events = new TherapyEventQueue(EventCapacity);
        private readonly RefillCheck _refills = new RefillCheck();
        private readonly DailyHistory _history = new DailyHistory();
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
        private long _lastHeldMicros;
        private long _heldReserveMicros; // the image names this held-back time when later (HeldStepSaves)
        private long _heldInEpisode;
        private long _heldTotal;

        private long _totalSteps;
        private long _deliveredNl;
        private long _volumeRemainder;
        private long _reservoirNl;

        private bool _wallClockSet;
        private long _wallOffsetMicros;

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
                _window.Add(nowMicros, FemtogramsPerStep(conc) * unpersistedSteps);
            }
            _engine.Restart(nowMicros);
            _history.SetClock(_wallClockSet, _wallOffsetMicros);
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
            _history.SetClock(_wallClockSet, _wallOffsetMicros);
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
            while (true)
            {
                long engineNext = _engine.NextMicros;
                long timer = NextTimerMicros();
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
            ComputeNextWake();
            return issued;
        }

        /// <summary>Device-timeline µs at which <see cref="Advance(long)"/> must be called next (a step, a rate change, an
        /// alarm timer); long.MaxValue if nothing will ever happen without an input. Valid after Boot/Advance/commands.</summary>
        public long NextWakeMicros { get { return _nextWakeMicros; } }

        // ================================================================ commands

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

        /// <summary>Checks a staged program as PROG:REVIEW and PROG:COMMIT do: 409 "program incomplete", 422 naming
        /// the value and the limit (worst day, minimum rate, motor rate at the current calibration), else OK.</summary>
        public TherapyResult ValidateProgram(Prescription program)
        {
            if (program == null || !program.IsComplete) return TherapyResult.Error(409, "program incomplete");
            string error = program.Validate(_stepsPerMl, _maxStepsPerSecond);
            return error == null ? TherapyResult.Ok : TherapyResult.Error(422, error);
        }

        /// <summary>PROG:COMMIT: validates <paramref name="program"/> (as <see cref="ValidateProgram"/>) and copies it as
        /// the active program (the caller persists). Cancels a clinician or PTM bolus and a prime (decision: a prime too,
        /// the catheter volume may have changed); keeps a running bridge when the drug and concentration stay, and is
        /// refused (409 "bridge in progress", before any 422) when they change (<see cref="BridgeRule"/>); clears
        /// CRITICAL; raises LOW_RESERVOIR if the reservoir is at or below the new threshold. With
        /// <paramref name="bridge"/>, a previous program and a changed concentration, starts a bridge of the new
        /// program's catheter volume at the old program's volume rate (none if that volume is 0). The state is kept;
        /// the one-step bound restarts here.</summary>
        public TherapyResult Commit(Prescription program, bool bridge, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (program == null || !program.IsComplete) return TherapyResult.Error(409, "program incomplete");
            bool bridgeRunning = _bolus == BolusKind.Bridge;
            string refused = BridgeRule.RefuseCommit(bridgeRunning, _program, program);
            if (refused != null) return TherapyResult.Error(409, refused);
            TherapyResult check = ValidateProgram(program);
            if (!check.IsOk) return check;
            bool startBridge = BridgeRule.Starts(bridge, bridgeRunning, _hasProgram, _program, program);
            if (_bolus != BolusKind.None && !bridgeRunning) EndBolus(nowMicros, true, TherapyEvent.ReasonCommit);
            if (startBridge) _oldProgram.CopyFrom(_program);
            _program.CopyFrom(program);
            _programsVersion++;
            _hasProgram = true;
            _programCrc = _program.ComputeCrc(_scratch);
            _events.Push(TherapyEventKind.ProgramCommitted, nowMicros, _programCrc, startBridge ? 1 : 0, 0);
            if (startBridge)
            {
                _bolus = BolusKind.Bridge;
                _bridgeRemainingNl = program.CatheterNl;
                _events.Push(TherapyEventKind.BolusStarted, nowMicros, (int)BolusKind.Bridge, _bridgeRemainingNl, 0);
            }
            ClearAlarm(AlarmCode.Critical, nowMicros, 0);
            if (_reservoirNl <= _program.LowAlarmNl) RaiseAlarm(AlarmCode.LowReservoir, nowMicros);
            _engine.Restart(nowMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>BOLUS: a clinician bolus of <paramref name="doseNg"/> over <paramref name="durationMin"/> minutes on top
        /// of basal. RUNNING only (409), one bolus at a time (409 "bolus in progress"), 422 if the dose or duration is out
        /// of range, if the drug already in the 24 h window plus the dose would cross the limit, or if the peak basal plus
        /// the bolus rate exceeds the motor's maximum (texts name both numbers).</summary>
        public TherapyResult StartClinicianBolus(long doseNg, int durationMin, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (_state != TherapyState.Running) return StateError();
            if (_bolus != BolusKind.None) return BolusInProgress();
            if (doseNg < 1 || doseNg > Prescription.MaxDoseNg)
            {
                return TherapyResult.Error(422, "dose_ug=" + Fixed3.Format(doseNg) + " out of range 0.001..100000000.000");
            }
            if (durationMin < 1 || durationMin > MaxBolusMinutes)
            {
                return TherapyResult.Error(422, "duration_min=" + Fixed3.FormatInteger(durationMin) + " out of range 1..1440");
            }
            string limitError = WindowCheck(doseNg, nowMicros, "bolus_ug=");
            if (limitError != null) return TherapyResult.Error(422, limitError);
            string motorError = MotorCheck(WideMath.MulDivCeil(doseNg, 1440, durationMin), _stepsPerMl);
            if (motorError != null) return TherapyResult.Error(422, motorError);
            StartTimedBolus(BolusKind.Clinician, doseNg, durationMin, nowMicros);
            return TherapyResult.Ok;
        }

        /// <summary>BOLUS:CANCEL: ends a clinician bolus, PTM or prime; the remainder is not delivered. Does not end a
        /// bridge. 409 "no bolus in progress" when there is nothing it can cancel (decision).</summary>
        public TherapyResult CancelBolus(long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (_bolus != BolusKind.Clinician && _bolus != BolusKind.Ptm && _bolus != BolusKind.Prime)
            {
                return TherapyResult.Error(409, "no bolus in progress");
            }
            EndBolus(nowMicros, true, TherapyEvent.ReasonCancel);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>PTM: the patient's request. Granted when RUNNING, enabled, no other bolus, out of lockout (from the
        /// previous granted start), under max_per_day granted in the last 24 h and within the 24 h limit; the result then
        /// carries <see cref="TherapyResult.DoseNg"/> and <see cref="TherapyResult.NextAllowedSeconds"/> (seconds until
        /// both the lockout and the daily count allow the next one). Refusals: 409 (state, "PTM disabled", bolus in
        /// progress), 423 (lockout with <see cref="TherapyResult.RemainingSeconds"/>, daily count with the seconds until
        /// one leaves the 24 h, or the 24 h limit). Both outcomes are queued as events (they are logged).</summary>
        public TherapyResult RequestPatientBolus(long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (_state != TherapyState.Running) return RefusePtm(StateError(), nowMicros);
            if (!_program.PtmEnabled) return RefusePtm(TherapyResult.Error(409, "PTM disabled"), nowMicros);
            if (_bolus != BolusKind.None) return RefusePtm(BolusInProgress(), nowMicros);
            long last = _ptm.LastStartMicros;
            long lockoutMicros = _program.PtmLockoutMin * MinuteMicros;
            if (last != long.MinValue && nowMicros - last < lockoutMicros)
            {
                long remaining = CeilSeconds(last + lockoutMicros - nowMicros);
                TherapyResult r = TherapyResult.Error(423, "lockout remaining_s=" + Fixed3.FormatInteger(remaining));
                r.RemainingSeconds = remaining;
                return RefusePtm(r, nowMicros);
            }
            long freesAt = _ptm.CountFreesAtMicros(nowMicros, _program.PtmMaxPerDay);
            if (freesAt != long.MinValue)
            {
                long remaining = CeilSeconds(freesAt - nowMicros);
                TherapyResult r = TherapyResult.Error(423, "daily count reached max_per_day=" + Fixed3.FormatInteger(_program.PtmMaxPerDay)
                    + " remaining_s=" + Fixed3.FormatInteger(remaining));
                r.RemainingSeconds = remaining;
                return RefusePtm(r, nowMicros);
            }
            string limitError = WindowCheck(_program.PtmDoseNg, nowMicros, "ptm_dose_ug=");
            if (limitError != null) return RefusePtm(TherapyResult.Error(423, limitError), nowMicros);

            _ptm.Add(nowMicros);
            long next = lockoutMicros;
            long countFrees = _ptm.CountFreesAtMicros(nowMicros, _program.PtmMaxPerDay);
            if (countFrees != long.MinValue && countFrees - nowMicros > next) next = countFrees - nowMicros;
            long nextSeconds = CeilSeconds(next);
            _events.Push(TherapyEventKind.PtmGranted, nowMicros, 0, _program.PtmDoseNg, nextSeconds);
            StartTimedBolus(BolusKind.Ptm, _program.PtmDoseNg, _program.PtmDurationMin, nowMicros);
            TherapyResult granted = new TherapyResult(0, null);
            granted.DoseNg = _program.PtmDoseNg;
            granted.NextAllowedSeconds = nextSeconds;
            return granted;
        }

        /// <summary>PRIME: <paramref name="volumeNl"/> at the motor's maximum rate, in STOPPED only (409), with an active
        /// program (409) and no bridge pending (409 bolus in progress), at most the program's catheter volume (422),
        /// outside the 24 h window. It ends before a step that would exceed the volume (under by less than a step).</summary>
        public TherapyResult Prime(long volumeNl, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (_state != TherapyState.Stopped) return StateError();
            if (!_hasProgram) return TherapyResult.Error(409, "no active program");
            if (_bolus != BolusKind.None) return BolusInProgress();
            if (volumeNl < 1 || volumeNl > _program.CatheterNl)
            {
                return TherapyResult.Error(422, "volume_ul=" + Fixed3.Format(volumeNl) + " exceeds catheter_ul=" + Fixed3.Format(_program.CatheterNl));
            }
            _bolus = BolusKind.Prime;
            _primeRemainingNl = volumeNl;
            _events.Push(TherapyEventKind.BolusStarted, nowMicros, (int)BolusKind.Prime, volumeNl, 0);
            if (_primeRemainingNl < NextStepNl()) EndBolus(nowMicros, false, 0);
            _engine.Restart(nowMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>REFILL: sets the reservoir to <paramref name="volumeNl"/> (0..capacity of the active program, or the
        /// default capacity; else 422). Clears EMPTY (an EMPTY pump is then SUSPENDED until START) and LOW_RESERVOIR
        /// (decision: unless the new volume is itself at or below the low alarm, which then stays raised).</summary>
        public TherapyResult Refill(long volumeNl, long nowMicros)
        {
            return Refill(volumeNl, RefillCheck.NotMeasured, nowMicros);
        }

        /// <summary>REFILL with the refill check (<see cref="RefillCheck"/>): as <see cref="Refill(long, long)"/>, and
        /// <paramref name="residualNl"/>, the volume withdrawn before filling (0..capacity, else 422; or
        /// <see cref="RefillCheck.NotMeasured"/>), is compared with the reservoir the accounting expected: the check is
        /// logged (event RefillChecked) and REFILL_GAP is raised when the gap exceeds the threshold. Every refill, checked
        /// or not, enters the refill history.</summary>
        public TherapyResult Refill(long volumeNl, long residualNl, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            long capacity = _hasProgram ? _program.CapacityNl : Prescription.DefaultCapacityNl;
            if (volumeNl < 0 || volumeNl > capacity)
            {
                return TherapyResult.Error(422, "volume_ul=" + Fixed3.Format(volumeNl) + " exceeds capacity_ul=" + Fixed3.Format(capacity));
            }
            if (residualNl > capacity)
            {
                return TherapyResult.Error(422, "residual_ul=" + Fixed3.Format(residualNl) + " exceeds capacity_ul=" + Fixed3.Format(capacity));
            }
            long before = _reservoirNl;
            _reservoirNl = volumeNl;
            bool gapAlarm = _refills.Record(UnixSeconds(nowMicros), volumeNl, before, residualNl);
            _events.Push(TherapyEventKind.Refilled, nowMicros, 0, volumeNl, before);
            if (residualNl >= 0)
            {
                _events.Push(TherapyEventKind.RefillChecked, nowMicros, gapAlarm ? 1 : 0, before, residualNl);
                if (gapAlarm) RaiseAlarm(AlarmCode.RefillGap, nowMicros);
            }
            ClearAlarm(AlarmCode.Empty, nowMicros, 0);
            if (_reservoirNl > LowAlarmNl) ClearAlarm(AlarmCode.LowReservoir, nowMicros, 0);
            else RaiseAlarm(AlarmCode.LowReservoir, nowMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>REFILL:GAP: the gap between the measured and the expected residual above which a refill check raises
        /// REFILL_GAP, nL (0..<see cref="RefillCheck.MaxGapAlarmNl"/>, else 422). Logged (event RefillGapSet).</summary>
        public TherapyResult SetRefillGapAlarm(long gapNl, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (gapNl < 0 || gapNl > RefillCheck.MaxGapAlarmNl)
            {
                return TherapyResult.Error(422, "gap_ul=" + Fixed3.Format(gapNl) + " out of range 0..1000000.000");
            }
            long old = _refills.GapAlarmNl;
            _refills.SetGapAlarm(gapNl);
            _events.Push(TherapyEventKind.RefillGapSet, nowMicros, 0, gapNl, old);
            return TherapyResult.Ok;
        }

        /// <summary>CAL: steps/mL, 1..10^7 (422); 422 too if the active program, or the program plus a running
        /// clinician bolus, would then exceed the motor's maximum rate. Steps issued before keep the volume of the
        /// calibration in force when they were issued (the sub-nL remainder is rescaled, rounding down: under
        /// 1/stepsPerMl nL per change).</summary>
        public TherapyResult SetCalibration(long stepsPerMl, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (stepsPerMl < 1 || stepsPerMl > MaxStepsPerMl)
            {
                return TherapyResult.Error(422, "steps_per_ml=" + Fixed3.FormatInteger(stepsPerMl) + " out of range 1..10000000");
            }
            if (_hasProgram)
            {
                string error = _program.Validate(stepsPerMl, _maxStepsPerSecond);
                // Decision: a running clinician bolus must still fit under the motor too (a PTM's rate is part of
                // the program's check), else the engine would cap the rate and deliver the bolus late, unannounced.
                if (error == null && _bolus == BolusKind.Clinician)
                {
                    error = MotorCheck(WideMath.MulDivCeil(_bolusDoseNg, 1440, _bolusDurationMin), stepsPerMl);
                }
                if (error != null) return TherapyResult.Error(422, error);
            }
            long old = _stepsPerMl;
            _volumeRemainder = WideMath.MulDivFloor(_volumeRemainder, stepsPerMl, old);
            _engine.ScalePosition(stepsPerMl, old, nowMicros);
            _stepsPerMl = stepsPerMl;
            _events.Push(TherapyEventKind.CalibrationChanged, nowMicros, 0, stepsPerMl, old);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>TIME: sets the wall clock (unix seconds, 0..<see cref="MaxUnixSeconds"/>, else 422). The schedule
        /// moves to the new time of day from now; nothing is caught up or repeated; the 24 h window (on the timeline) is
        /// unaffected.</summary>
        public TherapyResult SetWallClock(long unixSeconds, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (unixSeconds < 0 || unixSeconds > MaxUnixSeconds)
            {
                return TherapyResult.Error(422, "unix_s=" + Fixed3.FormatInteger(unixSeconds) + " out of range 0..4102444800");
            }
            long old = UnixSeconds(nowMicros);
            _wallOffsetMicros = unixSeconds * 1000000L - nowMicros;
            _wallClockSet = true;
            _history.SetClock(true, _wallOffsetMicros);
            _events.Push(TherapyEventKind.TimeSet, nowMicros, 0, unixSeconds, old);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>ALARM:ACK: acknowledges one active alarm bit. A latched STALL/OCCLUSION whose cause is already gone
        /// clears now; otherwise it clears when the cause goes. 409 "alarm CODE not active" (decision) if it is not active.</summary>
        public TherapyResult AcknowledgeAlarm(int code, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if ((_alarms & code) == 0 || (code & (code - 1)) != 0)
            {
                return TherapyResult.Error(409, "alarm " + AlarmCode.Name(code) + " not active");
            }
            _ackedAlarms |= code;
            if ((code == AlarmCode.Stall && !_stallCause) || (code == AlarmCode.Occlusion && !_occlusionCause)
                || code == AlarmCode.RefillGap)
            {
                ClearAlarm(code, nowMicros, 0);
            }
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>The inputs the application derives from the hardware: a stall (steps not confirmed, decided by the
        /// app from step feedback), the occlusion input and the battery input. Call on every change (calling every poll
        /// is fine); STALL and OCCLUSION latch until the cause is gone and they were acknowledged.</summary>
        public void SetInputs(bool stallDetected, bool occlusion, bool lowBattery, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            _stallCause = stallDetected;
            _occlusionCause = occlusion;
            _lowBatteryCause = lowBattery;
            if (stallDetected) RaiseAlarm(AlarmCode.Stall, nowMicros);
            else if ((_ackedAlarms & AlarmCode.Stall) != 0) ClearAlarm(AlarmCode.Stall, nowMicros, 0);
            if (occlusion) RaiseAlarm(AlarmCode.Occlusion, nowMicros);
            else if ((_ackedAlarms & AlarmCode.Occlusion) != 0) ClearAlarm(AlarmCode.Occlusion, nowMicros, 0);
            if (lowBattery) RaiseAlarm(AlarmCode.LowBattery, nowMicros);
            else ClearAlarm(AlarmCode.LowBattery, nowMicros, 0);
            ComputeNextWake();
        }

        /// <summary>Raises CRITICAL (stored state failed its checks, a self-test failed): delivery stops until a new
        /// program is committed.</summary>
        public void RaiseCritical(long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            RaiseAlarm(AlarmCode.Critical, nowMicros);
            ComputeNextWake();
        }

        /// <summary>The battery gauge's latches (Energy/BatteryGauge): raises ERI (delivery goes on) and EOS (a stopping
        /// alarm that no commit clears). Raises only; <see cref="ClearBatteryAlarms"/> clears both.</summary>
        public void SetBatteryAlarms(bool eri, bool eos, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (eri) RaiseAlarm(AlarmCode.Eri, nowMicros);
            if (eos) RaiseAlarm(AlarmCode.Eos, nowMicros);
            ComputeNextWake();
        }

        /// <summary>BATT:REPLACED: clears ERI and EOS. A pump that EOS stopped is SUSPENDED (or STOPPED, if it was) until
        /// START, as after EMPTY.</summary>
        public void ClearBatteryAlarms(long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            ClearAlarm(AlarmCode.Eos, nowMicros, 0);
            ClearAlarm(AlarmCode.Eri, nowMicros, 0);
            ComputeNextWake();
        }

        // ================================================================ queries

        /// <summary>The therapy state.</summary>
        public TherapyState State { get { return _state; } }

        /// <summary>The bolus in progress.</summary>
        public BolusKind ActiveBolus { get { return _bolus; } }

        /// <summary>Lifetime volume commanded, nL (floor of the exact sum of every step at the calibration in force when issued).</summary>
        public long DeliveredNl { get { return _deliveredNl; } }

        /// <summary>Lifetime motor steps commanded.</summary>
        public long TotalSteps { get { return _totalSteps; } }

        /// <summary>Device-timeline µs of the last step held back by the 24 h ceiling (DOSE_LIMIT clears 10 minutes later).</summary>
        public long LastHeldMicros { get { return _lastHeldMicros; } }

        /// <summary>The held-back time the state image names when it is later than <see cref="LastHeldMicros"/>, µs:
        /// set ahead of the held-back steps (<see cref="App.HeldStepSaves"/>), so that an image need not be stored for
        /// each of them and DOSE_LIMIT still never clears early after a reset.</summary>
        public long HeldReserveMicros { get { return _heldReserveMicros; } }

        /// <summary>Makes the image name <paramref name="micros"/> as the last held-back time while it is later than the
        /// real one (see <see cref="HeldReserveMicros"/>).</summary>
        public void ReserveHeldUntil(long micros)
        {
            _heldReserveMicros = micros;
        }

        /// <summary>The occlusion cause as last set by <see cref="SetInputs"/> (persisted with the latch).</summary>
        public bool OcclusionCause { get { return _occlusionCause; } }

        /// <summary>Steps held back by the 24 h ceiling since the pump was first started (not made up).</summary>
        public long HeldBackSteps { get { return _heldTotal; } }

        /// <summary>Reservoir volume, nL: the last REFILL minus what was delivered since (0 on a fresh pump).</summary>
        public long ReservoirNl { get { return _reservoirNl; } }

        /// <summary>Remaining volume of a bridge, nL (0 without one).</summary>
        public long BridgeRemainingNl { get { return _bolus == BolusKind.Bridge ? _bridgeRemainingNl : 0; } }

        /// <summary>Remaining volume of a prime, nL (0 without one).</summary>
        public long PrimeRemainingNl { get { return _bolus == BolusKind.Prime ? _primeRemainingNl : 0; } }

        /// <summary>End of a running clinician or PTM bolus, device timeline µs (long.MaxValue without one).</summary>
        public long BolusEndMicros
        {
            get { return _bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm ? _bolusEndMicros : long.MaxValue; }
        }

        /// <summary>Total instantaneous rate at the last Advance or command (basal or minimum rate, plus bolus; or the
        /// prime; a bridge at the old program's volume rate), nL/day, rounded down.</summary>
        public long RateNlPerDay { get { return RateAt(_lastNowMicros, true); } }

        /// <summary>Total instantaneous drug rate at the last Advance or command, ng/day, rounded down (a bridge at the
        /// old concentration, a prime at the program's).</summary>
        public long RateNgPerDay { get { return RateAt(_lastNowMicros, false); } }

        /// <summary>The rate the engine runs now, Q32 steps/day (rounded up; for tests and diagnostics).</summary>
        public long RateQ32StepsPerDay { get { return _engine.RateQ32PerDay; } }

        /// <summary>Active alarms, <see cref="AlarmCode"/> bits.</summary>
        public int Alarms { get { return _alarms; } }

        /// <summary>Active alarms that were acknowledged, <see cref="AlarmCode"/> bits.</summary>
        public int AckedAlarms { get { return _ackedAlarms; } }

        /// <summary>True once a program was committed.</summary>
        public bool HasProgram { get { return _hasProgram; } }

        /// <summary>The active program, or null. Read only: do not modify (copy it with CopyFrom for PROG:LOAD).</summary>
        public Prescription ActiveProgram { get { return _hasProgram ? _program : null; } }

        /// <summary>CRC-16 of the active program's canonical text, or -1 without a program.</summary>
        public int ProgramCrc { get { return _programCrc; } }

        /// <summary>Calibration in force, steps/mL.</summary>
        public long StepsPerMl { get { return _stepsPerMl; } }

        /// <summary>Drug counted in the rolling 24 h window at <paramref name="nowMicros"/>, ng, rounded up.</summary>
        public long WindowNg(long nowMicros)
        {
            long fg = _window.SumAt(nowMicros);
            return fg / FgPerNg + (fg % FgPerNg != 0 ? 1 : 0);
        }

        /// <summary>PTM boluses granted in the rolling 24 h ending at <paramref name="nowMicros"/>.</summary>
        public int PtmGrantedInDay(long nowMicros)
        {
            return _ptm.CountInDay(nowMicros);
        }

        /// <summary>Forecast of whole seconds until the reservoir is empty, never later than the exact empty time
        /// (<see cref="EmptyForecast"/>), assuming nothing changes: the schedule by time of day (a bridge first at the
        /// old program's rates) plus the rest of a running bolus, or the minimum rate when SUSPENDED; -1 when STOPPED,
        /// in ALARM, or when the rate stays 0. DOSE_LIMIT hold-backs are ignored (the forecast errs early).</summary>
        public long EmptyInSeconds(long nowMicros)
        {
            if (_state == TherapyState.Stopped || _state == TherapyState.Alarm || !_hasProgram) return -1;
            if (_state == TherapyState.Suspended) return EmptyForecast.SuspendedSeconds(_reservoirNl, _program.MinRateNlPerDay);
            bool timed = _bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm;
            return EmptyForecast.RunningSeconds(_program, _oldProgram, BridgeRemainingNl, _reservoirNl,
                timed ? _bolusDoseNg : 0, timed ? _bolusDurationMin : 0, timed ? _bolusEndMicros : 0,
                _wallClockSet ? _wallOffsetMicros : 0, nowMicros);
        }

        /// <summary>The refill history and the REFILL_GAP threshold (state section 1). Read only: change it through
        /// <see cref="Refill(long, long, long)"/> and <see cref="SetRefillGapAlarm"/>.</summary>
        public RefillCheck Refills { get { return _refills; } }

        /// <summary>Drug delivered per day and kind (state section 2). Read only: the steps feed it.</summary>
        public DailyHistory History { get { return _history; } }

        /// <summary>True once TIME set the wall clock.</summary>
        public bool WallClockSet { get { return _wallClockSet; } }

        /// <summary>Wall clock, unix seconds, or 0 when never set.</summary>
        public long UnixSeconds(long nowMicros)
        {
            return _wallClockSet ? (nowMicros + _wallOffsetMicros) / 1000000 : 0;
        }

        /// <summary>The schedule's time of day, µs since midnight (wall clock when set, else timeline time; UTC).</summary>
        public long MicrosOfDay(long nowMicros)
        {
            long t = nowMicros + (_wallClockSet ? _wallOffsetMicros : 0);
            long r = t % DayMicros;
            return r < 0 ? r + DayMicros : r;
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

        // ================================================================ persistence

        /// <summary>Writes everything PROTOCOL.md says survives a reset: state, program, a bridge and its old program,
        /// calibration, counters, reservoir, alarms (with acknowledgements and latched causes), DOSE_LIMIT timer, PTM
        /// history, 24 h window and wall-clock offset. About 12 KB (the window is 1441 x 8 bytes).</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteByte(StateVersion);
            writer.WriteByte((int)_state);
            writer.WriteByte((int)_stateBeforeAlarm);
            writer.WriteByte((int)_bolus);
            writer.WriteBool(_hasProgram);
            SavePrograms(writer);
            writer.WriteLong(_bridgeRemainingNl);
            writer.WriteLong(_stepsPerMl);
            writer.WriteInt(_alarms);
            writer.WriteInt(_ackedAlarms);
            writer.WriteBool(_stallCause);
            writer.WriteBool(_occlusionCause);
            writer.WriteBool(_lowBatteryCause);
            writer.WriteLong(_heldReserveMicros > _lastHeldMicros ? _heldReserveMicros : _lastHeldMicros);
            writer.WriteLong(_heldInEpisode);
            writer.WriteLong(_heldTotal);
            writer.WriteLong(_totalSteps);
            writer.WriteLong(_deliveredNl);
            writer.WriteLong(_volumeRemainder);
            writer.WriteLong(_reservoirNl);
            writer.WriteBool(_wallClockSet);
            writer.WriteLong(_wallOffsetMicros);
            writer.WriteLong(_lastNowMicros);
            _ptm.Save(writer);
            _window.Save(writer);
        }

        private void SavePrograms(StateWriter writer)
        {
            int start = writer.Position;
            bool unchanged = writer == _programsWriter && writer.DiffPass == _programsPass + 1 && start == _programsStart
                && _programsWrittenVersion == _programsVersion;
            if (!unchanged || !writer.SkipTo(_programsEnd))
            {
                _program.Save(writer);
                _oldProgram.Save(writer);
            }
            if (writer.InDiffPass && !writer.Overflow)
            {
                _programsWriter = writer;
                _programsPass = writer.DiffPass;
                _programsStart = start;
                _programsEnd = writer.Position;
                _programsWrittenVersion = _programsVersion;
            }
        }

        /// <summary>Reads what <see cref="Save"/> wrote, checking every field. On any failed check returns false and
        /// leaves the controller unchanged (the application then raises CRITICAL). Call <see cref="Boot(long, int)"/>
        /// afterwards. Allocates (boot only).</summary>
        public bool Load(StateReader reader)
        {
            int version = reader.ReadByte();
            int state = reader.ReadByte();
            int before = reader.ReadByte();
            int bolus = reader.ReadByte();
            bool hasProgram = reader.ReadBool();
            Prescription program = new Prescription();
            Prescription oldProgram = new Prescription();
            bool ok = program.Load(reader) & oldProgram.Load(reader);
            long bridgeRemaining = reader.ReadLong();
            long stepsPerMl = reader.ReadLong();
            int alarms = reader.ReadInt();
            int acked = reader.ReadInt();
            bool stallCause = reader.ReadBool();
            bool occlusionCause = reader.ReadBool();
            bool lowBatteryCause = reader.ReadBool();
            long lastHeld = reader.ReadLong();
            long heldInEpisode = reader.ReadLong();
            long heldTotal = reader.ReadLong();
            long totalSteps = reader.ReadLong();
            long deliveredNl = reader.ReadLong();
            long remainder = reader.ReadLong();
            long reservoir = reader.ReadLong();
            bool wallSet = reader.ReadBool();
            long wallOffset = reader.ReadLong();
            long lastNow = reader.ReadLong();
            PtmHistory ptm = new PtmHistory();
            DoseWindow window = new DoseWindow();
            ok &= ptm.Load(reader) & window.Load(reader);

            // Before an alarm the pump was STOPPED or SUSPENDED (RaiseAlarm records no other), and fields that only
            // mean something in one state are zero outside it: a record that says otherwise was not written by Save.
            ok &= version == StateVersion && state <= 3 && bolus <= 4;
            ok &= before == (int)TherapyState.Stopped || before == (int)TherapyState.Suspended;
            ok &= bolus == (int)BolusKind.Bridge || bridgeRemaining == 0;
            ok &= wallSet || wallOffset == 0;
            ok &= stepsPerMl >= 1 && stepsPerMl <= MaxStepsPerMl && remainder >= 0 && remainder < stepsPerMl;
            ok &= (alarms & ~AlarmCode.AllMask) == 0 && (acked & ~alarms) == 0;
            ok &= totalSteps >= 0 && deliveredNl >= 0 && reservoir >= 0 && heldInEpisode >= 0 && heldTotal >= 0;
            ok &= !hasProgram || program.IsComplete;
            ok &= hasProgram || (state != (int)TherapyState.Running && state != (int)TherapyState.Suspended && bolus == 0);
            ok &= bolus != (int)BolusKind.Bridge || (oldProgram.IsComplete && bridgeRemaining > 0);
            ok &= (state == (int)TherapyState.Alarm) == ((alarms & AlarmCode.StoppingMask) != 0);
            if (!ok || reader.Failed)
            {
                reader.Fail();
                return false;
            }
            _state = (TherapyState)state;
            _stateBeforeAlarm = (TherapyState)before;
            _bolus = (BolusKind)bolus;
            _hasProgram = hasProgram;
            _program.CopyFrom(program);
            _oldProgram.CopyFrom(oldProgram);
            _programsVersion++;
            _programCrc = hasProgram ? _program.ComputeCrc(_scratch) : -1;
            _bridgeRemainingNl = bridgeRemaining;
            _stepsPerMl = stepsPerMl;
            _alarms = alarms;
            _ackedAlarms = acked;
            _stallCause = stallCause;
            _occlusionCause = occlusionCause;
            _lowBatteryCause = lowBatteryCause;
            _lastHeldMicros = lastHeld;
            _heldReserveMicros = lastHeld;
            _heldInEpisode = heldInEpisode;
            _heldTotal = heldTotal;
            _totalSteps = totalSteps;
            _deliveredNl = deliveredNl;
            _volumeRemainder = remainder;
            _reservoirNl = reservoir;
            _wallClockSet = wallSet;
            _wallOffsetMicros = wallOffset;
            _lastNowMicros = lastNow;
            _history.SetClock(wallSet, wallOffset);
            _ptm.Clear();
            for (int i = ptm.Count - 1; i >= 0; i--) _ptm.Add(ptm.StartAt(i));
            StateWriter copy = new StateWriter(new byte[DoseWindow.Slots * 8 + 16]);
            window.Save(copy);
            _window.Load(new StateReader(copy.Buffer, 0, copy.Position));
            return true;
        }

        // ================================================================ internals

        // Every command takes its time as the latest, and a command stamped earlier than the latest acts at the
        // latest (as Advance does): the engine and the timers never see time run backwards.
        private long Touch(long nowMicros)
        {
            if (nowMicros > _lastNowMicros) _lastNowMicros = nowMicros;
            return _lastNowMicros;
        }

        private long LowAlarmNl
        {
            get { return _hasProgram ? _program.LowAlarmNl : Prescription.DefaultLowAlarmNl; }
        }

        private long NextTimerMicros()
        {
            long next = _scheduleBoundaryMicros;
            if ((_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm) && _bolusEndMicros < next) next = _bolusEndMicros;
            if ((_alarms & AlarmCode.DoseLimit) != 0)
            {
                long clear = _lastHeldMicros + DoseLimitClearMicros;
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
            if ((_alarms & AlarmCode.DoseLimit) != 0 && _lastHeldMicros + DoseLimitClearMicros <= t)
            {
                ClearAlarm(AlarmCode.DoseLimit, t, _heldInEpisode);
                _heldInEpisode = 0;
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
            long sum = _volumeRemainder + NlPerMl;
            long stepNl = sum / _stepsPerMl;
            long remainder = sum % _stepsPerMl;
            if (_reservoirNl < stepNl)
            {
                RaiseAlarm(AlarmCode.Empty, dueMicros);
                return false;
            }
            // A bridge's steps are the old drug at its own concentration.
            long conc = _bolus == BolusKind.Bridge ? _oldProgram.ConcNgPerMl : _program.ConcNgPerMl;
            if (_bolus != BolusKind.Prime)
            {
                long fg = FemtogramsPerStep(conc);
                long room = _program.LimitNgPerDay * FgPerNg - _window.SumAt(nowMicros);
                if (fg > room)
                {
                    _heldInEpisode++;
                    _heldTotal++;
                    _lastHeldMicros = dueMicros;
                    if ((_alarms & AlarmCode.DoseLimit) == 0)
                    {
                        _events.Push(TherapyEventKind.StepsHeldBack, dueMicros, 0, _window.SumFemtograms, _program.LimitNgPerDay * FgPerNg);
                        RaiseAlarm(AlarmCode.DoseLimit, dueMicros);
                    }
                    return false;
                }
                _window.Add(nowMicros, fg);
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

        private long FemtogramsPerStep(long concNgPerMl)
        {
            // conc ng/mL x 10^6 fg/ng / steps/mL, rounded up so the window never under-counts.
            long numerator = concNgPerMl * FgPerNg;
            return numerator / _stepsPerMl + (numerator % _stepsPerMl != 0 ? 1 : 0);
        }

        private void UpdateRate(long t)
        {
            _engine.SetRate(ComputeRateQ32(t), t);
            ShareHistory(t);
            _scheduleBoundaryMicros = long.MaxValue;
            if (_state == TherapyState.Running && _hasProgram)
            {
                _scheduleBoundaryMicros = ScheduleBoundary(_bolus == BolusKind.Bridge ? _oldProgram : _program, t);
            }
        }

        // What the daily history charges the steps at this rate to: a bolus on top of basal takes its share of each
        // step in proportion of the two rates (basal ng/day x duration min against dose ng x 1440 min/day).
        private void ShareHistory(long t)
        {
            if (_bolus == BolusKind.Prime) _history.SetShare(DailyHistory.Prime, -1, 0, 0);
            else if (_bolus == BolusKind.Bridge) _history.SetShare(DailyHistory.Bridge, -1, 0, 0);
            else if (_state == TherapyState.Suspended) _history.SetShare(DailyHistory.MinRate, -1, 0, 0);
            else if ((_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm) && _hasProgram)
            {
                long basal = _program.RateNgPerDayAt((int)(MicrosOfDay(t) / MinuteMicros));
                _history.SetShare(DailyHistory.Basal, _bolus == BolusKind.Ptm ? DailyHistory.Ptm : DailyHistory.Clinician,
                    basal * _bolusDurationMin, _bolusDoseNg * 1440);
            }
            else _history.SetShare(DailyHistory.Basal, -1, 0, 0);
        }

        private long ScheduleBoundary(Prescription p, long t)
        {
            long microsOfDay = MicrosOfDay(t);
            int next = p.NextChangeMinute((int)(microsOfDay / MinuteMicros));
            return next < 0 ? long.MaxValue : t - microsOfDay + next * MinuteMicros;
        }

        private long ComputeRateQ32(long t)
        {
            long stepsQ32PerMl = _stepsPerMl << 32;
            long q = 0;
            switch (_state)
            {
                case TherapyState.Running:
                    if (!_hasProgram) break;
                    int minute = (int)(MicrosOfDay(t) / MinuteMicros);
                    Prescription basal = _bolus == BolusKind.Bridge ? _oldProgram : _program;
                    q = RateQ32(basal.RateNgPerDayAt(minute), stepsQ32PerMl, basal.ConcNgPerMl);
                    if (_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm)
                    {
                        long bolus = RateQ32(_bolusDoseNg * 1440, stepsQ32PerMl, _bolusDurationMin * _program.ConcNgPerMl);
                        q = q > _maxRateQ32PerDay - bolus ? _maxRateQ32PerDay : q + bolus;
                    }
                    break;
                case TherapyState.Suspended:
                    if (_hasProgram) q = RateQ32(_program.MinRateNlPerDay, stepsQ32PerMl, NlPerMl);
                    break;
                case TherapyState.Stopped:
                    if (_bolus == BolusKind.Prime) q = _maxRateQ32PerDay;
                    break;
            }
            return q > _maxRateQ32PerDay ? _maxRateQ32PerDay : q;
        }

        // ceil(a * b / c) capped at the motor's maximum (the cap is never reached by a validated program).
        private long RateQ32(long a, long b, long c)
        {
            if (a <= 0 || c <= 0) return 0;
            if (!WideMath.MulDivFits(a, b, c)) return _maxRateQ32PerDay;
            long floor = WideMath.MulDivFloor(a, b, c);
            if (floor >= _maxRateQ32PerDay) return _maxRateQ32PerDay;
            return WideMath.MulDivCeil(a, b, c);
        }

        private long RateAt(long t, bool volume)
        {
            if (!_hasProgram) return 0;
            long conc = _program.ConcNgPerMl;
            switch (_state)
            {
                case TherapyState.Running:
                {
                    int minute = (int)(MicrosOfDay(t) / MinuteMicros);
                    Prescription basal = _bolus == BolusKind.Bridge ? _oldProgram : _program;
                    long basalNg = basal.RateNgPerDayAt(minute);
                    long rate = volume ? WideMath.MulDivFloor(basalNg, NlPerMl, basal.ConcNgPerMl) : basalNg;
                    if (_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm)
                    {
                        rate += volume
                            ? WideMath.MulDivFloor(_bolusDoseNg * 1440, NlPerMl, _bolusDurationMin * conc)
                            : _bolusDoseNg * 1440 / _bolusDurationMin;
                    }
                    return rate;
                }
                case TherapyState.Suspended:
                {
                    long nl = _program.MinRateNlPerDay;
                    long c = _bolus == BolusKind.Bridge ? _oldProgram.ConcNgPerMl : conc;
                    return volume ? nl : WideMath.MulDivFloor(nl, c, NlPerMl);
                }
                case TherapyState.Stopped:
                {
                    if (_bolus != BolusKind.Prime) return 0;
                    long nl = Prescription.MotorMaxNlPerDay(_stepsPerMl, _maxStepsPerSecond);
                    return volume ? nl : WideMath.MulDivFloor(nl, conc, NlPerMl);
                }
                default:
                    return 0;
            }
        }

        private void StartTimedBolus(BolusKind kind, long doseNg, int durationMin, long nowMicros)
        {
            _bolus = kind;
            _bolusDoseNg = doseNg;
            _bolusDurationMin = durationMin;
            _bolusEndMicros = nowMicros + durationMin * MinuteMicros;
            _events.Push(TherapyEventKind.BolusStarted, nowMicros, (int)kind, doseNg, durationMin * MinuteMicros);
            UpdateRate(nowMicros);
            ComputeNextWake();
        }

        private void EndBolus(long t, bool cancelled, long reason)
        {
            BolusKind kind = _bolus;
            if (kind == BolusKind.None) return;
            _bolus = BolusKind.None;
            _bolusDoseNg = 0;
            _bolusDurationMin = 0;
            _bolusEndMicros = 0;
            _primeRemainingNl = 0;
            _bridgeRemainingNl = 0;
            if (kind == BolusKind.Bridge)
            {
                _oldProgram.Clear();
                _programsVersion++;
            }
            _events.Push(cancelled ? TherapyEventKind.BolusCancelled : TherapyEventKind.BolusEnded, t, (int)kind, cancelled ? reason : 0, 0);
        }

        private void RaiseAlarm(int code, long t)
        {
            if ((_alarms & code) != 0) return;
            _alarms |= code;
            _ackedAlarms &= ~code;
            _events.Push(TherapyEventKind.AlarmRaised, t, code, 0, 0);
            if ((code & AlarmCode.StoppingMask) != 0 && _state != TherapyState.Alarm)
            {
                // Decision: a pump that was STOPPED goes back to STOPPED when the alarm clears, any other to SUSPENDED.
                _stateBeforeAlarm = _state == TherapyState.Stopped ? TherapyState.Stopped : TherapyState.Suspended;
                if (_bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm || _bolus == BolusKind.Prime)
                {
                    EndBolus(t, true, TherapyEvent.ReasonAlarm);
                }
                SetState(TherapyState.Alarm, t);
                UpdateRate(t);
            }
        }

        private void ClearAlarm(int code, long t, long value)
        {
            if ((_alarms & code) == 0) return;
            _alarms &= ~code;
            _ackedAlarms &= ~code;
            _events.Push(TherapyEventKind.AlarmCleared, t, code, value, 0);
            if (_state == TherapyState.Alarm && (_alarms & AlarmCode.StoppingMask) == 0)
            {
                SetState(_stateBeforeAlarm, t);
                UpdateRate(t);
            }
        }

        private void SetState(TherapyState state, long t)
        {
            if (state == _state) return;
            _events.Push(TherapyEventKind.StateChanged, t, (int)state, (long)_state, 0);
            _state = state;
        }

        // Peak basal plus a bolus rate against the motor's maximum at a calibration: null, or the 422 text.
        private string MotorCheck(long bolusNgPerDay, long stepsPerMl)
        {
            long peak = _program.MaxStepRateNgPerDay() + bolusNgPerDay;
            long motor = Prescription.MotorMaxNgPerDay(_program.ConcNgPerMl, stepsPerMl, _maxStepsPerSecond);
            if (peak <= motor) return null;
            return "rate_ug_day=" + Fixed3.Format(peak) + " exceeds motor_max_ug_day=" + Fixed3.Format(motor);
        }

        private string WindowCheck(long doseNg, long nowMicros, string key)
        {
            long windowFg = _window.SumAt(nowMicros);
            long limitFg = _program.LimitNgPerDay * FgPerNg;
            if (doseNg * FgPerNg <= limitFg - windowFg) return null;
            return "window_ug=" + Fixed3.Format(WindowNg(nowMicros)) + " " + key + Fixed3.Format(doseNg)
                + " exceeds limit_ug_day=" + Fixed3.Format(_program.LimitNgPerDay);
        }

        private TherapyResult RefusePtm(TherapyResult result, long nowMicros)
        {
            _events.Push(TherapyEventKind.PtmRefused, nowMicros, result.Code, result.RemainingSeconds, 0);
            return result;
        }

        private TherapyResult StateError()
        {
            return TherapyResult.Error(409, "state " + StateName(_state));
        }

        private TherapyResult BolusInProgress()
        {
            return TherapyResult.Error(409, "bolus in progress (" + BolusName(_bolus) + ")");
        }

        private static long CeilSeconds(long micros)
        {
            if (micros <= 0) return 0;
            return (micros + 999999) / 1000000;
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

        /// <summary>The protocol word for a bolus kind ("NONE", "CLINICIAN", "PTM", "PRIME", "BRIDGE").</summary>
        public static string BolusName(BolusKind kind)
        {
            switch (kind)
            {
                case BolusKind.Clinician: return "CLINICIAN";
                case BolusKind.Ptm: return "PTM";
                case BolusKind.Prime: return "PRIME";
                case BolusKind.Bridge: return "BRIDGE";
                default: return "NONE";
            }
        }
    }
}
