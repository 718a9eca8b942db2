// The therapy: one object that owns the state machine, the alarms, the boluses, the reservoir,
// the 24 h window and the exact step schedule. It never reads a clock (smoltcp's rule): every
// call takes the device-timeline time in µs, Advance returns the steps due, NextWakeMicros says
// when to call again, and everything else that happened is queued as data (TherapyEvent) for
// the application to print, log and persist. One thread; no allocation on the step path.
//
// FIRST LANDING (API only): the public surface below is stable; command bodies answer
// ERR 500 "not implemented yet" and Advance delivers nothing until the engine lands.
using PumpFirmware.Dosing;
using PumpFirmware.Storage;

namespace PumpFirmware.Therapy
{
    /// <summary>The dosing core's state machine (PROTOCOL.md "Therapy", "Alarms", "Power and reset").
    /// All times are device-timeline µs (never backwards, counting off-time; docs/ARCHITECTURE.md "Time").</summary>
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

        private readonly int _maxStepsPerSecond;
        private readonly Prescription _program = new Prescription();
        private bool _hasProgram;
        private int _programCrc = -1;
        private long _stepsPerMl = DefaultStepsPerMl;
        private TherapyState _state = TherapyState.Stopped;
        private BolusKind _bolus = BolusKind.None;
        private int _alarms;
        private int _ackedAlarms;
        private long _totalSteps;
        private long _deliveredNl;
        private long _reservoirNl;
        private bool _wallClockSet;
        private long _wallOffsetMicros;

        /// <summary>Creates a fresh pump (STOPPED, no program, default calibration, empty reservoir).</summary>
        /// <param name="maxStepsPerSecond">The board's maximum motor step rate, steps/s (1..<see cref="MaxSupportedStepsPerSecond"/>).</param>
        public TherapyController(int maxStepsPerSecond)
        {
            if (maxStepsPerSecond < 1 || maxStepsPerSecond > MaxSupportedStepsPerSecond)
            {
                throw new System.ArgumentOutOfRangeException("maxStepsPerSecond");
            }
            _maxStepsPerSecond = maxStepsPerSecond;
        }

        /// <summary>The board's maximum step rate, steps/s (CAL? <c>max_steps_s</c>).</summary>
        public int MaxStepsPerSecond { get { return _maxStepsPerSecond; } }

        // ---------------------------------------------------------------- time and delivery

        /// <summary>Starts the controller after <see cref="Load"/> (or fresh). A clinician or PTM bolus and a prime in
        /// progress end (BolusCancelled, reason reset; a granted PTM still counts); a bridge resumes; delivery restarts
        /// from <paramref name="nowMicros"/> and never makes up for the time the pump was off.</summary>
        /// <param name="nowMicros">Device timeline, µs.</param>
        /// <param name="unpersistedSteps">Bound on steps issued but not persisted before the reset; their drug is charged
        /// to the 24 h window so a power loss can never let the limit be exceeded.</param>
        public void Boot(long nowMicros, int unpersistedSteps)
        {
            // TODO(core, first landing): engine not landed yet.
        }

        /// <summary><see cref="Boot(long, int)"/> with no unpersisted steps.</summary>
        public void Boot(long nowMicros)
        {
            Boot(nowMicros, 0);
        }

        /// <summary>Brings the therapy up to <paramref name="nowMicros"/>: returns the number of motor steps due now
        /// (the application issues them, as one block at the maximum step rate when more than one), updates alarms,
        /// boluses and the 24 h window, and queues events. No allocation.</summary>
        /// <param name="nowMicros">Device timeline, µs; never less than the previous call's.</param>
        /// <returns>Steps to issue now (0 or more).</returns>
        public int Advance(long nowMicros)
        {
            return 0; // TODO(core, first landing): engine not landed yet.
        }

        /// <summary>Device-timeline µs at which <see cref="Advance"/> must be called next (a step, a rate change, an
        /// alarm timer); long.MaxValue if nothing will ever happen without an input. Valid after Boot/Advance/commands.</summary>
        public long NextWakeMicros { get { return long.MaxValue; } }

        // ---------------------------------------------------------------- commands

