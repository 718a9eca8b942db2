// What this firmware adds to protocol version 1, for clients that must work with older firmware
// too: `CAPS?` answers `OK caps=WORD,WORD,...` from this table. Version 1 itself never changes
// (PROTOCOL.md); a feature added to it later (a command, an optional argument, a query) adds its
// word here in the same change, so a client asks once instead of probing with commands that an
// older pump would answer ERR 400.
namespace PumpFirmware.Protocol
{
    /// <summary>The capability words of this firmware, in the order CAPS? lists them.</summary>
    public static class Capabilities
    {
        private static readonly string[] Words = new string[]
        {
            "HELP",   // HELP lists the command table (one !HELP line per command)
            "ECHO",   // ECHO ON|OFF: echo and CR LF replies for a person at a terminal
            "CAPS",   // this query
            "DRUG_LIBRARY",      // LIB?, LIB:SET, LIB:CLEAR (docs/DRUG-LIBRARY.md)
            "TITRATION_GUARD",   // PROG:REVIEW/PROG:COMMIT check the library and the 7-day rises; OVERRIDE=TITRATION
            "PRESSURE", // PRESSURE?, PRESSURE:LIMIT, PRESSURE:CAL; pressure_mmhg on STATUS? and !TEL where a sensor is fitted
            "REFILL_CHECK",   // REFILL <volume_ul> [<residual_ul>], REFILL?, REFILL:GAP, the REFILL_GAP alarm
            "HIST",   // HIST? <days>: drug delivered per day, by kind
            "BATTERY", // BATT? and BATT:REPLACED; the ERI and EOS alarms (docs/PROTOCOL.md "Battery")
        };

        /// <summary>Number of words.</summary>
        public static int Count { get { return Words.Length; } }

        /// <summary>Word <paramref name="index"/>: upper case, letters, digits and '_' only.</summary>
        public static string Word(int index)
        {
            return Words[index];
        }

        /// <summary>True when <paramref name="word"/> is one of them (exact, upper case).</summary>
        public static bool Has(string word)
        {
            for (int i = 0; i < Words.Length; i++)
            {
                if (Words[i] == word) return true;
            }
            return false;
        }
    }
}
