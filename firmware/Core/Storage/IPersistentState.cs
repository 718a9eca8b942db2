// The seam between the application and the storage layer: the application writes everything
// that survives a reset (but the event log) into one image; DurableState diffs successive
// images and journals only the bytes that changed.
namespace PumpFirmware.Storage
{
    /// <summary>State that is saved as one image and restored at boot.</summary>
    public interface IPersistentState
    {
        /// <summary>Writes the whole durable state. Must write the same bytes for the same state
        /// (no timestamps of "now"), so that an unchanged state produces an empty diff.</summary>
        void SaveState(StateWriter writer);

        /// <summary>Replaces the state with one written by <see cref="SaveState"/>.</summary>
        /// <returns>false (and the reader marked failed) when the image is malformed.</returns>
        bool LoadState(StateReader reader);
    }
}
