// The record types of the event log and the name each has on the wire (`type=` in !LOG
// lines). Numbers are stored in snapshots: never renumber, only add.
// What `code`, `a` and `b` mean per type is documented in docs/PROTOCOL-GUIDE.md ("The log").
namespace PumpFirmware.Log
{
    /// <summary>Event log record types (stored as bytes; append new ones at the end).</summary>
    public static class EventLogTypes
    {
        /// <summary>A placeholder for a record that was never persisted (its seq is kept, its content lost).</summary>
        public const int Lost = 0;

        /// <summary>The pump started. code = reset cause, a = state, b = steps lost at the power loss.</summary>
        public const int Boot = 1;
        /// <summary>Therapy state changed. code = new state, a = previous state.</summary>
        public const int State = 2;
        /// <summary>A program was committed. code = 1 with BRIDGE, a = new crc, b = previous crc or -1.</summary>
        public const int Program = 3;
        /// <summary>REFILL. a = new reservoir nL, b = previous reservoir nL.</summary>
        public const int Refill = 4;
        /// <summary>CAL. a = new steps/mL, b = previous steps/mL.</summary>
        public const int Calibration = 5;
        /// <summary>TIME. a = new unix s, b = previous unix s (0 = was not set).</summary>
        public const int Time = 6;
        /// <summary>PIN changed (the PIN itself is never logged).</summary>
        public const int Pin = 7;
        /// <summary>A bolus started. code = kind, a = dose ng (clinician, PTM) or volume nL (prime, bridge), b = duration µs.</summary>
        public const int BolusStart = 8;
        /// <summary>A bolus ended. code = kind, a = reason (0 done, 1 cancel, 2 stop, 3 alarm, 4 commit, 5 reset).</summary>
        public const int BolusEnd = 9;
        /// <summary>A PTM request. code = 0 granted (a = dose ng, b = next_allowed_s), 1 refused 409 (state, off, bolus running), 2 refused 423 (b = remaining_s, 0 for the daily count or limit).</summary>
        public const int Ptm = 10;
        /// <summary>An alarm changed. code = alarm bit, a = 1 raised, 0 cleared, 2 acknowledged; b = steps held back (DOSE_LIMIT cleared).</summary>
        public const int Alarm = 11;
        /// <summary>AUTH failed. code = 0 wrong PIN (a = attempts left), 1 locked (a = seconds of lock left).</summary>
        public const int AuthFail = 12;
        /// <summary>A refill check (REFILL with a measured residual). code = 1 if it raised REFILL_GAP, a = expected
        /// residual nL (the reservoir before the refill), b = measured residual nL; the gap is b - a.</summary>
        public const int RefillCheck = 13;
        /// <summary>REFILL:GAP. a = new threshold nL, b = previous threshold nL.</summary>
        public const int RefillGap = 14;
        /// <summary>A commit went past a titration limit with OVERRIDE=TITRATION (one record per limit). code = the limit
        /// (TitrationGuard.LimitStep 1, LimitIncreases 2, LimitTotal 4), a = the value (ng/day, or the count), b = the limit.
        /// Numbered apart from 13.. so that rules added beside it in the same release keep their own numbers.</summary>
        public const int TitrationOverride = 20;
        /// <summary>A per-pump drug library entry changed. code = 0 LIB:SET, 1 LIB:CLEAR; a = per-pump entries after it,
        /// b = CRC-16 of the drug name (the log holds numbers only; LIB? shows each entry's drug_crc).</summary>
        public const int Library = 21;
        /// <summary>Battery (numbered apart, like 20 and 21, so that rules of the same release keep their numbers). code = 0 replaced (BATT:REPLACED); a = charge the old cell had used, µAh; b = replacements so far.</summary>
        public const int Battery = 25;

        /// <summary>The wire name of a type (<c>type=</c>), or <c>UNKNOWN</c>.</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case Lost: return "LOST";
                case Boot: return "BOOT";
                case State: return "STATE";
                case Program: return "PROGRAM";
                case Refill: return "REFILL";
                case Calibration: return "CAL";
                case Time: return "TIME";
                case Pin: return "PIN";
                case BolusStart: return "BOLUS";
                case BolusEnd: return "BOLUS_END";
                case Ptm: return "PTM";
                case Alarm: return "ALARM";
                case AuthFail: return "AUTH_FAIL";
                case RefillCheck: return "REFILL_CHECK";
                case RefillGap: return "REFILL_GAP_SET";
                case TitrationOverride: return "TITRATION_OVERRIDE";
                case Library: return "LIBRARY";
                case Battery: return "BATTERY";
                default: return "UNKNOWN";
            }
        }
    }
}
