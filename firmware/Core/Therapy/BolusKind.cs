// What runs on top of (or, for a bridge, instead of) the basal rate. One at a time.
namespace PumpFirmware.Therapy
{
    /// <summary>The bolus in progress (STATUS? <c>bolus=</c>).</summary>
    public enum BolusKind
    {
        /// <summary>No bolus.</summary>
        None = 0,

        /// <summary>A clinician bolus (BOLUS), on top of basal.</summary>
        Clinician = 1,

        /// <summary>A patient-activated bolus (PTM), on top of basal.</summary>
        Ptm = 2,

        /// <summary>A prime (PRIME), at the motor's maximum rate, in STOPPED only; outside the 24 h window.</summary>
        Prime = 3,

        /// <summary>A bridge after a concentration change: the old program's volume rate until catheter_ul is delivered.</summary>
        Bridge = 4,
    }
}
