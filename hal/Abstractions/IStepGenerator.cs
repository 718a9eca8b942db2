// Pulse generation lives in the HAL; planning lives in the core (Klipper's split). The core
// says how many steps are due now; the generator emits them as one block at a fixed interval
// (RMT on the ESP32), never with Thread.Sleep between steps.
namespace PumpFirmware.Hal
{
    /// <summary>Emits blocks of motor steps (STEP pulses, or encoder counts for a DC head).</summary>
    public interface IStepGenerator
    {
        /// <summary>Queues <paramref name="steps"/> forward steps, one every
        /// <paramref name="intervalMicros"/> µs, starting now. Non-blocking.</summary>
        /// <param name="steps">1 or more; at most <see cref="MaxBlockSteps"/>.</param>
        /// <param name="intervalMicros">At least the board's minimum step interval.</param>
        /// <returns>false if the block was refused (busy, or out of range); nothing was queued.</returns>
        bool TryIssue(int steps, int intervalMicros);

        /// <summary>Steps queued but not yet emitted.</summary>
        int PendingSteps { get; }

        /// <summary>The largest block <see cref="TryIssue"/> accepts.</summary>
        int MaxBlockSteps { get; }

        /// <summary>Drops every queued step at once (on a fault). Steps already emitted stay counted.</summary>
        void Abort();
    }
}
