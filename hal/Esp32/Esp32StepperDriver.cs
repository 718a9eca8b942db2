// The stepper driver's power stage: ENABLE (active low on A4988, DRV8825 and TMC2209) and DIR.
// Fail closed: the pin is driven to "disabled" before it becomes an output, the board has an
// external pull-up that keeps the driver disabled while the ESP32 is in reset, and Enable()
// refuses while the fault line is asserted.
using System.Device.Gpio;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IMotorDriver for a STEP/DIR driver's ENABLE pin (and its DIR pin, set forward once).</summary>
    public sealed class Esp32StepperDriver : IMotorDriver
    {
        private readonly GpioPin _enable;
        private readonly GpioPin _direction;
        private readonly IDigitalInput _fault;
        private bool _enabled;

        /// <summary>Opens the pins; the driver is disabled before this returns.</summary>
        /// <param name="controller">The board's GPIO controller.</param>
        /// <param name="enableGpio">ENABLE pin (active low).</param>
        /// <param name="directionGpio">DIR pin; driven to the forward level (low) for good.</param>
        /// <param name="fault">The driver's fault line, or null when the driver has none (A4988).</param>
        public Esp32StepperDriver(GpioController controller, int enableGpio, int directionGpio, IDigitalInput fault)
        {
            _enable = controller.OpenPin(enableGpio);
            _enable.Write(PinValue.High);
            _enable.SetPinMode(PinMode.Output);
            _enable.Write(PinValue.High);
            _direction = controller.OpenPin(directionGpio, PinMode.Output);
            _direction.Write(PinValue.Low);
            _fault = fault;
        }

        /// <inheritdoc />
        public bool IsEnabled
        {
            get { return _enabled; }
        }

        /// <inheritdoc />
        public void Enable()
        {
            if (_fault != null && _fault.IsAsserted)
            {
                Disable();
                return;
            }

            _enable.Write(PinValue.Low);
            _enabled = true;
        }

        /// <inheritdoc />
        public void Disable()
        {
            _enable.Write(PinValue.High);
            _enabled = false;
        }
    }
}
