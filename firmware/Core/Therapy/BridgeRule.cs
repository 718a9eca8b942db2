// A bridge pumps the old drug still in the catheter at the old program's volume rate, so that
// the patient gets the old dose until the new drug reaches the tip, and the 24 h window counts
// that volume at the old concentration. If anything but delivery could end it, the old drug
// left in the catheter would then be pumped at the new program's volume rate (four times the
// intended volume rate after a 4x dilution) and counted at the new concentration: real drug in
// the next 24 h could exceed the limit. So a bridge ends only when its volume is delivered
// (PROTOCOL.md "Decisions": BOLUS:CANCEL, STOP, a stopping alarm and a reset keep it), and a
// commit during a bridge either keeps it or is refused:
// - a program with the same drug and concentration as the active one changes nothing in the
//   catheter: the bridge runs on with its remaining volume at the old program's volume rate;
// - another drug or concentration would put a third drug behind the old one: ERR 409 bridge in
//   progress (commit again once the bridge has been delivered).
using PumpFirmware.Dosing;

namespace PumpFirmware.Therapy
{
    /// <summary>When a commit starts, keeps or is refused by a bridge.</summary>
    public static class BridgeRule
    {
        /// <summary>The refusal text of a commit that would change the drug or the concentration during a bridge.</summary>
        public const string InProgressText = "bridge in progress";

        /// <summary>Checks a commit of <paramref name="incoming"/> while <paramref name="active"/> is the active program.
        /// Runs before the program's own validation (409 comes before 422).</summary>
        /// <param name="bridgeRunning">True while a bridge has volume left to deliver.</param>
        /// <param name="active">The active program (the new drug of the running bridge).</param>
        /// <param name="incoming">The program to commit.</param>
        /// <returns>null when the commit may go ahead, else the 409 text.</returns>
        public static string RefuseCommit(bool bridgeRunning, Prescription active, Prescription incoming)
        {
            if (!bridgeRunning) return null;
            if (SameDrug(active, incoming)) return null;
            return InProgressText;
        }

        /// <summary>True when a commit asked for with BRIDGE starts one: there is an active program whose concentration
        /// differs from the new one, the new program has a catheter volume, and no bridge is running (one that runs is
        /// kept, see <see cref="RefuseCommit"/>).</summary>
        public static bool Starts(bool asked, bool bridgeRunning, bool hasProgram, Prescription active, Prescription incoming)
        {
            return asked && !bridgeRunning && hasProgram
                && active.ConcNgPerMl != incoming.ConcNgPerMl && incoming.CatheterNl > 0;
        }

        /// <summary>Same drug name (exactly as written) and the same concentration.</summary>
        public static bool SameDrug(Prescription a, Prescription b)
        {
            return a.ConcNgPerMl == b.ConcNgPerMl && a.DrugName == b.DrugName;
        }
    }
}
