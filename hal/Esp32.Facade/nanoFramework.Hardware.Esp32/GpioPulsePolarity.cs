// Facade of nanoFramework.Hardware.Esp32 1.6.40 (reference only).
namespace System.Device.Gpio
{
    public enum GpioPulsePolarity
    {
        Both,
        Falling,
        Rising,
    }
}
