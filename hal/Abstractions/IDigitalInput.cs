// One capability per interface (embedded-hal): fault, occlusion and battery are each one of
// these, with the active level and debouncing handled inside the adapter.
namespace PumpFirmware.Hal
{
    /// <summary>A debounced logic input, already converted to "asserted / not asserted".</summary>
    public interface IDigitalInput
    {
        /// <summary>True while the condition (occlusion, low battery, driver fault) is present.</summary>
        bool IsAsserted { get; }
    }
}
