namespace PumpFirmware.Hal
{
    /// <summary>A logic output (a status LED, the driver's direction line).</summary>
    public interface IDigitalOutput
    {
        /// <summary>Drives the output to its active (true) or inactive (false) level.</summary>
        void Write(bool active);
    }
}
