// The active program and the calibration it is checked against: PROG:REVIEW's and PROG:COMMIT's checks,
// the commit itself (with the bridge it may start, BridgeRule) and CAL. Part of TherapyController.
using PumpFirmware.Dosing;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
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

        /// <summary>True once a program was committed.</summary>
        public bool HasProgram { get { return _hasProgram; } }

        /// <summary>The active program, or null. Read only: do not modify (copy it with CopyFrom for PROG:LOAD).</summary>
        public Prescription ActiveProgram { get { return _hasProgram ? _program : null; } }

        /// <summary>CRC-16 of the active program's canonical text, or -1 without a program.</summary>
        public int ProgramCrc { get { return _programCrc; } }

        /// <summary>Calibration in force, steps/mL.</summary>
        public long StepsPerMl { get { return _stepsPerMl; } }

        // Peak basal plus a bolus rate against the motor's maximum at a calibration: null, or the 422 text.
        private string MotorCheck(long bolusNgPerDay, long stepsPerMl)
        {
            long peak = _program.MaxStepRateNgPerDay() + bolusNgPerDay;
            long motor = Prescription.MotorMaxNgPerDay(_program.ConcNgPerMl, stepsPerMl, _maxStepsPerSecond);
            if (peak <= motor) return null;
            return "rate_ug_day=" + Fixed3.Format(peak) + " exceeds motor_max_ug_day=" + Fixed3.Format(motor);
        }
    }
}
