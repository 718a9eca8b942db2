// The ESP32-DevKitC has no battery-backed clock, so the time spent switched off is unknown.
// IOffTimeClock's contract says to report that, and the application then counts the off-time
// as unknown, which keeps lockouts and the 24 h window conservative. A rig with the optional
// DS3231 module uses Esp32Ds3231OffTimeClock instead (DeviceConfig.HasRtc; hardware/README.md).
namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IOffTimeClock for a board without a battery-backed clock: always "unknown".</summary>
    public sealed class Esp32NoOffTimeClock : IOffTimeClock
    {
        /// <inheritdoc />
        public bool TryReadSeconds(out long seconds)
        {
            seconds = 0;
            return false;
        }
    }
}
