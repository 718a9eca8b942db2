// One effect, as plain data. Instances live in the controller's fixed ring and are copied into
// a caller-owned instance when drained, so draining allocates nothing.
namespace PumpFirmware.Therapy
{
    /// <summary>Something the controller did; see <see cref="TherapyEventKind"/> for the fields' meaning.</summary>
    public sealed class TherapyEvent
    {
        /// <summary>BolusCancelled reason: BOLUS:CANCEL.</summary>
        public const long ReasonCancel = 1;

        /// <summary>BolusCancelled reason: STOP.</summary>
        public const long ReasonStop = 2;

        /// <summary>BolusCancelled reason: a stopping alarm.</summary>
        public const long ReasonAlarm = 3;

        /// <summary>BolusCancelled reason: a new program committed.</summary>
        public const long ReasonCommit = 4;

        /// <summary>BolusCancelled reason: a reset (power loss, watchdog) ended it.</summary>
        public const long ReasonReset = 5;

        /// <summary>What happened.</summary>
        public TherapyEventKind Kind;

        /// <summary>When, on the device timeline, µs.</summary>
        public long TimelineMicros;

        /// <summary>Kind-specific code (alarm bit, state, bolus kind, protocol code, CRC).</summary>
        public int Code;

        /// <summary>Kind-specific value.</summary>
        public long Value1;

        /// <summary>Kind-specific value.</summary>
        public long Value2;

        /// <summary>Copies every field of <paramref name="other"/> into this instance.</summary>
        public void CopyFrom(TherapyEvent other)
        {
            Kind = other.Kind;
            TimelineMicros = other.TimelineMicros;
            Code = other.Code;
            Value1 = other.Value1;
            Value2 = other.Value2;
        }
    }
}
