// The seam for the storage journal (Storage/Journal, the virtual-device engineer's): the
// application says when persistent state changed and why; the hook decides when to write
// (e.g. every command at once, delivered steps at least every 1 µL) by calling
// PumpApplication.SaveState or saving components separately (Controller, Auth, Log).
namespace PumpFirmware.App
{
    /// <summary>Told whenever persistent state changed.</summary>
    public interface IPersistenceHook
    {
        /// <summary>Called after a request line or a poll that changed persistent state.</summary>
        /// <param name="app">The application (call <see cref="PumpApplication.SaveState"/> or save parts).</param>
        /// <param name="reasons">Bits of <see cref="PersistReasons"/>.</param>
        void OnStateChanged(PumpApplication app, int reasons);
    }
}
