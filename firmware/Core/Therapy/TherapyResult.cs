// The answer to a therapy command: the protocol's code and a text that names the limit and the
// value, plus the few numbers some answers carry. Commands are rare (a human typed them), so a
// result may allocate; the per-step path (Advance) never creates one.
namespace PumpFirmware.Therapy
{
    /// <summary>Outcome of a <see cref="TherapyController"/> command.</summary>
    public sealed class TherapyResult
    {
        private static readonly TherapyResult OkInstance = new TherapyResult(0, null);

        /// <summary>Creates a result with <paramref name="code"/> (0 = OK) and a detail text.</summary>
        public TherapyResult(int code, string detail)
        {
            Code = code;
            Detail = detail;
        }

        /// <summary>0 for OK, else the protocol error code: 409, 422, 423 or 500.</summary>
        public int Code { get; private set; }

        /// <summary>For errors: the text after the code (e.g. "worst_day_ug=1234.000 exceeds limit_ug_day=1000.000");
        /// null for OK.</summary>
        public string Detail { get; private set; }

        /// <summary>True when <see cref="Code"/> is 0.</summary>
        public bool IsOk { get { return Code == 0; } }

        /// <summary>PTM granted: the dose, ng. Otherwise 0.</summary>
        public long DoseNg { get; internal set; }

        /// <summary>PTM granted: seconds until the next PTM can be granted (lockout and daily count). Otherwise 0.</summary>
        public long NextAllowedSeconds { get; internal set; }

        /// <summary>PTM refused by lockout or count (423): seconds until it would be allowed, rounded up. Otherwise 0.</summary>
        public long RemainingSeconds { get; internal set; }

        /// <summary>The shared OK result without values (do not modify it).</summary>
        public static TherapyResult Ok { get { return OkInstance; } }

        /// <summary>An error result.</summary>
        public static TherapyResult Error(int code, string detail)
        {
            return new TherapyResult(code, detail);
        }
    }
}
