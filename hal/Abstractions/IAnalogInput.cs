// An analog input (battery voltage through a divider, a pressure sensor), one capability per
// interface like IDigitalInput. The adapter applies the ADC's own calibration, so the core sees
// millivolts at the pin and converts them with its own, documented, calibration.
namespace PumpFirmware.Hal
{
    /// <summary>The voltage at one ADC pin.</summary>
    public interface IAnalogInput
    {
        /// <summary>Reads the pin, mV (ADC calibration applied by the adapter).</summary>
        /// <returns>false when there is no valid reading (conversion failed, out of range): a rule must treat that as
        /// a fault, never as 0 mV.</returns>
        bool TryReadMillivolts(out int millivolts);
    }
}
