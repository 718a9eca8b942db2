// A debounced input on a GPIO: occlusion switch, battery supervisor, driver fault line.
// The pin is sampled when IsAsserted is read (the main loop and the fault monitor read it
// often), and the level must hold for the debounce time before it counts.
using System.Device.Gpio;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IDigitalInput on an ESP32 GPIO with software debouncing.</summary>
    public sealed class Esp32GpioInput : IDigitalInput
    {
        private readonly GpioPin _pin;
        private readonly bool _activeLow;
        private readonly IMonotonicClock _clock;
        private readonly Debouncer _debouncer;
        private readonly object _lock = new object();

        /// <summary>Opens the pin as an input.</summary>
        /// <param name="controller">The board's GPIO controller.</param>
        /// <param name="gpio">GPIO number (see PinMap).</param>
        /// <param name="activeLow">True when a low level means "asserted".</param>
        /// <param name="internalPullUp">True to enable the internal pull-up (not available on GPIO34-39).</param>
        /// <param name="clock">Clock for the debounce time.</param>
        /// <param name="debounceMicros">How long a new level must hold, µs.</param>
        public Esp32GpioInput(GpioController controller, int gpio, bool activeLow, bool internalPullUp, IMonotonicClock clock, long debounceMicros)
        {
            _pin = controller.OpenPin(gpio, internalPullUp ? PinMode.InputPullUp : PinMode.Input);
            _activeLow = activeLow;
            _clock = clock;

            // Start from the level read now, so a quiet line does not raise a latched alarm at boot
            // (the motor is disabled at boot anyway, whatever the fault line says).
            bool high = _pin.Read() == PinValue.High;
            _debouncer = new Debouncer(debounceMicros, high != activeLow);
        }

        /// <inheritdoc />
        public bool IsAsserted
        {
            get
            {
                // The fault monitor thread and the main loop both read this.
                lock (_lock)
                {
                    bool high = _pin.Read() == PinValue.High;
                    return _debouncer.Update(high != _activeLow, _clock.NowMicros);
                }
            }
        }
    }
}
