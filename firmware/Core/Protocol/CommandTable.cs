// The protocol's commands in one table: the word, its arguments as the usage text shows them,
// and whether it needs a session. The dispatcher finds commands and checks auth here, the
// "wrong number of arguments" answers quote the usage from here, and HELP prints it, so what a
// person reads in HELP is what the firmware runs.
namespace PumpFirmware.Protocol
{
    /// <summary>Every command the firmware answers (the virtual device's SIM: commands are an extension).</summary>
    public static class CommandTable
    {
        /// <summary>Index of each command in the table.</summary>
        public const int Idn = 0, Status = 1, Time = 2, TimeQuery = 3, Auth = 4, Logout = 5, Pin = 6,
            ProgNew = 7, ProgLoad = 8, ProgDrug = 9, ProgLimit = 10, ProgStep = 11, ProgClearSteps = 12, ProgPtm = 13,
            ProgReservoir = 14, ProgCatheter = 15, ProgMinRate = 16, ProgReview = 17, ProgCommit = 18, ProgQuery = 19,
            Start = 20, Stop = 21, Bolus = 22, BolusCancel = 23, Ptm = 24, Prime = 25, Refill = 26, Cal = 27, CalQuery = 28,
            AlarmQuery = 29, AlarmAck = 30, Tel = 31, Log = 32, Crc = 33, Help = 34, Echo = 35, Caps = 36,
            LibQuery = 37, LibSet = 38, LibClear = 39,
            PressureQuery = 40, PressureLimit = 41, PressureCal = 42,
            RefillQuery = 43, RefillGap = 44, Hist = 45,
            BattQuery = 46, BattReplaced = 47;

        private static readonly string[] Names = new string[]
        {
            "*IDN?", "STATUS?", "TIME", "TIME?", "AUTH", "LOGOUT", "PIN",
            "PROG:NEW", "PROG:LOAD", "PROG:DRUG", "PROG:LIMIT", "PROG:STEP", "PROG:CLEARSTEPS", "PROG:PTM",
            "PROG:RESERVOIR", "PROG:CATHETER", "PROG:MINRATE", "PROG:REVIEW", "PROG:COMMIT", "PROG?",
            "START", "STOP", "BOLUS", "BOLUS:CANCEL", "PTM", "PRIME", "REFILL", "CAL", "CAL?",
            "ALARM?", "ALARM:ACK", "TEL", "LOG?", "CRC", "HELP", "ECHO",
            "CAPS?",
            "LIB?", "LIB:SET", "LIB:CLEAR",
            "PRESSURE?", "PRESSURE:LIMIT", "PRESSURE:CAL",
            "REFILL?", "REFILL:GAP", "HIST?",
            "BATT?", "BATT:REPLACED",
        };

        // The arguments as a usage line shows them; "" for none. One space between words, so a client can split.
        private static readonly string[] ArgumentTexts = new string[]
        {
            "", "", "<unix_s>", "", "<pin>", "", "<new>",
            "", "", "<name> <conc_ug_ml>", "<ug_day>", "<hh:mm> <ug_day>", "", "<dose_ug> <duration_min> <lockout_min> <max_per_day>|OFF",
            "<capacity_ul> <low_alarm_ul>", "<volume_ul>", "<ul_day>", "[OVERRIDE=TITRATION]", "<crc> [BRIDGE] [OVERRIDE=TITRATION]", "",
            "", "", "<dose_ug> <duration_min>", "", "", "<volume_ul>", "<volume_ul> [<residual_ul>]", "<steps_per_ml>", "",
            "", "<CODE>", "<period_s>", "<from_seq> <count>", "ON|OFF", "[<command>]", "ON|OFF",
            "",
            "[<drug>]", "drug=<name> [max_conc_ug_ml=<x>] [max_ug_day=<x>] [max_step_ug_day=<x>] [max_increases_7d=<n>] [max_increase_7d_ug_day=<x>]", "<drug>",
            "", "<mmhg>", "<zero_mv> <mv_per_mmhg>",
            "", "<gap_ul>", "<days>",
            "", "",
        };

        private static readonly bool[] Auths = new bool[]
        {
            false, false, true, false, false, true, true,
            true, true, true, true, true, true, true,
            true, true, true, true, true, false,
            true, true, true, true, false, true, true, true, false,
            false, false, false, false, false, false, false,
            false,
            false, true, true,
            false, true, true,
            false, true, false,
            false, true,
        };

        /// <summary>Number of commands.</summary>
        public static int Count { get { return Names.Length; } }

        /// <summary>The command word of command <paramref name="index"/>, upper case.</summary>
        public static string Name(int index)
        {
            return Names[index];
        }

        /// <summary>Its arguments as usage text (<c>&lt;dose_ug&gt; &lt;duration_min&gt;</c>), "" when it takes none.</summary>
        public static string Arguments(int index)
        {
            return ArgumentTexts[index];
        }

        /// <summary>True when it needs a session (AUTH) first.</summary>
        public static bool NeedsAuth(int index)
        {
            return Auths[index];
        }

        /// <summary>The command word followed by its arguments: <c>BOLUS &lt;dose_ug&gt; &lt;duration_min&gt;</c>
        /// (allocates: used on error and HELP paths only).</summary>
        public static string Usage(int index)
        {
            string arguments = ArgumentTexts[index];
            return arguments.Length == 0 ? Names[index] : Names[index] + " " + arguments;
        }

        /// <summary>Index of the command that word <paramref name="word"/> of <paramref name="request"/> names
        /// (case-insensitive), or -1.</summary>
        public static int Find(RequestLine request, int word)
        {
            if (word >= request.Count) return -1;
            for (int i = 0; i < Names.Length; i++)
            {
                if (request.Is(word, Names[i])) return i;
            }
            return -1;
        }
    }
}
