// The program: what the clinician reviewed, by its canonical text and CRC, and what the pump
// runs. All quantities are integers in the core's units (ng, nL, minutes); the setters check
// ranges and return the 422 text naming the field and the value, the protocol checks syntax.
// Fixed arrays for the flex steps: no allocation after construction, copies by CopyFrom.
// The canonical text and its CRC (what the clinician reviews and commits by) are in
// Prescription.Canonical.cs.
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Dosing
{
    /// <summary>A drug program (PROTOCOL.md "The program"): drug, concentration, 24 h limit,
    /// 1..12 flex steps, patient bolus (PTM), reservoir, catheter and minimum rate.</summary>
    public sealed partial class Prescription
    {
        /// <summary>Most flex steps in a program.</summary>
        public const int MaxSteps = 12;

        /// <summary>Longest drug name.</summary>
        public const int MaxDrugNameLength = 16;

        /// <summary>Smallest concentration, ng/mL (0.001 µg/mL).</summary>
        public const long MinConcNgPerMl = 1;

        /// <summary>Largest concentration, ng/mL (100000 µg/mL).</summary>
        public const long MaxConcNgPerMl = 100000000;

        /// <summary>Largest 24 h limit, a step rate or a bolus dose, ng (/day): 100 g. A sanity bound that
        /// keeps every product in the delivery math inside 128 bits and every sum inside 63.</summary>
        public const long MaxDoseNg = 100000000000;

        /// <summary>Largest reservoir capacity, nL (1 L).</summary>
        public const long MaxCapacityNl = 1000000000;

        /// <summary>Largest catheter volume, nL (100 mL).</summary>
        public const long MaxCatheterNl = 100000000;

        /// <summary>Largest minimum rate, nL/day (1 L/day).</summary>
        public const long MaxMinRateNlPerDay = 1000000000;

        /// <summary>Longest PTM duration and lockout, minutes (24 h).</summary>
        public const int MaxPtmMinutes = 1440;

        /// <summary>Largest PTM count per rolling 24 h (the PTM history ring has this many slots).</summary>
        public const int MaxPtmPerDay = 100;

        /// <summary>Default reservoir capacity, nL (20000 µL).</summary>
        public const long DefaultCapacityNl = 20000000;

        /// <summary>Default low-reservoir alarm, nL (2000 µL).</summary>
        public const long DefaultLowAlarmNl = 2000000;

        /// <summary>Size of a buffer that always holds the canonical text.</summary>
        public const int MaxCanonicalLength = 1024;

        private readonly int[] _stepMinuteOfDay = new int[MaxSteps];
        private readonly long[] _stepRateNgPerDay = new long[MaxSteps];
        private string _drugName;
        private long _concNgPerMl;
        private long _limitNgPerDay;
        private int _stepCount;
        private bool _ptmEnabled;
        private long _ptmDoseNg;
        private int _ptmDurationMin;
        private int _ptmLockoutMin;
        private int _ptmMaxPerDay;
        private long _capacityNl;
        private long _lowAlarmNl;
        private long _catheterNl;
        private long _minRateNlPerDay;

        /// <summary>An empty program (no drug, no limit, no steps; reservoir defaults).</summary>
        public Prescription()
        {
            Clear();
        }

        /// <summary>Drug name, or null if not set.</summary>
        public string DrugName { get { return _drugName; } }

        /// <summary>Concentration, ng/mL (0 if not set).</summary>
        public long ConcNgPerMl { get { return _concNgPerMl; } }

        /// <summary>Ceiling on drug in any rolling 24 h, ng (0 if not set).</summary>
        public long LimitNgPerDay { get { return _limitNgPerDay; } }

        /// <summary>Number of flex steps (0..12).</summary>
        public int StepCount { get { return _stepCount; } }

        /// <summary>Whether the patient bolus is enabled.</summary>
        public bool PtmEnabled { get { return _ptmEnabled; } }

        /// <summary>Patient bolus dose, ng (0 when off).</summary>
        public long PtmDoseNg { get { return _ptmDoseNg; } }

        /// <summary>Patient bolus duration, minutes (0 when off).</summary>
        public int PtmDurationMin { get { return _ptmDurationMin; } }

        /// <summary>Patient bolus lockout from the previous granted start, minutes (0 when off).</summary>
        public int PtmLockoutMin { get { return _ptmLockoutMin; } }

        /// <summary>Patient boluses allowed in any rolling 24 h (0 when off).</summary>
        public int PtmMaxPerDay { get { return _ptmMaxPerDay; } }

        /// <summary>Reservoir capacity, nL.</summary>
        public long CapacityNl { get { return _capacityNl; } }

        /// <summary>LOW_RESERVOIR threshold, nL.</summary>
        public long LowAlarmNl { get { return _lowAlarmNl; } }

        /// <summary>Catheter and pump dead volume, nL (limit for prime, volume of a bridge).</summary>
        public long CatheterNl { get { return _catheterNl; } }

        /// <summary>Volume rate while SUSPENDED, nL/day (0 = none).</summary>
        public long MinRateNlPerDay { get { return _minRateNlPerDay; } }

        /// <summary>Drug, limit and at least one step are set (PROTOCOL.md: else ERR 409 program incomplete).</summary>
        public bool IsComplete
        {
            get { return _drugName != null && _limitNgPerDay > 0 && _stepCount > 0; }
        }

        /// <summary>Minute of day (0..1439) of step <paramref name="index"/>; steps are sorted by time.</summary>
        public int StepMinuteOfDay(int index)
        {
            return _stepMinuteOfDay[index];
        }

        /// <summary>Rate of step <paramref name="index"/>, ng/day.</summary>
        public long StepRateNgPerDay(int index)
        {
            return _stepRateNgPerDay[index];
        }

        /// <summary>Empties the program: no drug, limit, steps or PTM; reservoir defaults; catheter and minimum rate 0.</summary>
        public void Clear()
        {
            _drugName = null;
            _concNgPerMl = 0;
            _limitNgPerDay = 0;
            _stepCount = 0;
            for (int i = 0; i < MaxSteps; i++)
            {
                _stepMinuteOfDay[i] = 0;
                _stepRateNgPerDay[i] = 0;
            }
            SetPtmOff();
            _capacityNl = DefaultCapacityNl;
            _lowAlarmNl = DefaultLowAlarmNl;
            _catheterNl = 0;
            _minRateNlPerDay = 0;
        }

        /// <summary>Makes this an exact copy of <paramref name="other"/> (no allocation: strings are immutable).</summary>
        public void CopyFrom(Prescription other)
        {
            _drugName = other._drugName;
            _concNgPerMl = other._concNgPerMl;
            _limitNgPerDay = other._limitNgPerDay;
            _stepCount = other._stepCount;
            for (int i = 0; i < MaxSteps; i++)
            {
                _stepMinuteOfDay[i] = other._stepMinuteOfDay[i];
                _stepRateNgPerDay[i] = other._stepRateNgPerDay[i];
            }
            _ptmEnabled = other._ptmEnabled;
            _ptmDoseNg = other._ptmDoseNg;
            _ptmDurationMin = other._ptmDurationMin;
            _ptmLockoutMin = other._ptmLockoutMin;
            _ptmMaxPerDay = other._ptmMaxPerDay;
            _capacityNl = other._capacityNl;
            _lowAlarmNl = other._lowAlarmNl;
            _catheterNl = other._catheterNl;
            _minRateNlPerDay = other._minRateNlPerDay;
        }

        /// <summary>True if <paramref name="name"/> matches <c>[A-Za-z0-9_-]{1,16}</c>.</summary>
        public static bool IsValidDrugName(string name)
        {
            if (name == null || name.Length < 1 || name.Length > MaxDrugNameLength) return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>PROG:DRUG. <paramref name="name"/> must already satisfy <see cref="IsValidDrugName"/> (else 400 is the caller's).</summary>
        /// <returns>null when set; else the 422 text, and nothing changed.</returns>
        public string SetDrug(string name, long concNgPerMl)
        {
            if (!IsValidDrugName(name)) return "drug name invalid";
            if (concNgPerMl < MinConcNgPerMl || concNgPerMl > MaxConcNgPerMl)
            {
                return RangeText("conc_ug_ml", concNgPerMl, "0.001..100000.000");
            }
            _drugName = name;
            _concNgPerMl = concNgPerMl;
            return null;
        }

        /// <summary>PROG:LIMIT, ng/day (1..<see cref="MaxDoseNg"/>).</summary>
        /// <returns>null when set; else the 422 text, and nothing changed.</returns>
        public string SetLimit(long limitNgPerDay)
        {
            if (limitNgPerDay < 1 || limitNgPerDay > MaxDoseNg)
            {
                return RangeText("limit_ug_day", limitNgPerDay, "0.001..100000000.000");
            }
            _limitNgPerDay = limitNgPerDay;
            return null;
        }

        /// <summary>PROG:STEP: the rate from <paramref name="minuteOfDay"/> until the next step's time
        /// (wrapping at midnight). A step at an existing time replaces it.</summary>
        /// <returns>null when set; else the 422 text (rate out of range, or a 13th step), and nothing changed.</returns>
        public string SetStep(int minuteOfDay, long rateNgPerDay)
        {
            if (minuteOfDay < 0 || minuteOfDay >= TimeOfDayText.MinutesPerDay)
            {
                return "time of day out of range";
            }
            if (rateNgPerDay < 0 || rateNgPerDay > MaxDoseNg)
            {
                return RangeText("rate_ug_day", rateNgPerDay, "0.000..100000000.000");
            }
            int insertAt = 0;
            while (insertAt < _stepCount && _stepMinuteOfDay[insertAt] < minuteOfDay)
            {
                insertAt++;
            }
            if (insertAt < _stepCount && _stepMinuteOfDay[insertAt] == minuteOfDay)
            {
                _stepRateNgPerDay[insertAt] = rateNgPerDay;
                return null;
            }
            if (_stepCount == MaxSteps)
            {
                return "steps=13 exceeds max_steps=12";
            }
            for (int i = _stepCount; i > insertAt; i--)
            {
                _stepMinuteOfDay[i] = _stepMinuteOfDay[i - 1];
                _stepRateNgPerDay[i] = _stepRateNgPerDay[i - 1];
            }
            _stepMinuteOfDay[insertAt] = minuteOfDay;
            _stepRateNgPerDay[insertAt] = rateNgPerDay;
            _stepCount++;
            return null;
        }

        /// <summary>PROG:CLEARSTEPS.</summary>
        public void ClearSteps()
        {
            for (int i = 0; i < MaxSteps; i++)
            {
                _stepMinuteOfDay[i] = 0;
                _stepRateNgPerDay[i] = 0;
            }
            _stepCount = 0;
        }

        /// <summary>PROG:PTM dose duration lockout max_per_day.</summary>
        /// <param name="doseNg">1..<see cref="MaxDoseNg"/> ng.</param>
        /// <param name="durationMin">1..1440 minutes.</param>
        /// <param name="lockoutMin">0..1440 minutes, from the previous granted start.</param>
        /// <param name="maxPerDay">1..100 in any rolling 24 h.</param>
        /// <returns>null when set; else the 422 text, and nothing changed.</returns>
        public string SetPtm(long doseNg, long durationMin, long lockoutMin, long maxPerDay)
        {
            if (doseNg < 1 || doseNg > MaxDoseNg) return RangeText("ptm_dose_ug", doseNg, "0.001..100000000.000");
            if (durationMin < 1 || durationMin > MaxPtmMinutes) return IntegerRangeText("ptm_duration_min", durationMin, "1..1440");
            if (lockoutMin < 0 || lockoutMin > MaxPtmMinutes) return IntegerRangeText("ptm_lockout_min", lockoutMin, "0..1440");
            if (maxPerDay < 1 || maxPerDay > MaxPtmPerDay) return IntegerRangeText("ptm_max_per_day", maxPerDay, "1..100");
            _ptmEnabled = true;
            _ptmDoseNg = doseNg;
            _ptmDurationMin = (int)durationMin;
            _ptmLockoutMin = (int)lockoutMin;
            _ptmMaxPerDay = (int)maxPerDay;
            return null;
        }

        /// <summary>PROG:PTM OFF: disables the patient bolus and zeroes its fields.</summary>
        public void SetPtmOff()
        {
            _ptmEnabled = false;
            _ptmDoseNg = 0;
            _ptmDurationMin = 0;
            _ptmLockoutMin = 0;
            _ptmMaxPerDay = 0;
        }

        /// <summary>PROG:RESERVOIR capacity low_alarm, nL. Capacity 1..<see cref="MaxCapacityNl"/>, low alarm 0..capacity.</summary>
        /// <returns>null when set; else the 422 text, and nothing changed.</returns>
        public string SetReservoir(long capacityNl, long lowAlarmNl)
        {
            if (capacityNl < 1 || capacityNl > MaxCapacityNl) return RangeText("capacity_ul", capacityNl, "0.001..1000000.000");
            if (lowAlarmNl < 0 || lowAlarmNl > capacityNl)
            {
                return "low_alarm_ul=" + Fixed3.Format(lowAlarmNl) + " exceeds capacity_ul=" + Fixed3.Format(capacityNl);
            }
            _capacityNl = capacityNl;
            _lowAlarmNl = lowAlarmNl;
            return null;
        }

        /// <summary>PROG:CATHETER, nL (0..<see cref="MaxCatheterNl"/>).</summary>
        /// <returns>null when set; else the 422 text, and nothing changed.</returns>
        public string SetCatheter(long catheterNl)
        {
            if (catheterNl < 0 || catheterNl > MaxCatheterNl) return RangeText("catheter_ul", catheterNl, "0.000..100000.000");
            _catheterNl = catheterNl;
            return null;
        }

        /// <summary>PROG:MINRATE, nL/day (0..<see cref="MaxMinRateNlPerDay"/>).</summary>
        /// <returns>null when set; else the 422 text, and nothing changed.</returns>
        public string SetMinRate(long minRateNlPerDay)
        {
            if (minRateNlPerDay < 0 || minRateNlPerDay > MaxMinRateNlPerDay) return RangeText("minrate_ul_day", minRateNlPerDay, "0.000..1000000.000");
            _minRateNlPerDay = minRateNlPerDay;
            return null;
        }

        /// <summary>Index of the step in force at <paramref name="minuteOfDay"/> (the last step at or
        /// before it, else the last step of the day: the schedule wraps at midnight); -1 without steps.</summary>
        public int StepIndexAt(int minuteOfDay)
        {
            if (_stepCount == 0) return -1;
            // Before the first step's time the day's last step still runs. Steps are sorted, so the
            // walk stops at the first step that starts later.
            int index = _stepCount - 1;
            for (int i = 0; i < _stepCount && _stepMinuteOfDay[i] <= minuteOfDay; i++)
            {
                index = i;
            }
            return index;
        }

        /// <summary>Basal rate in force at <paramref name="minuteOfDay"/>, ng/day (0 without steps).</summary>
        public long RateNgPerDayAt(int minuteOfDay)
        {
            int index = StepIndexAt(minuteOfDay);
            return index < 0 ? 0 : _stepRateNgPerDay[index];
        }

        /// <summary>Minute of day of the next step change strictly after <paramref name="minuteOfDay"/>,
        /// as minutes from midnight of the same day (may be 1440 + first step, i.e. tomorrow); -1 with fewer than 2 steps.</summary>
        public int NextChangeMinute(int minuteOfDay)
        {
            if (_stepCount < 2) return -1;
            for (int i = 0; i < _stepCount; i++)
            {
                if (_stepMinuteOfDay[i] > minuteOfDay) return _stepMinuteOfDay[i];
            }
            return _stepMinuteOfDay[0] + TimeOfDayText.MinutesPerDay;
        }

        /// <summary>The largest step rate, ng/day.</summary>
        public long MaxStepRateNgPerDay()
        {
            long max = 0;
            for (int i = 0; i < _stepCount; i++)
            {
                if (_stepRateNgPerDay[i] > max) max = _stepRateNgPerDay[i];
            }
            return max;
        }

        /// <summary>Basal drug over 24 h, ng, rounded up (canonical <c>daily_ug</c>).</summary>
        public long DailyNg
        {
            get
            {
                long sum = 0;
                for (int i = 0; i < _stepCount; i++)
                {
                    int next = i + 1 < _stepCount ? _stepMinuteOfDay[i + 1] : _stepMinuteOfDay[0] + TimeOfDayText.MinutesPerDay;
                    sum += _stepRateNgPerDay[i] * (next - _stepMinuteOfDay[i]);
                }
                // A single step covers the whole day: next - start is then 1440.
                return (sum + TimeOfDayText.MinutesPerDay - 1) / TimeOfDayText.MinutesPerDay;
            }
        }

        /// <summary>Basal over 24 h plus every allowed patient bolus (max_per_day x dose), ng
        /// (canonical <c>worst_day_ug</c>). Conservative: the lockout is not used to lower the count.</summary>
        public long WorstDayNg
        {
            get { return DailyNg + (_ptmEnabled ? _ptmDoseNg * _ptmMaxPerDay : 0); }
        }

        /// <summary>Drug delivered by the minimum rate over 24 h, ng, rounded up.</summary>
        public long MinRateNgPerDay
        {
            // No drug (concentration 0) gives 0 through the product itself.
            get { return WideMath.MulDivCeil(_minRateNlPerDay, _concNgPerMl, 1000000); }
        }

        /// <summary>The PTM bolus rate while it runs, ng/day (dose x 1440 / duration).</summary>
        public long PtmRateNgPerDay
        {
            get { return _ptmEnabled ? WideMath.MulDivCeil(_ptmDoseNg, TimeOfDayText.MinutesPerDay, _ptmDurationMin) : 0; }
        }

        /// <summary>Checks a complete program against its limit and the motor (PROG:REVIEW, PROG:COMMIT).</summary>
        /// <param name="stepsPerMl">Calibration in force, steps/mL (1..10^7).</param>
        /// <param name="maxStepsPerSecond">The motor's maximum step rate, steps/s.</param>
        /// <returns>null if valid; else the ERR 422 text naming the value and the limit, e.g.
        /// "worst_day_ug=1234.000 exceeds limit_ug_day=1000.000". Incomplete programs are the caller's 409.</returns>
        public string Validate(long stepsPerMl, int maxStepsPerSecond)
        {
            long worst = WorstDayNg;
            if (worst > _limitNgPerDay)
            {
                return "worst_day_ug=" + Fixed3.Format(worst) + " exceeds limit_ug_day=" + Fixed3.Format(_limitNgPerDay);
            }
            long minRateNg = MinRateNgPerDay;
            if (minRateNg > _limitNgPerDay)
            {
                return "minrate_ug_day=" + Fixed3.Format(minRateNg) + " exceeds limit_ug_day=" + Fixed3.Format(_limitNgPerDay);
            }
            long peakNgPerDay = MaxStepRateNgPerDay() + PtmRateNgPerDay;
            long motorMaxNgPerDay = MotorMaxNgPerDay(_concNgPerMl, stepsPerMl, maxStepsPerSecond);
            if (peakNgPerDay > motorMaxNgPerDay)
            {
                return "rate_ug_day=" + Fixed3.Format(peakNgPerDay) + " exceeds motor_max_ug_day=" + Fixed3.Format(motorMaxNgPerDay);
            }
            long motorMaxNlPerDay = MotorMaxNlPerDay(stepsPerMl, maxStepsPerSecond);
            if (_minRateNlPerDay > motorMaxNlPerDay)
            {
                return "minrate_ul_day=" + Fixed3.Format(_minRateNlPerDay) + " exceeds motor_max_ul_day=" + Fixed3.Format(motorMaxNlPerDay);
            }
            return null;
        }

        /// <summary>The motor's maximum as a drug rate, ng/day, rounded down:
        /// maxStepsPerSecond x 86400 / stepsPerMl x conc.</summary>
        public static long MotorMaxNgPerDay(long concNgPerMl, long stepsPerMl, int maxStepsPerSecond)
        {
            return WideMath.MulDivFloor((long)maxStepsPerSecond * 86400, concNgPerMl, stepsPerMl);
        }

        /// <summary>The motor's maximum as a volume rate, nL/day, rounded down.</summary>
        public static long MotorMaxNlPerDay(long stepsPerMl, int maxStepsPerSecond)
        {
            return WideMath.MulDivFloor((long)maxStepsPerSecond * 86400, 1000000, stepsPerMl);
        }

        /// <summary>True if both programs have identical fields.</summary>
        public bool SameAs(Prescription other)
        {
            if (other == null) return false;
            if (_drugName != other._drugName || _concNgPerMl != other._concNgPerMl || _limitNgPerDay != other._limitNgPerDay
                || _stepCount != other._stepCount || _ptmEnabled != other._ptmEnabled || _ptmDoseNg != other._ptmDoseNg
                || _ptmDurationMin != other._ptmDurationMin || _ptmLockoutMin != other._ptmLockoutMin
                || _ptmMaxPerDay != other._ptmMaxPerDay || _capacityNl != other._capacityNl || _lowAlarmNl != other._lowAlarmNl
                || _catheterNl != other._catheterNl || _minRateNlPerDay != other._minRateNlPerDay)
            {
                return false;
            }
            for (int i = 0; i < _stepCount; i++)
            {
                if (_stepMinuteOfDay[i] != other._stepMinuteOfDay[i] || _stepRateNgPerDay[i] != other._stepRateNgPerDay[i]) return false;
            }
            return true;
        }

        /// <summary>Writes every field (fixed layout).</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteAscii(_drugName);   // no drug (null) is written as an empty name
            writer.WriteLong(_concNgPerMl);
            writer.WriteLong(_limitNgPerDay);
            writer.WriteByte(_stepCount);
            for (int i = 0; i < MaxSteps; i++)
            {
                writer.WriteInt(_stepMinuteOfDay[i]);
                writer.WriteLong(_stepRateNgPerDay[i]);
            }
            writer.WriteBool(_ptmEnabled);
            writer.WriteLong(_ptmDoseNg);
            writer.WriteInt(_ptmDurationMin);
            writer.WriteInt(_ptmLockoutMin);
            writer.WriteInt(_ptmMaxPerDay);
            writer.WriteLong(_capacityNl);
            writer.WriteLong(_lowAlarmNl);
            writer.WriteLong(_catheterNl);
            writer.WriteLong(_minRateNlPerDay);
        }

        /// <summary>Reads what <see cref="Save"/> wrote, checking every range. On failure the reader is
        /// marked failed, false is returned and this program is left unchanged.</summary>
        public bool Load(StateReader reader)
        {
            Prescription loaded = new Prescription();
            string name = reader.ReadAscii();
            long conc = reader.ReadLong();
            long limit = reader.ReadLong();
            int count = reader.ReadByte();
            bool ok = true;
            if (name.Length > 0)
            {
                ok &= loaded.SetDrug(name, conc) == null;
            }
            else if (conc != 0)
            {
                ok = false;
            }
            if (limit != 0) ok &= loaded.SetLimit(limit) == null;
            if (count > MaxSteps) ok = false;
            for (int i = 0; i < MaxSteps; i++)
            {
                int minute = reader.ReadInt();
                long rate = reader.ReadLong();
                if (i < count)
                {
                    if (i > 0 && minute <= loaded._stepMinuteOfDay[i - 1]) ok = false;
                    ok &= loaded.SetStep(minute, rate) == null;
                }
            }
            bool ptm = reader.ReadBool();
            long dose = reader.ReadLong();
            int duration = reader.ReadInt();
            int lockout = reader.ReadInt();
            int maxPerDay = reader.ReadInt();
            if (ptm) ok &= loaded.SetPtm(dose, duration, lockout, maxPerDay) == null;
            else if (dose != 0 || duration != 0 || lockout != 0 || maxPerDay != 0) ok = false;
            long capacity = reader.ReadLong();
            long low = reader.ReadLong();
            ok &= loaded.SetReservoir(capacity, low) == null;
            ok &= loaded.SetCatheter(reader.ReadLong()) == null;
            ok &= loaded.SetMinRate(reader.ReadLong()) == null;
            if (!ok || reader.Failed)
            {
                reader.Fail();
                return false;
            }
            CopyFrom(loaded);
            return true;
        }

        private static string RangeText(string key, long thousandths, string range)
        {
            return key + "=" + Fixed3.Format(thousandths) + " out of range " + range;
        }

        private static string IntegerRangeText(string key, long value, string range)
        {
            return key + "=" + Fixed3.FormatInteger(value) + " out of range " + range;
        }
    }
}
