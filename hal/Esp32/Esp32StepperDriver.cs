// The stepper driver's power stage: ENABLE (active low on A4988, DRV8825 and TMC2209) and DIR.
//
// Fail closed with nanoFramework's GPIO API as it really behaves (nf-interpreter, see
// hal/Esp32.NativeModel/ModelGpio.cs for the model and tests):
//  - a freshly opened pin is an input, and Write on an input throws
//    (sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp:303-314, CLR_E_INVALID_PARAMETER);
//  - switching a pin to ANY output mode drives it LOW first (GpioPin.cpp:261-263 ->
//    CPU_GPIO_EnableOutputPin(pin, GpioPinValue_Low, mode), cpu_gpio.cpp:467-486), so an
//    active-low ENABLE made an output is asserted - the driver runs - until managed code writes
//    High afterwards.
// So ENABLE is never driven high: it is released. The 10 kΩ pull-up to 3V3 (hardware/) makes it
// high while the pin is an input, from reset on; "disable" switches the pin back to an input
// (with the internal pull-up as a second, weaker pull), and "enable" switches it to an output,
// whose forced low is exactly the enabled level. The pin is an output only while the driver is
// meant to run. From reset to the first Poll the ENABLE line is therefore high throughout:
// reset and boot (pad high-impedance, R1 pulls high), OpenPin (reserves only), SetPinMode
// (InputPullUp: still high), Disable (InputPullUp again) - nothing drives it low before the
// application first calls Enable to issue steps.
// Because the released line is read back by the input buffer, SELFTEST reports what the line
// really is while disabled: a missing pull-up shows as "low" (the carriers pull EN down, which
// would let the driver run).
using System.Device.Gpio;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IMotorDriver for a STEP/DIR driver's ENABLE pin (and its DIR pin, set forward once).</summary>
    public sealed class Esp32StepperDriver : IMotorDriver
    {
        private readonly GpioPin _enable;
        private readonly GpioPin _direction;
        private readonly IDigitalInput _fault;
        private readonly object _lock = new object();
        private IStepOutputInterlock _interlock;
        private bool _enabled;

        /// <summary>Opens the pins; the driver is disabled (ENABLE released high) before this returns.</summary>
        /// <param name="controller">The board's GPIO controller.</param>
        /// <param name="enableGpio">ENABLE pin (active low, pulled up externally).</param>
        /// <param name="directionGpio">DIR pin; driven to the forward level (low) for good.</param>
        /// <param name="fault">The driver's fault line, or null when the driver has none (A4988).</param>
        public Esp32StepperDriver(GpioController controller, int enableGpio, int directionGpio, IDigitalInput fault)
        {
            _enable = controller.OpenPin(enableGpio, PinMode.InputPullUp);
            _direction = controller.OpenPin(directionGpio, PinMode.Output); // low = forward (see above: output starts low)
            _fault = fault;
        }

        /// <summary>Lets the step generator hold the driver off while pulses it no longer
        /// accounts for may still reach STEP (an aborted RMT block that runs to its end).</summary>
        public void SetInterlock(IStepOutputInterlock interlock)
        {
            _interlock = interlock;
        }

        /// <inheritdoc />
        public bool IsEnabled
        {
            get { return _enabled; }
        }

        /// <summary>The ENABLE line as read back now while the driver is disabled (true = high =
        /// disabled, as it must be); false while enabled (the pin is then an output and reads low).</summary>
        public bool EnableLineReadsHigh
        {
            get
            {
                lock (_lock)
                {
                    return !_enabled && _enable.Read() == PinValue.High;
                }
            }
        }

        /// <inheritdoc />
        public void Enable()
        {
            lock (_lock)
            {
                if ((_fault != null && _fault.IsAsserted) || (_interlock != null && !_interlock.IsOutputQuiet))
                {
                    ReleaseLocked();
                    return;
                }

                if (!_enabled)
                {
                    // Output mode drives the pad low: the enabled level (see the file header).
                    _enable.SetPinMode(PinMode.Output);
                    _enabled = true;
                }
            }
        }

        /// <inheritdoc />
        public void Disable()
        {
            lock (_lock)
            {
                ReleaseLocked();
            }
        }

        private void ReleaseLocked()
        {
            if (_enabled || _enable.GetPinMode() != PinMode.InputPullUp)
            {
                _enable.SetPinMode(PinMode.InputPullUp);
            }

            _enabled = false;
        }
    }
}
