// The two patterns as a table. High: a 3+2 burst of 150 ms pulses at 2400 Hz every 2.5 s.
// Low: two 200 ms pulses at 1600 Hz every 15 s. Pitches sit in the range where small piezo
// transducers are loud; check the chosen buzzer's resonance on the bench (hardware/README.md).
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>The buzzer patterns for each alarm priority.</summary>
    public static class BuzzerPatterns
    {
        /// <summary>High-priority tone, Hz.</summary>
        public const int HighToneHz = 2400;

        /// <summary>Low-priority tone, Hz.</summary>
        public const int LowToneHz = 1600;

        /// <summary>Stopping alarms: 3 pulses, a gap, 2 pulses, then a pause; 2.5 s per cycle.</summary>
        public static readonly BuzzerPattern High = new BuzzerPattern(
            new int[] { 150, 100, 150, 100, 150, 300, 150, 100, 150, 1150 },
            new int[] { HighToneHz, 0, HighToneHz, 0, HighToneHz, 0, HighToneHz, 0, HighToneHz, 0 });

        /// <summary>Non-stopping alarms: 2 pulses then a long pause; 15 s per cycle.</summary>
        public static readonly BuzzerPattern Low = new BuzzerPattern(
            new int[] { 200, 200, 200, 14400 },
            new int[] { LowToneHz, 0, LowToneHz, 0 });

        /// <summary>The pattern for a priority; null for <see cref="AlarmPriority.None"/>.</summary>
        public static BuzzerPattern For(AlarmPriority priority)
        {
            if (priority == AlarmPriority.High)
            {
                return High;
            }

            if (priority == AlarmPriority.Low)
            {
                return Low;
            }

            return null;
        }
    }
}
