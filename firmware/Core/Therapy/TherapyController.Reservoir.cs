// The reservoir and the lifetime counters: REFILL (with the refill check, RefillCheck), REFILL:GAP, what
// was delivered, the daily history the steps feed, and the forecast of when the reservoir runs empty.
// Part of TherapyController.
using PumpFirmware.Dosing;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
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

        /// <summary>Lifetime volume commanded, nL (floor of the exact sum of every step at the calibration in force when issued).</summary>
        public long DeliveredNl { get { return _deliveredNl; } }

        /// <summary>Lifetime motor steps commanded.</summary>
        public long TotalSteps { get { return _totalSteps; } }

        /// <summary>Reservoir volume, nL: the last REFILL minus what was delivered since (0 on a fresh pump).</summary>
        public long ReservoirNl { get { return _reservoirNl; } }

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
                _clock.OffsetMicros, nowMicros);
        }

        /// <summary>The refill history and the REFILL_GAP threshold (state section 1). Read only: change it through
        /// <see cref="Refill(long, long, long)"/> and <see cref="SetRefillGapAlarm"/>.</summary>
        public RefillCheck Refills { get { return _refills; } }

        /// <summary>Drug delivered per day and kind (state section 2). Read only: the steps feed it.</summary>
        public DailyHistory History { get { return _history; } }

        private long LowAlarmNl
        {
            get { return _hasProgram ? _program.LowAlarmNl : Prescription.DefaultLowAlarmNl; }
        }
    }
}
