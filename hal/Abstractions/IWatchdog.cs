namespace PumpFirmware.Hal
{
    /// <summary>Reboots the device (with the motor disabled) if not fed in time.</summary>
    public interface IWatchdog
    {
        /// <summary>Restarts the watchdog's timeout. Called once per main-loop pass.</summary>
        void Feed();
    }
}
