// Boluses on top of the basal schedule: the clinician's BOLUS, the patient's PTM (lockout, daily count,
// 24 h limit), PRIME, and the bridge a commit starts; how each starts and ends. At most one at a time.
// Part of TherapyController.
using PumpFirmware.Dosing;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
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

        /// <summary>The bolus in progress.</summary>
        public BolusKind ActiveBolus { get { return _bolus; } }

        /// <summary>Remaining volume of a bridge, nL (0 without one).</summary>
        public long BridgeRemainingNl { get { return _bolus == BolusKind.Bridge ? _bridgeRemainingNl : 0; } }

        /// <summary>Remaining volume of a prime, nL (0 without one).</summary>
        public long PrimeRemainingNl { get { return _bolus == BolusKind.Prime ? _primeRemainingNl : 0; } }

        /// <summary>End of a running clinician or PTM bolus, device timeline µs (long.MaxValue without one).</summary>
        public long BolusEndMicros
        {
            get { return _bolus == BolusKind.Clinician || _bolus == BolusKind.Ptm ? _bolusEndMicros : long.MaxValue; }
        }

        /// <summary>PTM boluses granted in the rolling 24 h ending at <paramref name="nowMicros"/>.</summary>
        public int PtmGrantedInDay(long nowMicros)
        {
            return _ptm.CountInDay(nowMicros);
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

        private TherapyResult RefusePtm(TherapyResult result, long nowMicros)
        {
            _events.Push(TherapyEventKind.PtmRefused, nowMicros, result.Code, result.RemainingSeconds, 0);
            return result;
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
