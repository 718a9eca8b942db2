// One analog pin (issue 18): the battery voltage and the catheter pressure sensor are each one
// of these. The adapter applies the ADC's calibration and any divider, so the core sees the
// voltage at the sensor in mV; converting it to a quantity is the rule's job.
namespace PumpFirmware.Hal
{
    /// <summary>An analog input read as a voltage.</summary>
    public interface IAnalogInput
    {
        /// <summary>Reads the pin's voltage, mV (ADC calibration applied by the adapter).</summary>
        /// <param name="millivolts">The voltage, mV; 0 when there is no reading.</param>
        /// <returns>False when there is no reading (ADC error, sensor unplugged): a rule must treat it as a fault, never as 0.</returns>
        bool TryReadMillivolts(out int millivolts);
    }
}
