// How long the ESP32 main loop sleeps after a Poll. nanoFramework's Thread.Sleep resolves to
// 10 ms ticks on the ESP32, so a sleep is only taken in whole ticks that end before the
// application's next wake time; what is left (less than a tick) is spent polling with a yield
// (Thread.Sleep(0)), so blocks of steps due a few ms apart are issued on time instead of a tick
// late (which would cap the step rate far below the board's maximum). The sleep is also capped
// at the input poll period (serial bytes, occlusion and battery are not in NextWakeMicros).
// Kept out of Program.cs so the rule is tested on the host.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>The main loop's sleep rule.</summary>
    public static class MainLoopTiming
    {
        /// <summary>nanoFramework's sleep resolution on the ESP32, µs.</summary>
        public const long SleepTickMicros = 10000;

        /// <summary>Milliseconds to sleep now; 0 means "yield and poll again".</summary>
        /// <param name="nowMicros">Clock now, µs.</param>
        /// <param name="nextWakeMicros">The application's next wake time on the same clock, µs
        /// (long.MaxValue when nothing is scheduled).</param>
        /// <param name="maxSleepMicros">The longest sleep allowed, µs (1 or more).</param>
        /// <returns>0, or a whole number of ticks in ms that ends no later than the wake time
        /// (and no later than the cap).</returns>
        public static int SleepMillis(long nowMicros, long nextWakeMicros, long maxSleepMicros)
        {
            if (nextWakeMicros <= nowMicros)
            {
                return 0;
            }

            long sleepMicros = nextWakeMicros - nowMicros;
            if (sleepMicros > maxSleepMicros)
            {
                sleepMicros = maxSleepMicros;
            }

            long ticks = sleepMicros / SleepTickMicros;
            return (int)(ticks * SleepTickMicros / 1000);
        }
    }
}
