// The seam for the storage journal (Storage/Journal, the virtual-device engineer's): the
// application says when persistent state must be made durable and why (it batches delivered
// steps itself, within the allowance of the last durable image: StepAllowance); the hook
// writes, by calling PumpApplication.SaveState or saving components separately, and says
// whether the write succeeded.
namespace PumpFirmware.App
{
    /// <summary>Told whenever persistent state changed.</summary>
    public interface IPersistenceHook
    {
        /// <summary>Called when the application wants its persistent state made durable now: after a request that
        /// changed it (before the status line is sent), after a poll that changed more than delivered steps, and
        /// before a step the last durable image does not allow for (the application batches steps itself).</summary>
        /// <param name="app">The application (call <see cref="PumpApplication.SaveState"/> or save parts).</param>
        /// <param name="reasons">Bits of <see cref="PersistReasons"/>.</param>
        /// <returns>true when the state is durable; false when a write failed (the application then raises CRITICAL,
        /// rolls back a request, and calls again later). Must not throw.</returns>
        bool OnStateChanged(PumpApplication app, int reasons);
    }
}
