// How every LEDC user in this firmware changes its output, given nanoFramework's one isStarted
// flag for all PWM channels (nf-interpreter sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp:
// 57, set by any Start at :186, cleared by any Stop at :448; Frequency/DutyCycle are stored only,
// not applied, while it is clear: :299-305, :381-387). The fields are written, then Start()
// re-configures the LEDC timer and channel from them (ConfigureAndStart, :111-189), which takes
// effect whatever another channel did to the flag. Nobody calls Stop(): silence is duty 0.
using System.Device.Pwm;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>Applies a frequency and duty to a PwmChannel so that they really reach the pin.</summary>
    public static class PwmOutput
    {
        /// <summary>Sets the channel's fields and re-starts it from them.</summary>
        /// <param name="channel">The channel.</param>
        /// <param name="frequencyHz">Frequency, Hz (1 or more).</param>
        /// <param name="duty">Duty, 0.0 (constant low) to 1.0.</param>
        public static void Apply(PwmChannel channel, int frequencyHz, double duty)
        {
            channel.Frequency = frequencyHz;
            channel.DutyCycle = duty;
            channel.Start();
        }
    }
}
