// The alarm buzzer's PWM: an LEDC channel on the buzzer pin. The application (PumpApplication)
// chooses the tone and cadence for high- and low-priority alarms; this shell only routes the
// pin to LEDC and applies frequency and duty. The only floating point is the duty ratio that
// nanoFramework's PwmChannel takes, which never touches dosing.
using System.Device.Pwm;
using nanoFramework.Hardware.Esp32;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IPwmOutput on an ESP32 LEDC channel, silent at construction.</summary>
    public sealed class Esp32LedcPwmOutput : IPwmOutput
    {
        private readonly PwmChannel _pwm;
        private bool _running;

        /// <summary>Assigns the pin to LEDC and leaves it stopped.</summary>
        /// <param name="gpio">Output pin.</param>
        /// <param name="function">The PWM device function to route to the pin (PWM3 for the buzzer).</param>
        public Esp32LedcPwmOutput(int gpio, DeviceFunction function)
        {
            Configuration.SetPinFunction(gpio, function);
            _pwm = PwmChannel.CreateFromPin(gpio, 2000, 0);
            _pwm.Stop();
        }

        /// <inheritdoc />
        public void Set(int frequencyHz, int dutyPermille)
        {
            if (frequencyHz < 1 || frequencyHz > 40000)
            {
                throw new System.ArgumentOutOfRangeException("frequencyHz");
            }

            if (dutyPermille < 0 || dutyPermille > 1000)
            {
                throw new System.ArgumentOutOfRangeException("dutyPermille");
            }

            _pwm.Frequency = frequencyHz;
            _pwm.DutyCycle = dutyPermille / 1000.0;
            if (!_running)
            {
                _pwm.Start();
                _running = true;
            }
        }

        /// <inheritdoc />
        public void Stop()
        {
            _pwm.DutyCycle = 0;
            if (_running)
            {
                _pwm.Stop();
                _running = false;
            }
        }
    }
}
