// Facade of nanoFramework.Hardware.Esp32 1.6.40 (reference only).
namespace System.Device.Gpio
{
    public struct GpioPulseCount
    {
        public long Count;

        public TimeSpan RelativeTime;
    }
}
