// The battery's remaining charge, estimated the way implant makers do it: a ledger of what the
// pump consumed (a baseline current while it is on, plus a charge per motor step and per serial
// byte, BatteryProfile), corrected downwards by the cell's voltage where the rig can read it.
// From the estimate and the drain it forecasts when the elective replacement indicator (ERI) and
// end of service (EOS) fall due, and latches both: ERI lets the pump deliver on, EOS stops it,
// and only a battery replacement (BATT:REPLACED) clears them.
//
// Invariant: the estimate never runs ahead of the truth in the optimistic direction.
// - The ledger is charged only upwards; a voltage reading can lower the remaining charge (raise
//   the consumed charge) but never raise it, and needs three readings in a row, a minute apart,
//   all as low, so one noisy sample cannot end the service.
// - What survives a power cut is a ceiling, not the ledger: the image holds a consumed charge
//   ahead of the ledger by more than MarginNanocoulombs (more than the charge of the steps and
//   bytes a power cut can take from the counters, and of the baseline between two services), and
//   is moved HeadroomNanocoulombs ahead whenever the ledger comes within that margin of it. A
//   boot resumes from the ceiling, so every power cut costs at most the headroom (0.2 mAh, about
//   12 hours of baseline), never a forgotten charge. The ceiling moves every 0.15 mAh, so the
//   image changes about every 9 hours at the baseline drain (flash wear: docs/STORAGE.md).
// - Time off is not charged (the pump draws nothing while off; self-discharge is in the
//   baseline): the baseline counts the timeline only between Boot and the power cut.
//
// The step path costs two multiplications and an addition (AddSteps, AddBytes); nothing allocates.
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Energy
{
    /// <summary>Battery charge ledger, ERI/EOS forecast and latches (docs/PROTOCOL.md "Battery").
    /// Times are device-timeline µs; charge in nC.</summary>
    public sealed class BatteryGauge : IStateSection
    {
        /// <summary>State section tag of the gauge (docs/STORAGE.md).</summary>
        public const int Tag = 5;

        /// <summary>Bytes <see cref="SaveSection"/> writes (at most 64).</summary>
        public const int SectionLength = 38;

        /// <summary>Version byte of the section.</summary>
        public const int SectionVersion = 1;

        /// <summary>How far ahead of the ledger a moved ceiling is placed, nC (0.2 mAh).</summary>
        public const long HeadroomNanocoulombs = 720000000L;

        /// <summary>The ceiling is moved when the ledger comes within this of it, nC (0.05 mAh: 22,500 steps of 8 µC,
        /// more than the 10,000 a power cut can take at the largest calibration; see the file header).</summary>
        public const long MarginNanocoulombs = 180000000L;

        /// <summary>Voltage readings are taken at most this often, µs (1 min).</summary>
        public const long SampleIntervalMicros = 60000000L;

        /// <summary>With a voltage input fitted, the gauge asks for a service pass at least this often, µs (1 h), so a shell
        /// that sleeps until the next wake (the virtual device) still reads the voltage while nothing else happens.</summary>
        public const long IdleSampleIntervalMicros = 3600000000L;

        /// <summary>While the pump is busy (steps, requests), the ERI forecast is recomputed at most this often, µs
        /// (10 min): the forecast's 128-bit arithmetic stays off the step path, and ERI is raised at most 10 minutes after
        /// it fell due. When nothing else happens, the gauge's own wake is at the exact instant.</summary>
        public const long ForecastIntervalMicros = 600000000L;

        /// <summary>Readings in a row that must all show a low voltage before it lowers the estimate.</summary>
        public const int SamplesToCorrect = 3;

        /// <summary>ADC state: no battery voltage input fitted.</summary>
        public const int AdcNone = 0;

        /// <summary>ADC state: the last reading succeeded.</summary>
        public const int AdcOk = 1;

        /// <summary>ADC state: the last reading failed (the estimate goes on from the model alone).</summary>
        public const int AdcFault = 2;

        private const long MicrosPerSecond = 1000000L;

        // The largest ceiling any profile writes (twice the largest capacity, plus the headroom): a section written
        // under another profile (a rig whose cell was changed for a bigger or smaller one) still loads.
        private const long MaxCeilingNanocoulombs = 2 * 100000L * BatteryProfile.NanocoulombsPerMilliampHour + HeadroomNanocoulombs;

        private readonly BatteryProfile _profile;
        private readonly int[] _samples = new int[SamplesToCorrect];

        private long _consumedNc;
        private long _ceilingNc;
        private long _carryNaMicros;
        private long _poweredMicros;
        private long _lastMicros;
        private bool _running;
        private bool _eri;
        private bool _eos;
        private long _eriAtMicros;
        private long _eosAtMicros;
        private int _replacements;
        private bool _ceilingMoved;

        private int _sampleCount;
        private long _nextSampleMicros;
        private long _lastSampleMicros;
        private bool _voltageFitted;
        private int _adcState;
        private int _lastMillivolts = -1;
        private long _stepsPerDayNow;
        private long _nextForecastMicros;
        private long _wakeMicros = long.MaxValue;
        private bool _wakeDirty = true;
        private bool _forecastDirty = true;

        /// <summary>A gauge for a fresh cell of <paramref name="profile"/>.</summary>
        public BatteryGauge(BatteryProfile profile)
        {
            if (profile == null) throw new System.ArgumentNullException("profile");
            _profile = profile;
            ClearSection();
        }

        /// <summary>State section tag (5).</summary>
        public int SectionTag { get { return Tag; } }

        /// <summary>Bytes of the section (38).</summary>
        public int SectionBytes { get { return SectionLength; } }

        /// <summary>The figures.</summary>
        public BatteryProfile Profile { get { return _profile; } }

        /// <summary>Charge consumed since the cell was fitted, as far as the gauge knows, nC.</summary>
        public long ConsumedNanocoulombs { get { return _consumedNc; } }

        /// <summary>The consumed charge the state image holds (never below <see cref="ConsumedNanocoulombs"/>), nC.</summary>
        public long CeilingNanocoulombs { get { return _ceilingNc; } }

        /// <summary>Charge left to end of service, nC (0 at or after it).</summary>
        public long RemainingNanocoulombs
        {
            get
            {
                long left = _profile.CapacityNanocoulombs - _consumedNc;
                return left < 0 ? 0 : left;
            }
        }

        /// <summary>Time the pump was on since the cell was fitted, µs (restarts from the last image at a power cut).</summary>
        public long PoweredMicros { get { return _poweredMicros; } }

        /// <summary>True once ERI was raised (until a replacement).</summary>
        public bool Eri { get { return _eri; } }

        /// <summary>True once end of service was reached (until a replacement).</summary>
        public bool Eos { get { return _eos; } }

        /// <summary>When ERI was raised, device-timeline µs (0 if not).</summary>
        public long EriAtMicros { get { return _eriAtMicros; } }

        /// <summary>When end of service was reached, device-timeline µs (0 if not).</summary>
        public long EosAtMicros { get { return _eosAtMicros; } }

        /// <summary>Batteries replaced since the first start.</summary>
        public int Replacements { get { return _replacements; } }

        /// <summary><see cref="AdcNone"/>, <see cref="AdcOk"/> or <see cref="AdcFault"/>.</summary>
        public int AdcState { get { return _adcState; } }

        /// <summary>The last voltage reading, terminal mV; -1 when none succeeded since boot.</summary>
        public int LastMillivolts { get { return _lastMillivolts; } }

        /// <summary>True once since the last call when the ceiling moved (the image must be committed). Clears itself.</summary>
        public bool TakeCeilingMoved()
        {
            bool moved = _ceilingMoved;
            _ceilingMoved = false;
            return moved;
        }

        // ------------------------------------------------------------------ accounting

        /// <summary>Starts counting the baseline at <paramref name="nowMicros"/> (a boot: the time off is not charged).
        /// The ledger resumes from the ceiling the image held.</summary>
        public void Boot(long nowMicros)
        {
            _lastMicros = nowMicros;
            _running = true;
            _sampleCount = 0;
            _nextSampleMicros = nowMicros;
            _lastSampleMicros = nowMicros;
            _forecastDirty = true;
            _wakeDirty = true;
            MoveCeilingIfNear();
        }

        /// <summary>Charges the baseline up to <paramref name="nowMicros"/> (an earlier time charges nothing).</summary>
        public void Advance(long nowMicros)
        {
            if (!_running || nowMicros <= _lastMicros) return;
            long elapsed = nowMicros - _lastMicros;
            _lastMicros = nowMicros;
            _poweredMicros += elapsed;
            // nA x µs / 10^6 = nC, split so that no product overflows over any span; the remainder is carried.
            long seconds = elapsed / MicrosPerSecond;
            long rest = elapsed % MicrosPerSecond;
            long sub = rest * _profile.BaselineNanoamps + _carryNaMicros;
            _carryNaMicros = sub % MicrosPerSecond;
            Charge(seconds * _profile.BaselineNanoamps + sub / MicrosPerSecond);
        }

        /// <summary>Charges <paramref name="steps"/> motor steps (issued to the step generator). No allocation.</summary>
        public void AddSteps(long steps)
        {
            if (steps > 0) Charge(steps * _profile.StepNanocoulombs);
        }

        /// <summary>Charges <paramref name="bytes"/> serial bytes (sent or received). No allocation.</summary>
        public void AddBytes(long bytes)
        {
            if (bytes > 0) Charge(bytes * _profile.ByteNanocoulombs);
        }

        /// <summary>True when a battery-voltage input is fitted: <see cref="NextWakeMicros"/> then includes an hourly reading.</summary>
        public bool VoltageFitted
        {
            get { return _voltageFitted; }
            set
            {
                _voltageFitted = value;
                _wakeDirty = true;
            }
        }

        /// <summary>Takes a battery-voltage reading at most once per <see cref="SampleIntervalMicros"/>: call it on
        /// every service pass; it says whether it wants a reading now. </summary>
        public bool WantsSample(long nowMicros)
        {
            return _running && nowMicros >= _nextSampleMicros;
        }

        /// <summary>A voltage reading (after <see cref="WantsSample"/>): <paramref name="ok"/> false is a fault (the
        /// estimate goes on from the model; the run of low readings restarts). After <see cref="SamplesToCorrect"/>
        /// readings in a row, the highest of them bounds the charge left by the profile's curve.</summary>
        public void Sample(bool ok, int millivolts, long nowMicros)
        {
            _nextSampleMicros = nowMicros + SampleIntervalMicros;
            _lastSampleMicros = nowMicros;
            _wakeDirty = true;
            if (!ok)
            {
                _adcState = AdcFault;
                _sampleCount = 0;
                return;
            }
            _adcState = AdcOk;
            _lastMillivolts = millivolts;
            for (int i = SamplesToCorrect - 1; i > 0; i--) _samples[i] = _samples[i - 1];
            _samples[0] = millivolts;
            if (_sampleCount < SamplesToCorrect) _sampleCount++;
            if (_sampleCount < SamplesToCorrect || !_profile.HasCurve) return;
            int highest = _samples[0];
            for (int i = 1; i < SamplesToCorrect; i++) if (_samples[i] > highest) highest = _samples[i];
            long capacity = _profile.CapacityNanocoulombs;
            long atMost = capacity / 1000 * _profile.PermilleAtMost(highest);
            long consumedAtLeast = capacity - atMost;
            if (consumedAtLeast > _consumedNc)
            {
                Charge(consumedAtLeast - _consumedNc);
                _forecastDirty = true;
            }
        }

        /// <summary>Tells the forecast the motor's rate now, steps/day (0 when it is not running).</summary>
        public void SetMotorRate(long stepsPerDay)
        {
            if (stepsPerDay < 0) stepsPerDay = 0;
            if (stepsPerDay == _stepsPerDayNow) return;
            _stepsPerDayNow = stepsPerDay;
            _wakeDirty = true;
            _forecastDirty = true;
        }

        /// <summary>Latches ERI and EOS when they fall due at <paramref name="nowMicros"/>: EOS when no charge is left,
        /// ERI when the forecast end of service is <see cref="BatteryProfile.EriNoticeDays"/> or fewer days away (or at
        /// EOS, so ERI always comes first). Returns true when either latch changed.</summary>
        public bool Evaluate(long nowMicros)
        {
            bool changed = false;
            if (!_eos && RemainingNanocoulombs == 0)
            {
                _eos = true;
                _eosAtMicros = nowMicros;
                changed = true;
            }
            // The forecast (128-bit arithmetic) at most every ForecastIntervalMicros, at the gauge's own wake, and after
            // anything that moved it (motor rate, ceiling, a voltage correction, a boot).
            bool forecastDue = _forecastDirty || nowMicros >= _nextForecastMicros || nowMicros >= NextWakeMicros;
            if (!_eri && (_eos || (forecastDue && EosInMicros() <= _profile.EriNoticeDays * BatteryProfile.DayMicros)))
            {
                _eri = true;
                _eriAtMicros = nowMicros;
                changed = true;
            }
            if (forecastDue)
            {
                _nextForecastMicros = nowMicros + ForecastIntervalMicros;
                _forecastDirty = false;
                _wakeDirty = true;
            }
            if (changed) _wakeDirty = true;
            return changed;
        }

        /// <summary>A new cell was fitted (BATT:REPLACED): the ledger restarts from 0, ERI and EOS clear.</summary>
        public void Replace(long nowMicros)
        {
            int replacements = _replacements;
            ClearSection();
            _replacements = replacements + 1;
            Boot(nowMicros);
            _ceilingMoved = true;
        }

        // ------------------------------------------------------------------ forecast

        /// <summary>The drain the forecast assumes, nC/day: the higher of the average since the cell was fitted and the
        /// baseline plus the motor at its rate now, so the forecast errs early.</summary>
        public long DrainNanocoulombsPerDay
        {
            get
            {
                long now = _profile.BaselineNanoamps * 86400L + _stepsPerDayNow * _profile.StepNanocoulombs;
                // The average over less than a day says little (a prime at full speed); it counts from then on.
                if (_poweredMicros >= BatteryProfile.DayMicros && WideMath.MulDivFits(_consumedNc, BatteryProfile.DayMicros, _poweredMicros))
                {
                    long average = WideMath.MulDivCeil(_consumedNc, BatteryProfile.DayMicros, _poweredMicros);
                    if (average > now) return average;
                }
                return now;
            }
        }

        /// <summary>Forecast time to end of service at <see cref="DrainNanocoulombsPerDay"/>, µs (0 at EOS; rounded down).</summary>
        public long EosInMicros()
        {
            long remaining = RemainingNanocoulombs;
            if (remaining == 0) return 0;
            long drain = DrainNanocoulombsPerDay;
            if (!WideMath.MulDivFits(remaining, BatteryProfile.DayMicros, drain)) return long.MaxValue;
            return WideMath.MulDivFloor(remaining, BatteryProfile.DayMicros, drain);
        }

        /// <summary>Forecast time to ERI, µs (0 once raised or due).</summary>
        public long EriInMicros()
        {
            if (_eri) return 0;
            long eos = EosInMicros();
            long notice = _profile.EriNoticeDays * BatteryProfile.DayMicros;
            return eos == long.MaxValue ? long.MaxValue : (eos > notice ? eos - notice : 0);
        }

        /// <summary>When the gauge next needs a service pass with nothing else happening (the baseline alone): the
        /// ceiling must move, ERI or EOS falls due, or (voltage fitted) an hour passed since the last reading;
        /// long.MaxValue when none will (after EOS).</summary>
        public long NextWakeMicros
        {
            get
            {
                if (_wakeDirty)
                {
                    _wakeMicros = ComputeWake();
                    _wakeDirty = false;
                }
                return _wakeMicros;
            }
        }

        // The wake as an instant: at the baseline alone it does not move as the baseline is charged, so it is computed
        // again only when something else changed (a charge that moved the ceiling, a reading, the rate, a latch).
        private long ComputeWake()
        {
            if (!_running || _eos) return long.MaxValue;
            long next = WhenConsumedReaches(_ceilingNc - MarginNanocoulombs);
            long eri = _eri ? long.MaxValue : EriInMicros();
            if (eri != long.MaxValue && _lastMicros + eri < next) next = _lastMicros + eri;
            long eos = WhenConsumedReaches(_profile.CapacityNanocoulombs);
            if (eos < next) next = eos;
            if (_voltageFitted && _lastSampleMicros + IdleSampleIntervalMicros < next) next = _lastSampleMicros + IdleSampleIntervalMicros;
            return next;
        }

        // ------------------------------------------------------------------ persistence (state section 5)

        /// <summary>Writes the section: fixed width (<see cref="SectionLength"/> bytes), the same bytes for the same
        /// state, the ceiling rather than the ledger. No allocation.</summary>
        public void SaveSection(StateWriter writer)
        {
            writer.WriteByte(SectionVersion);
            writer.WriteLong(_ceilingNc);
            writer.WriteLong(_poweredMicros - _poweredMicros % (3600L * MicrosPerSecond));
            writer.WriteByte((_eri ? 1 : 0) | (_eos ? 2 : 0));
            writer.WriteLong(_eriAtMicros);
            writer.WriteLong(_eosAtMicros);
            writer.WriteInt(_replacements);
        }

        /// <summary>Reads a section of <paramref name="length"/> bytes, checking every field; false means a bad image.
        /// The ledger resumes from the stored ceiling.</summary>
        public bool LoadSection(StateReader reader, int length)
        {
            if (length != SectionLength) return false;
            int version = reader.ReadByte();
            long ceiling = reader.ReadLong();
            long powered = reader.ReadLong();
            int flags = reader.ReadByte();
            long eriAt = reader.ReadLong();
            long eosAt = reader.ReadLong();
            int replacements = reader.ReadInt();
            bool eri = (flags & 1) != 0;
            bool eos = (flags & 2) != 0;
            bool ok = !reader.Failed && version == SectionVersion && ceiling >= 0 && powered >= 0 && (flags & ~3) == 0
                && (!eos || eri) && eriAt >= 0 && eosAt >= 0 && (eri || eriAt == 0) && (eos || eosAt == 0) && replacements >= 0
                && ceiling <= MaxCeilingNanocoulombs;
            if (!ok) return false;
            _ceilingNc = ceiling;
            _consumedNc = ceiling;
            _carryNaMicros = 0;
            _poweredMicros = powered;
            _eri = eri;
            _eos = eos;
            _eriAtMicros = eriAt;
            _eosAtMicros = eosAt;
            _replacements = replacements;
            _ceilingMoved = false;
            _wakeDirty = true;
            _forecastDirty = true;
            return true;
        }

        /// <summary>The state with no section: a fresh cell (factory start, or an image of older firmware).</summary>
        public void ClearSection()
        {
            _consumedNc = 0;
            _ceilingNc = HeadroomNanocoulombs;
            _carryNaMicros = 0;
            _poweredMicros = 0;
            _eri = false;
            _eos = false;
            _eriAtMicros = 0;
            _eosAtMicros = 0;
            _replacements = 0;
            _ceilingMoved = false;
            _sampleCount = 0;
            _adcState = AdcNone;
            _lastMillivolts = -1;
            _wakeDirty = true;
            _forecastDirty = true;
        }

        // ------------------------------------------------------------------ internals

        private void Charge(long nanocoulombs)
        {
            // After end of service the ledger stands still: nothing more can be forecast, and no more images are due.
            if (_eos) return;
            long sum = _consumedNc + nanocoulombs;
            // Past end of service nothing more matters; stop where no sum can overflow.
            long cap = _profile.CapacityNanocoulombs * 2;
            _consumedNc = sum > cap ? cap : sum;
            MoveCeilingIfNear();
        }

        private void MoveCeilingIfNear()
        {
            if (_consumedNc + MarginNanocoulombs < _ceilingNc) return;
            long cap = _profile.CapacityNanocoulombs + HeadroomNanocoulombs;
            long ceiling = _consumedNc + HeadroomNanocoulombs;
            if (ceiling > cap) ceiling = cap;
            if (ceiling <= _ceilingNc) return;
            _ceilingNc = ceiling;
            _ceilingMoved = true;
            _wakeDirty = true;
        }

        // The timeline instant at which the baseline alone brings the ledger to target (rounded down, so a wake is never
        // late); long.MaxValue when it never will, _lastMicros when it already has.
        private long WhenConsumedReaches(long target)
        {
            long needed = target - _consumedNc;
            if (needed <= 0) return _lastMicros;
            // needed nC x 10^6 / nA = µs, less what the carry already holds.
            long naMicros = needed;
            if (!WideMath.MulDivFits(naMicros, MicrosPerSecond, _profile.BaselineNanoamps)) return long.MaxValue;
            long micros = WideMath.MulDivFloor(naMicros, MicrosPerSecond, _profile.BaselineNanoamps);
            micros -= _carryNaMicros / _profile.BaselineNanoamps;
            if (micros < 0) micros = 0;
            return _lastMicros + micros;
        }
    }
}
