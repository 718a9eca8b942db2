// The titration guard: a staged program is checked against its drug's library entry and the
// commits of that drug in the last 7 days, at PROG:REVIEW and PROG:COMMIT (docs/DRUG-LIBRARY.md,
// PROTOCOL.md "Drug library and titration guard"). It refuses only what it exists to refuse:
// - a drug without an entry passes (the review says so);
// - the hard limits: a concentration above the entry's max_conc_ug_ml, a worst_day_ug above its
//   max_ug_day. No word overrides them (a clinician with the PIN can change the entry: LIB:SET);
// - the titration limits, only when the program raises daily_ug over a known previous dose of the
//   same drug (the active program when it is that drug, else the newest commit of that drug still
//   in the history): a rise above max_step_ug_day; a rise that would be more than
//   max_increases_7d increases, or a total above max_increase_7d_ug_day, in the 7 days ending now.
//   A first program of a drug (none active, none in the last 7 days) has no previous dose, so it is
//   not a rise: it passes, as the first program ever does. `OVERRIDE=TITRATION` on the commit lets
//   a titration refusal through; each limit it overrode is logged.
// Decreases and unchanged doses always pass; increases are counted each time, so a decrease and a
// rise back count as a rise (the label counts dose increases, not net change).
using PumpFirmware.Dosing;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    /// <summary>Checks a program against the drug library and the titration history; records commits.</summary>
    public sealed class TitrationGuard
    {
        /// <summary>Limit codes (the TITRATION_OVERRIDE log record's code): the titration limits are bits.</summary>
        public const int LimitStep = 1, LimitIncreases = 2, LimitTotal = 4;

        private readonly DrugLibrary _library;
        private readonly TitrationHistory _history;
        private readonly DrugLimits _entry = new DrugLimits();

        private bool _evaluated;
        private int _drugKey;
        private long _dailyNg;
        private bool _hasBaseline;
        private long _increaseNgPerDay;
        private int _increases7d;
        private long _increase7dNgPerDay;
        private int _exceeded;
        private string _hardRefusal;

        /// <summary>A guard over <paramref name="library"/> and <paramref name="history"/> (both owned by the application).</summary>
        public TitrationGuard(DrugLibrary library, TitrationHistory history)
        {
            _library = library;
            _history = history;
        }

        /// <summary>The library.</summary>
        public DrugLibrary Library { get { return _library; } }

        /// <summary>The history of commits.</summary>
        public TitrationHistory History { get { return _history; } }

        /// <summary>The entry found by the last <see cref="Evaluate"/> (Source None when the drug has none).</summary>
        public DrugLimits Entry { get { return _entry; } }

        /// <summary>True when the last evaluated drug has a library entry.</summary>
        public bool HasEntry { get { return _entry.Source != DrugLibrary.SourceNone; } }

        /// <summary>True when a previous dose of the drug was known (else no rise is measured).</summary>
        public bool HasBaseline { get { return _hasBaseline; } }

        /// <summary>The rise of daily_ug over the previous dose, ng/day (0 for none, a decrease or no baseline).</summary>
        public long IncreaseNgPerDay { get { return _increaseNgPerDay; } }

        /// <summary>Increases in the 7 days ending now, this one included when it is one.</summary>
        public int Increases7d { get { return _increases7d; } }

        /// <summary>Sum of the increases in the 7 days ending now, this one included, ng/day.</summary>
        public long Increase7dNgPerDay { get { return _increase7dNgPerDay; } }

        /// <summary>The titration limits the program exceeds (<see cref="LimitStep"/>, <see cref="LimitIncreases"/>,
        /// <see cref="LimitTotal"/> bits; 0 when none).</summary>
        public int ExceededLimits { get { return _exceeded; } }

        /// <summary>Evaluates <paramref name="program"/> (complete) against its drug's entry and the history at
        /// <paramref name="nowMicros"/> (device timeline), with <paramref name="active"/> (or null) the program in force.
        /// Changes nothing; no allocation unless a hard limit is exceeded (its refusal text).</summary>
        public void Evaluate(Prescription program, Prescription active, long nowMicros)
        {
            _evaluated = true;
            _library.Find(program.DrugName, _entry);
            _drugKey = TitrationHistory.DrugKey(program.DrugName);
            _dailyNg = program.DailyNg;
            _hasBaseline = false;
            _increaseNgPerDay = 0;
            _increases7d = 0;
            _increase7dNgPerDay = 0;
            _exceeded = 0;
            _hardRefusal = null;
            if (!HasEntry) return;
            if (_entry.MaxConcNgPerMl != DrugLibrary.NotLimited && program.ConcNgPerMl > _entry.MaxConcNgPerMl)
            {
                _hardRefusal = Exceeds("conc_ug_ml=", program.ConcNgPerMl, " max_conc_ug_ml=", _entry.MaxConcNgPerMl);
                return;
            }
            long worst = program.WorstDayNg;
            if (_entry.MaxDailyNg != DrugLibrary.NotLimited && worst > _entry.MaxDailyNg)
            {
                _hardRefusal = Exceeds("worst_day_ug=", worst, " max_ug_day=", _entry.MaxDailyNg);
                return;
            }
            long baseline;
            if (active != null && active.DrugName == program.DrugName)
            {
                baseline = active.DailyNg;
                _hasBaseline = true;
            }
            else
            {
                _hasBaseline = _history.TryLastDaily(_drugKey, nowMicros, out baseline);
            }
            int increases;
            long sum;
            _history.IncreasesIn7Days(_drugKey, nowMicros, out increases, out sum);
            _increases7d = increases;
            _increase7dNgPerDay = sum;
            if (!_hasBaseline || _dailyNg <= baseline) return;
            _increaseNgPerDay = _dailyNg - baseline;
            _increases7d++;
            _increase7dNgPerDay += _increaseNgPerDay;
            if (_entry.MaxStepNgPerDay != DrugLibrary.NotLimited && _increaseNgPerDay > _entry.MaxStepNgPerDay) _exceeded |= LimitStep;
            if (_entry.MaxIncreases7d != DrugLibrary.NotLimited && _increases7d > _entry.MaxIncreases7d) _exceeded |= LimitIncreases;
            if (_entry.MaxIncrease7dNgPerDay != DrugLibrary.NotLimited && _increase7dNgPerDay > _entry.MaxIncrease7dNgPerDay) _exceeded |= LimitTotal;
        }

        /// <summary>The ERR 422 text for the last evaluation: a hard limit always, the first titration limit exceeded
        /// unless <paramref name="overrideTitration"/>; null when the program may go ahead. Allocates only to refuse.</summary>
        public string Refusal(bool overrideTitration)
        {
            if (!_evaluated) return null;
            if (_hardRefusal != null) return _hardRefusal;
            if (overrideTitration || _exceeded == 0) return null;
            int first = _exceeded & -_exceeded;
            return RefusalText(first);
        }

        /// <summary>The 422 text naming titration limit <paramref name="limit"/> and the values (allocates).</summary>
        public string RefusalText(int limit)
        {
            switch (limit)
            {
                case LimitStep:
                    return Exceeds("increase_ug_day=", _increaseNgPerDay, " max_step_ug_day=", _entry.MaxStepNgPerDay);
                case LimitIncreases:
                    return "increases_7d=" + Fixed3.FormatInteger(_increases7d) + " exceeds max_increases_7d="
                        + Fixed3.FormatInteger(_entry.MaxIncreases7d) + " drug=" + _entry.DrugName;
                default:
                    return Exceeds("increase_7d_ug_day=", _increase7dNgPerDay, " max_increase_7d_ug_day=", _entry.MaxIncrease7dNgPerDay);
            }
        }

        /// <summary>The value the program reaches against titration limit <paramref name="limit"/> (ng/day, or a count).</summary>
        public long ValueOf(int limit)
        {
            if (limit == LimitStep) return _increaseNgPerDay;
            if (limit == LimitIncreases) return _increases7d;
            return _increase7dNgPerDay;
        }

        /// <summary>Titration limit <paramref name="limit"/> of the entry (ng/day, or a count).</summary>
        public long LimitOf(int limit)
        {
            if (limit == LimitStep) return _entry.MaxStepNgPerDay;
            if (limit == LimitIncreases) return _entry.MaxIncreases7d;
            return _entry.MaxIncrease7dNgPerDay;
        }

        /// <summary>After the evaluated program was committed at <paramref name="nowMicros"/>: records it when its entry
        /// limits titration (with its rise, if any). Call only after a successful commit of that program.</summary>
        /// <returns>true when the history changed (it is persisted state).</returns>
        public bool RecordCommit(long nowMicros, long unixSeconds)
        {
            if (!_evaluated || !HasEntry || !_entry.HasTitrationLimit) return false;
            _history.Add(nowMicros, unixSeconds, _drugKey, _dailyNg, _increaseNgPerDay);
            _evaluated = false;
            return true;
        }

        private string Exceeds(string valueKey, long value, string limitKey, long limit)
        {
            return valueKey + Fixed3.Format(value) + " exceeds" + limitKey + Fixed3.Format(limit) + " drug=" + _entry.DrugName;
        }
    }
}
