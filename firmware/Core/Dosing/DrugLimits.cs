// One drug library entry, as a mutable holder the library copies into (no allocation per
// lookup): the limits a program of that drug is checked against at PROG:REVIEW and PROG:COMMIT.
// DrugLibrary.NotLimited (-1) in a field means "not limited".
namespace PumpFirmware.Dosing
{
    /// <summary>The limits of one drug (docs/DRUG-LIBRARY.md). Quantities in ng (µg x 1000), as the core holds them.</summary>
    public sealed class DrugLimits
    {
        /// <summary>Largest count of increases in 7 days an entry may name.</summary>
        public const int MaxIncreasesPer7d = 100;

        /// <summary>An empty holder (no drug, nothing limited).</summary>
        public DrugLimits()
        {
            Set(null, DrugLibrary.SourceNone, DrugLibrary.NotLimited, DrugLibrary.NotLimited, DrugLibrary.NotLimited,
                (int)DrugLibrary.NotLimited, DrugLibrary.NotLimited);
        }

        /// <summary>The drug name the entry is for.</summary>
        public string DrugName { get; private set; }

        /// <summary><see cref="DrugLibrary.SourceNone"/>, <see cref="DrugLibrary.SourceDefault"/> (compiled in) or
        /// <see cref="DrugLibrary.SourcePump"/> (LIB:SET).</summary>
        public int Source { get; private set; }

        /// <summary>Largest concentration, ng/mL (<c>max_conc_ug_ml</c>), or NotLimited.</summary>
        public long MaxConcNgPerMl { get; private set; }

        /// <summary>Largest daily dose, ng over 24 h, checked against the program's <c>worst_day_ug</c>
        /// (<c>max_ug_day</c>), or NotLimited.</summary>
        public long MaxDailyNg { get; private set; }

        /// <summary>Largest increase of <c>daily_ug</c> in one change, ng/day (<c>max_step_ug_day</c>), or NotLimited.</summary>
        public long MaxStepNgPerDay { get; private set; }

        /// <summary>Most increases of <c>daily_ug</c> in any 7 days (<c>max_increases_7d</c>), or NotLimited.</summary>
        public int MaxIncreases7d { get; private set; }

        /// <summary>Largest sum of the increases of <c>daily_ug</c> in any 7 days, ng/day (<c>max_increase_7d_ug_day</c>),
        /// or NotLimited.</summary>
        public long MaxIncrease7dNgPerDay { get; private set; }

        /// <summary>True when the entry limits how the daily dose may rise (a step, count or total limit).</summary>
        public bool HasTitrationLimit
        {
            get
            {
                return MaxStepNgPerDay != DrugLibrary.NotLimited || MaxIncreases7d != DrugLibrary.NotLimited
                    || MaxIncrease7dNgPerDay != DrugLibrary.NotLimited;
            }
        }

        /// <summary>Sets every field.</summary>
        public void Set(string drugName, int source, long maxConcNgPerMl, long maxDailyNg, long maxStepNgPerDay,
            int maxIncreases7d, long maxIncrease7dNgPerDay)
        {
            DrugName = drugName;
            Source = source;
            MaxConcNgPerMl = maxConcNgPerMl;
            MaxDailyNg = maxDailyNg;
            MaxStepNgPerDay = maxStepNgPerDay;
            MaxIncreases7d = maxIncreases7d;
            MaxIncrease7dNgPerDay = maxIncrease7dNgPerDay;
        }
    }
}
