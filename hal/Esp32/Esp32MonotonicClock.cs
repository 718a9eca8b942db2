// The ESP32's 64-bit µs timer (esp_timer) through nanoFramework's HighResTimer.GetCurrent:
// µs since boot, never wrapping in practice (2^63 µs is about 292,000 years).
using nanoFramework.Hardware.Esp32;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IMonotonicClock on the ESP32's µs timer.</summary>
    public sealed class Esp32MonotonicClock : IMonotonicClock
    {
        /// <inheritdoc />
        public long NowMicros
        {
            get { return (long)HighResTimer.GetCurrent(); }
        }
    }
}
