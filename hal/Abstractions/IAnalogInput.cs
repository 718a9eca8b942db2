// An analog input pin read as a voltage (battery rail through a divider, a pressure sensor).
// The adapter applies the ADC's calibration, so the core deals in millivolts at the pin only.
namespace PumpFirmware.Hal
{
    /// <summary>One analog input, read in millivolts at the pin (ADC calibration applied by the adapter).</summary>
    public interface IAnalogInput
    {
        /// <summary>Reads the pin's voltage now.</summary>
        /// <param name="millivolts">The voltage at the pin, mV (0 when the read failed).</param>
        /// <returns>false when there is no reading (ADC fault, channel not open): a rule must treat that as a fault,
        /// never as 0 mV.</returns>
        bool TryReadMillivolts(out int millivolts);
    }
}
