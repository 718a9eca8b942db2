using System.Device.Gpio;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IDigitalOutput on an ESP32 GPIO, written to its inactive level at construction.</summary>
    public sealed class Esp32GpioOutput : IDigitalOutput
    {
        private readonly GpioPin _pin;
        private readonly bool _activeLow;

        /// <summary>Opens the pin as an output, inactive.</summary>
        public Esp32GpioOutput(GpioController controller, int gpio, bool activeLow)
        {
            _activeLow = activeLow;
            _pin = controller.OpenPin(gpio, PinMode.Output);
            Write(false);
        }

        /// <inheritdoc />
        public void Write(bool active)
        {
            _pin.Write(active != _activeLow ? PinValue.High : PinValue.Low);
        }
    }
}
