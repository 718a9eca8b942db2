// The three outcomes of parsing a protocol number. The protocol maps them to its error codes:
// Malformed is ERR 400, OutOfRange (well-formed but too large, however large) is ERR 422.
namespace PumpFirmware.Units
{
    /// <summary>Result of <see cref="Fixed3"/> parsing.</summary>
    public enum ParseStatus
    {
        /// <summary>Well-formed and within range; the out value is set.</summary>
        Ok = 0,

        /// <summary>Not of the form the protocol allows (ERR 400). The out value is 0.</summary>
        Malformed = 1,

        /// <summary>Well-formed but above the caller's maximum or beyond a long (ERR 422). The out value is 0.</summary>
        OutOfRange = 2,
    }
}
