// The alarm buzzer's PWM: an LEDC channel on the buzzer pin. The application (PumpApplication)
// chooses the tone and cadence for high- and low-priority alarms; this shell only routes the
// pin to LEDC and applies frequency and duty. The only floating point is the duty ratio that
// nanoFramework's PwmChannel takes, which never touches dosing.
//
// nanoFramework's ESP32 PWM keeps ONE isStarted flag for every channel (nf-interpreter
// sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp:57): any channel's Stop() clears it
// (:446-448), and while it is clear Frequency and DutyCycle only store the managed field (:299-305,
// :381-387). Start() configures timer and channel from the fields whatever the flag (:111-189).
// So this firmware never calls PwmChannel.Stop() (the buzzer's silence is duty 0, which would
// otherwise leave the DC head's or the LEDC step generator's later changes unapplied), and applies
// every change with Start() (PwmOutput.Apply).
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
            PwmOutput.Apply(_pwm, 2000, 0);
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

            PwmOutput.Apply(_pwm, frequencyHz, dutyPermille / 1000.0);
            _running = dutyPermille > 0;
        }

        /// <inheritdoc />
        public void Stop()
        {
            if (_running)
            {
                PwmOutput.Apply(_pwm, _pwm.Frequency, 0);
                _running = false;
            }
        }
    }
}