        /// <summary>START: STOPPED or SUSPENDED -&gt; RUNNING, with an active program and no stopping alarm.
        /// Delivers from this instant at the current step's rate. 409 otherwise (text names the state or reason).</summary>
        public TherapyResult Start(long nowMicros)
        {
            return NotYet();
        }

        /// <summary>STOP, accepted in every state: RUNNING -&gt; SUSPENDED (minimum rate only), SUSPENDED -&gt; STOPPED,
        /// STOPPED stays (ends a prime), ALARM stays (and returns to SUSPENDED once cleared). Cancels a clinician or PTM
        /// bolus and a prime; a bridge keeps its remaining volume.</summary>
        public TherapyResult Stop(long nowMicros)
        {
            return NotYet();
        }

        /// <summary>Checks a staged program as PROG:REVIEW and PROG:COMMIT do: 409 "program incomplete", 422 naming
        /// the value and the limit (worst day, minimum rate, motor rate at the current calibration), else OK.</summary>
        public TherapyResult ValidateProgram(Prescription program)
        {
            return NotYet();
        }

        /// <summary>PROG:COMMIT: validates <paramref name="program"/> (as <see cref="ValidateProgram"/>), copies it as the
        /// active program, persists nothing itself (the caller saves), cancels a clinician or PTM bolus, replaces any
        /// bridge, clears CRITICAL, and with <paramref name="bridge"/> and a changed concentration starts a bridge of the
        /// new program's catheter volume at the old program's volume rate. The one-step bound restarts here.</summary>
        public TherapyResult Commit(Prescription program, bool bridge, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>BOLUS: a clinician bolus of <paramref name="doseNg"/> over <paramref name="durationMin"/> minutes on top
        /// of basal. RUNNING only (409), one bolus at a time (409 "bolus in progress"), 422 if it would cross the 24 h
        /// limit or the motor's maximum rate (text names both numbers).</summary>
        public TherapyResult StartClinicianBolus(long doseNg, int durationMin, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>BOLUS:CANCEL: ends a clinician bolus, PTM or prime; the remainder is not delivered. Does not end a
        /// bridge. 409 "no bolus" when there is nothing to cancel.</summary>
        public TherapyResult CancelBolus(long nowMicros)
        {
            return NotYet();
        }

        /// <summary>PTM: the patient's request. Granted when RUNNING, enabled, out of lockout (from the previous granted
        /// start), under max_per_day granted in the last 24 h and within the 24 h limit; the result then carries
        /// <see cref="TherapyResult.DoseNg"/> and <see cref="TherapyResult.NextAllowedSeconds"/>. Refusals: 409 (state,
        /// PTM off, bolus in progress), 423 (lockout with <see cref="TherapyResult.RemainingSeconds"/>, daily count, limit).
        /// Both outcomes are queued as events (they are logged).</summary>
        public TherapyResult RequestPatientBolus(long nowMicros)
        {
            return NotYet();
        }

        /// <summary>PRIME: <paramref name="volumeNl"/> at the motor's maximum rate, in STOPPED only (409), at most the
        /// active program's catheter volume (422), outside the 24 h window.</summary>
        public TherapyResult Prime(long volumeNl, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>REFILL: sets the reservoir to <paramref name="volumeNl"/> (at most the capacity, 422); clears
        /// LOW_RESERVOIR and EMPTY (an EMPTY pump is then SUSPENDED until START).</summary>
        public TherapyResult Refill(long volumeNl, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>CAL: steps/mL, 1..10^7 (422); 422 too if the active program would exceed the motor's maximum rate.
        /// Steps issued before keep the volume of the calibration in force when they were issued.</summary>
        public TherapyResult SetCalibration(long stepsPerMl, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>TIME: sets the wall clock (unix seconds, 0..4102444800, else 422). The schedule moves to the new time
        /// of day from now; nothing is caught up; the 24 h window (on the timeline) is unaffected.</summary>
        public TherapyResult SetWallClock(long unixSeconds, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>ALARM:ACK: acknowledges one alarm bit (silences it). A latched STALL/OCCLUSION whose cause is gone
        /// clears on acknowledgement. 409 if that alarm is not active.</summary>
        public TherapyResult AcknowledgeAlarm(int code, long nowMicros)
        {
            return NotYet();
        }

        /// <summary>The inputs the application derives from the hardware: a stall (steps not confirmed, decided by the
        /// app from step feedback), the occlusion input and the battery input. Call on every change (and may be called
        /// every poll); STALL and OCCLUSION latch.</summary>
        public void SetInputs(bool stallDetected, bool occlusion, bool lowBattery, long nowMicros)
        {
            // TODO(core, first landing)
        }

        /// <summary>Raises CRITICAL (stored state failed its checks, a self-test failed): delivery stops until a new
        /// program is committed.</summary>
        public void RaiseCritical(long nowMicros)
        {
            // TODO(core, first landing)
        }

        // ---------------------------------------------------------------- queries

        /// <summary>The therapy state.</summary>
        public TherapyState State { get { return _state; } }

        /// <summary>The bolus in progress.</summary>
        public BolusKind ActiveBolus { get { return _bolus; } }

        /// <summary>Lifetime volume commanded, nL (floor of the exact sum of every step at the calibration in force when issued).</summary>
        public long DeliveredNl { get { return _deliveredNl; } }

        /// <summary>Lifetime motor steps commanded.</summary>
        public long TotalSteps { get { return _totalSteps; } }

        /// <summary>Reservoir volume, nL: the last REFILL minus what was delivered since (0 on a fresh pump).</summary>
        public long ReservoirNl { get { return _reservoirNl; } }

        /// <summary>Total instantaneous rate (basal or minimum rate, plus bolus, or prime/bridge), nL/day.</summary>
        public long RateNlPerDay { get { return 0; } }

        /// <summary>Total instantaneous drug rate, ng/day (prime counts at the program's concentration, a bridge at the old one).</summary>
        public long RateNgPerDay { get { return 0; } }

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

        /// <summary>Forecast of seconds until the reservoir is empty, assuming nothing changes; -1 when STOPPED, in ALARM,
        /// or when the rate stays 0.</summary>
        public long EmptyInSeconds(long nowMicros)
        {
            return -1;
        }

        /// <summary>True once TIME set the wall clock.</summary>
        public bool WallClockSet { get { return _wallClockSet; } }

        /// <summary>Wall clock, unix seconds, or 0 when never set.</summary>
        public long UnixSeconds(long nowMicros)
        {
            return _wallClockSet ? (nowMicros + _wallOffsetMicros) / 1000000 : 0;
        }

        /// <summary>The schedule's time of day, µs since midnight (wall clock when set, else timeline time).</summary>
        public long MicrosOfDay(long nowMicros)
        {
            long t = nowMicros + (_wallClockSet ? _wallOffsetMicros : 0);
            long day = 86400000000L;
            long r = t % day;
            return r < 0 ? r + day : r;
        }

        // ---------------------------------------------------------------- events

        /// <summary>Events waiting to be drained.</summary>
        public int EventCount { get { return 0; } }

        /// <summary>Events dropped because the ring was full (the application drains it every poll, so this stays 0).</summary>
        public long EventsDropped { get { return 0; } }

        /// <summary>Copies the oldest waiting event into <paramref name="destination"/> and removes it. No allocation.</summary>
        /// <returns>false if no event was waiting.</returns>
        public bool TryTakeEvent(TherapyEvent destination)
        {
            return false;
        }

        // ---------------------------------------------------------------- persistence

        /// <summary>Writes everything PROTOCOL.md says survives a reset: state, program, calibration, counters, reservoir,
        /// alarms, bridge, PTM history, 24 h window, wall clock offset.</summary>
        public void Save(StateWriter writer)
        {
            // TODO(core, first landing)
        }

        /// <summary>Reads what <see cref="Save"/> wrote. On any failed check returns false and leaves the controller
        /// unchanged (the application then raises CRITICAL). Call <see cref="Boot(long, int)"/> afterwards.</summary>
        public bool Load(StateReader reader)
        {
            return false; // TODO(core, first landing)
        }

        private static TherapyResult NotYet()
        {
            return TherapyResult.Error(500, "not implemented yet");
        }
    }
}
