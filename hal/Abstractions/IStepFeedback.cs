// Stall detection compares steps commanded with steps the mechanism confirms: an encoder on a
// DC head, the driver's diag/fault pin on a stepper. A stepper with no feedback reports what
// the generator emitted, which can only detect a driver fault, and says so in its docs.
namespace PumpFirmware.Hal
{
    /// <summary>Counts the steps the mechanism actually made.</summary>
    public interface IStepFeedback
    {
        /// <summary>Steps confirmed since boot. Never decreases.</summary>
        long ConfirmedSteps { get; }
    }
}
