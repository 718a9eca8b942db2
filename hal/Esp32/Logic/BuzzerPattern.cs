// Why this exists: the two alarm priorities must sound different enough to tell apart
// without looking (a fast 3+2 burst at a higher pitch versus a slow double beep at a lower
// one). The shape borrows the burst idea of IEC 60601-1-8; the timings here are this project's
// choice and have NOT been checked against that standard, so this is not a compliant medical
// alarm signal. Patterns are data: a table of (duration, frequency) segments, 0 Hz = silence,
// repeated for as long as the alarm stands.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>A repeating buzzer pattern: segments of a tone or silence.</summary>
    public sealed class BuzzerPattern
    {
        private readonly int[] _durationsMillis;
        private readonly int[] _frequenciesHz;
        private readonly long _cycleMillis;

        /// <summary>Creates a pattern. Both arrays have one entry per segment.</summary>
        /// <param name="durationsMillis">Segment lengths, ms, each 1 or more.</param>
        /// <param name="frequenciesHz">Segment tone, Hz (1 to 40000), or 0 for silence.</param>
        public BuzzerPattern(int[] durationsMillis, int[] frequenciesHz)
        {
            if (durationsMillis == null || frequenciesHz == null || durationsMillis.Length == 0 || durationsMillis.Length != frequenciesHz.Length)
            {
                throw new System.ArgumentException("one duration and one frequency per segment, at least one segment");
            }

            long cycle = 0;
            for (int i = 0; i < durationsMillis.Length; i++)
            {
                if (durationsMillis[i] < 1)
                {
                    throw new System.ArgumentOutOfRangeException("durationsMillis");
                }

                if (frequenciesHz[i] < 0 || frequenciesHz[i] > 40000)
                {
                    throw new System.ArgumentOutOfRangeException("frequenciesHz");
                }

                cycle += durationsMillis[i];
            }

            _durationsMillis = durationsMillis;
            _frequenciesHz = frequenciesHz;
            _cycleMillis = cycle;
        }

        /// <summary>Length of one repetition, ms.</summary>
        public long CycleMillis
        {
            get { return _cycleMillis; }
        }

        /// <summary>Number of segments.</summary>
        public int SegmentCount
        {
            get { return _durationsMillis.Length; }
        }

        /// <summary>Length of segment <paramref name="index"/>, ms.</summary>
        public int DurationMillisAt(int index)
        {
            return _durationsMillis[index];
        }

        /// <summary>Tone of segment <paramref name="index"/>, Hz (0 = silent).</summary>
        public int FrequencyHzAt(int index)
        {
            return _frequenciesHz[index];
        }

        /// <summary>Number of tone pulses in one repetition.</summary>
        public int PulsesPerCycle
        {
            get
            {
                int pulses = 0;
                for (int i = 0; i < _frequenciesHz.Length; i++)
                {
                    if (_frequenciesHz[i] > 0)
                    {
                        pulses++;
                    }
                }

                return pulses;
            }
        }

        /// <summary>Finds the segment playing <paramref name="elapsedMillis"/> after the pattern started.</summary>
        /// <param name="elapsedMillis">0 or more.</param>
        /// <param name="millisToNextChange">Time until that segment ends, ms (at least 1).</param>
        /// <returns>The tone to play now, Hz (0 = silent).</returns>
        public int FrequencyAt(long elapsedMillis, out long millisToNextChange)
        {
            long inCycle = elapsedMillis < 0 ? 0 : elapsedMillis % _cycleMillis;
            long start = 0;
            for (int i = 0; i < _durationsMillis.Length; i++)
            {
                long end = start + _durationsMillis[i];
                if (inCycle < end)
                {
                    millisToNextChange = end - inCycle;
                    return _frequenciesHz[i];
                }

                start = end;
            }

            millisToNextChange = 1;
            return 0;
        }
    }
}
