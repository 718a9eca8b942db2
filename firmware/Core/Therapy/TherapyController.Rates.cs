// The rate the engine runs: from the state, the schedule's step at the time of day, a bolus on top, the
// minimum rate, a prime; the next schedule boundary; the rates STATUS? reports; and how the daily history
// shares a step between basal and a bolus. Part of TherapyController.
using PumpFirmware.Dosing;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
        /// <summary>Total instantaneous rate at the last Advance or command (basal or minimum rate, plus bolus; or the
        /// prime; a bridge at the old program's volume rate), nL/day, rounded down.</summary>
        public long RateNlPerDay { get { return RateAt(_lastNowMicros, true); } }

        /// <summary>Total instantaneous drug rate at the last Advance or command, ng/day, rounded down (a bridge at the
        /// old concentration, a prime at the program's).</summary>
        public long RateNgPerDay { get { return RateAt(_lastNowMicros, false); } }

        /// <summary>The rate the engine runs now, Q32 steps/day (rounded up; for tests and diagnostics).</summary>
        public long RateQ32StepsPerDay { get { return _engine.RateQ32PerDay; } }

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
    }
}
