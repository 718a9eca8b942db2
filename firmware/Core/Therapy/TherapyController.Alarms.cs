// Alarms: the hardware inputs that raise them (stall, occlusion, battery, the gauge's ERI/EOS, CRITICAL),
// ALARM:ACK, and how a stopping alarm takes the pump to ALARM and back. Part of TherapyController.
namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
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
            else if ((_alarms & AlarmCode.LowBattery) != 0) ClearAlarm(AlarmCode.LowBattery, nowMicros, 0); // ClearAlarm's own test, before the call (every pass)
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

        /// <summary>Active alarms, <see cref="AlarmCode"/> bits.</summary>
        public int Alarms { get { return _alarms; } }

        /// <summary>Active alarms that were acknowledged, <see cref="AlarmCode"/> bits.</summary>
        public int AckedAlarms { get { return _ackedAlarms; } }

        /// <summary>The occlusion cause as last set by <see cref="SetInputs"/> (persisted with the latch).</summary>
        public bool OcclusionCause { get { return _occlusionCause; } }

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
    }
}
