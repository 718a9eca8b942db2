// The four states of PROTOCOL.md, in its words.
namespace PumpFirmware.Therapy
{
    /// <summary>Therapy state (STATUS? <c>state=</c>).</summary>
    public enum TherapyState
    {
        /// <summary>Nothing delivered except a prime. The state of a fresh pump.</summary>
        Stopped = 0,

        /// <summary>The program's schedule is delivered, plus any bolus.</summary>
        Running = 1,

        /// <summary>Only the minimum rate is delivered (after STOP, or after a stopping alarm cleared).</summary>
        Suspended = 2,

        /// <summary>A stopping alarm is active; nothing is delivered.</summary>
        Alarm = 3,
    }
}
