// The protocol's words for the core's enums, in one place (enum ToString is not reliable on
// nanoFramework, and the wire words are part of the contract).
using PumpFirmware.Hal;
using PumpFirmware.Therapy;

namespace PumpFirmware.Protocol
{
    /// <summary>Wire names of states, bolus kinds and reset causes.</summary>
    public static class Names
    {
        /// <summary>STOPPED, RUNNING, SUSPENDED or ALARM.</summary>
        public static string State(TherapyState state)
        {
            switch (state)
            {
                case TherapyState.Stopped: return "STOPPED";
                case TherapyState.Running: return "RUNNING";
                case TherapyState.Suspended: return "SUSPENDED";
                case TherapyState.Alarm: return "ALARM";
                default: return "UNKNOWN";
            }
        }

        /// <summary>NONE, CLINICIAN, PTM, PRIME or BRIDGE.</summary>
        public static string Bolus(BolusKind kind)
        {
            switch (kind)
            {
                case BolusKind.None: return "NONE";
                case BolusKind.Clinician: return "CLINICIAN";
                case BolusKind.Ptm: return "PTM";
                case BolusKind.Prime: return "PRIME";
                case BolusKind.Bridge: return "BRIDGE";
                default: return "UNKNOWN";
            }
        }

        /// <summary>POWER, WATCHDOG or SOFTWARE.</summary>
        public static string Reset(ResetCause cause)
        {
            switch (cause)
            {
                case ResetCause.Power: return "POWER";
                case ResetCause.Watchdog: return "WATCHDOG";
                case ResetCause.Software: return "SOFTWARE";
                default: return "UNKNOWN";
            }
        }

        /// <summary>Why a bolus ended, for BOLUS_END log records (0 = delivered in full).</summary>
        public static string BolusEndReason(long reason)
        {
            switch ((int)reason)
            {
                case 0: return "DONE";
                case 1: return "CANCEL";
                case 2: return "STOP";
                case 3: return "ALARM";
                case 4: return "COMMIT";
                case 5: return "RESET";
                default: return "UNKNOWN";
            }
        }
    }
}
