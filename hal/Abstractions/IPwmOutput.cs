// The alarm buzzer: a PWM channel whose frequency and duty the alarm sounder sets.
namespace PumpFirmware.Hal
{
    /// <summary>A PWM output (LEDC on the ESP32).</summary>
    public interface IPwmOutput
    {
        /// <summary>Starts or changes the output.</summary>
        /// <param name="frequencyHz">1 to 40000.</param>
        /// <param name="dutyPermille">0 to 1000; 0 is silent.</param>
        void Set(int frequencyHz, int dutyPermille);

        /// <summary>Stops the output (silent, low).</summary>
        void Stop();
    }
}
