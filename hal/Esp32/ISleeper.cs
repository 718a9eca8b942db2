// How the bench self-test waits for the pulses it sent: Thread.Sleep on the board; the host tests
// give it the model's clock instead (virtual time only moves when a test moves it).
namespace PumpFirmware.Hal.Esp32
{
    /// <summary>Waits a while.</summary>
    public interface ISleeper
    {
        /// <summary>Returns after at least <paramref name="micros"/> µs.</summary>
        void SleepMicros(long micros);
    }

    /// <summary>ISleeper on nanoFramework's Thread.Sleep (10 ms resolution on the ESP32).</summary>
    public sealed class ThreadSleeper : ISleeper
    {
        /// <inheritdoc />
        public void SleepMicros(long micros)
        {
            System.Threading.Thread.Sleep((int)((micros + 999) / 1000));
        }
    }
}
