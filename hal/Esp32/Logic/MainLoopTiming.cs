// How long the ESP32 main loop sleeps after a Poll: until the application's next wake time,
// but never longer than the input poll period (serial bytes, occlusion and battery are not in
// NextWakeMicros), rounded up to whole ms for Thread.Sleep so the loop never wakes early and
// spins. Kept out of Program.cs so the rule is tested on the host.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>The main loop's sleep rule.</summary>
    public static class MainLoopTiming
    {
        /// <summary>Milliseconds to sleep now.</summary>
        /// <param name="nowMicros">Clock now, µs.</param>
        /// <param name="nextWakeMicros">The application's next wake time on the same clock, µs
        /// (long.MaxValue when nothing is scheduled).</param>
        /// <param name="maxSleepMicros">The longest sleep allowed, µs (1 or more).</param>
        /// <returns>0 when work is due, else 1 or more.</returns>
        public static int SleepMillis(long nowMicros, long nextWakeMicros, long maxSleepMicros)
        {
            long sleepMicros = nextWakeMicros - nowMicros;
            if (nextWakeMicros <= nowMicros || sleepMicros <= 0)
            {
                return 0;
            }

            if (sleepMicros > maxSleepMicros)
            {
                sleepMicros = maxSleepMicros;
            }

            return (int)((sleepMicros + 999) / 1000);
        }
    }
}
