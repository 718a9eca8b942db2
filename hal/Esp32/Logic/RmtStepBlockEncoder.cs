// Why this exists: the ESP32's RMT peripheral replays a list of (duration, level) pairs with
// 1 µs resolution and no CPU involvement, which is how a block of STEP pulses gets exact
// counts and exact spacing while nanoFramework's own timers only resolve 10 ms. This class
// turns "n steps, one every I µs" into the RMT's native item words; it touches no silicon,
// so the host tests check every duration and count it produces.
//
// Item format (ESP-IDF rmt_item32_t, little-endian 32-bit word):
//   bits 0-14 duration0, bit 15 level0, bits 16-30 duration1, bit 31 level1.
// A duration of 0 ends the transmission early in the RMT hardware, so no item written here
// ever has a zero half: long low times are split into filler items whose halves are both >= 1.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Encodes a block of STEP pulses as RMT items, one tick per µs (clock divider 80).</summary>
    public sealed class RmtStepBlockEncoder
    {
        /// <summary>The longest half-item the RMT hardware holds (15 bits), in ticks (µs).</summary>
        public const int MaxTicksPerHalf = 32767;

        /// <summary>Bytes per RMT item word.</summary>
        public const int BytesPerItem = 4;

        private readonly int _pulseHighMicros;
        private readonly int _minLowMicros;

        /// <summary>Creates an encoder for one driver's timing.</summary>
        /// <param name="pulseHighMicros">STEP high time, µs, 1 to 32767 (A4988 needs 1, DRV8825 1.9: use several).</param>
        /// <param name="minLowMicros">Minimum STEP low time after a pulse, µs, 1 to 32767.</param>
        public RmtStepBlockEncoder(int pulseHighMicros, int minLowMicros)
        {
            if (pulseHighMicros < 1 || pulseHighMicros > MaxTicksPerHalf)
            {
                throw new System.ArgumentOutOfRangeException("pulseHighMicros");
            }

            if (minLowMicros < 1 || minLowMicros > MaxTicksPerHalf)
            {
                throw new System.ArgumentOutOfRangeException("minLowMicros");
            }

            _pulseHighMicros = pulseHighMicros;
            _minLowMicros = minLowMicros;
        }

        /// <summary>STEP high time, µs.</summary>
        public int PulseHighMicros
        {
            get { return _pulseHighMicros; }
        }

        /// <summary>The shortest step interval this encoder accepts, µs (high time plus minimum low time).</summary>
        public int MinIntervalMicros
        {
            get { return _pulseHighMicros + _minLowMicros; }
        }

        /// <summary>How long the block occupies the STEP line, µs: the last pulse is followed by the
        /// minimum low time only, so a block of one step is short whatever its interval.</summary>
        /// <returns>-1 when the arguments are out of range.</returns>
        public long BlockDurationMicros(int steps, int intervalMicros)
        {
            if (!IsValid(steps, intervalMicros))
            {
                return -1;
            }

            return ((long)(steps - 1) * intervalMicros) + _pulseHighMicros + _minLowMicros;
        }

        /// <summary>The number of RMT items <see cref="Encode"/> writes for this block.</summary>
        /// <returns>-1 when the arguments are out of range.</returns>
        public int ItemsFor(int steps, int intervalMicros)
        {
            if (!IsValid(steps, intervalMicros))
            {
                return -1;
            }

            long perStep = ItemsForLow(intervalMicros - _pulseHighMicros);
            long total = (perStep * (steps - 1)) + ItemsForLow(_minLowMicros);
            return total > int.MaxValue ? -1 : (int)total;
        }

        /// <summary>Writes the block's RMT items into <paramref name="items"/> (4 bytes per item).</summary>
        /// <param name="steps">1 or more.</param>
        /// <param name="intervalMicros">Time from one rising STEP edge to the next, at least <see cref="MinIntervalMicros"/>.</param>
        /// <param name="items">Destination; must hold <see cref="ItemsFor"/> × 4 bytes.</param>
        /// <returns>The number of items written, or -1 (nothing written) when an argument is out of
        /// range or the buffer is too small.</returns>
        public int Encode(int steps, int intervalMicros, byte[] items)
        {
            int count = ItemsFor(steps, intervalMicros);
            if (count < 0 || items == null || (long)count * BytesPerItem > items.Length)
            {
                return -1;
            }

            int index = 0;
            for (int step = 0; step < steps; step++)
            {
                int low = step == steps - 1 ? _minLowMicros : intervalMicros - _pulseHighMicros;
                index = WriteStep(items, index, low);
            }

            return index;
        }

        /// <summary>How many of a block's pulses have started <paramref name="elapsedMicros"/> after
        /// the block started: pulse k rises at k × interval.</summary>
        public static int StepsStartedBy(long elapsedMicros, int steps, int intervalMicros)
        {
            if (elapsedMicros < 0 || steps <= 0 || intervalMicros <= 0)
            {
                return 0;
            }

            long started = (elapsedMicros / intervalMicros) + 1;
            return started >= steps ? steps : (int)started;
        }

        /// <summary>How many of a block's steps are complete <paramref name="elapsedMicros"/> after
        /// the block started: step k is complete when its pulse and minimum low time are over
        /// (k × interval + high + min low), and the last one only after a further
        /// <paramref name="holdAfterLastMicros"/>, so that the driver is not switched off while the
        /// rotor is still moving to the last step.</summary>
        public int StepsCompletedBy(long elapsedMicros, int steps, int intervalMicros, int holdAfterLastMicros)
        {
            if (steps <= 0 || intervalMicros <= 0)
            {
                return 0;
            }

            long lastDone = ((long)(steps - 1) * intervalMicros) + _pulseHighMicros + _minLowMicros + holdAfterLastMicros;
            if (elapsedMicros >= lastDone)
            {
                return steps;
            }

            int done = StepsStartedBy(elapsedMicros - _pulseHighMicros - _minLowMicros, steps, intervalMicros);
            return done > steps - 1 ? steps - 1 : done;
        }

        private bool IsValid(int steps, int intervalMicros)
        {
            return steps >= 1 && intervalMicros >= MinIntervalMicros;
        }

        // One item carries the pulse and the first part of the low time; the rest goes into
        // filler items (low, low). The first part never leaves exactly 1 µs behind, because a
        // filler item needs both halves >= 1.
        private static int FirstLowPart(int low)
        {
            int first = low > MaxTicksPerHalf ? MaxTicksPerHalf : low;
            if (low - first == 1)
            {
                first--;
            }

            return first;
        }

        private static int FillerPart(int remaining)
        {
            int take = remaining > 2 * MaxTicksPerHalf ? 2 * MaxTicksPerHalf : remaining;
            if (remaining - take == 1)
            {
                take--;
            }

            return take;
        }

        private static long ItemsForLow(int low)
        {
            long items = 1;
            int remaining = low - FirstLowPart(low);
            while (remaining > 0)
            {
                remaining -= FillerPart(remaining);
                items++;
            }

            return items;
        }

        private int WriteStep(byte[] items, int index, int low)
        {
            int first = FirstLowPart(low);
            WriteItem(items, index++, _pulseHighMicros, true, first, false);
            int remaining = low - first;
            while (remaining > 0)
            {
                int take = FillerPart(remaining);
                int half0 = (take + 1) / 2;
                WriteItem(items, index++, half0, false, take - half0, false);
                remaining -= take;
            }

            return index;
        }

        private static void WriteItem(byte[] items, int index, int duration0, bool level0, int duration1, bool level1)
        {
            int offset = index * BytesPerItem;
            items[offset] = (byte)(duration0 & 0xFF);
            items[offset + 1] = (byte)(((duration0 >> 8) & 0x7F) | (level0 ? 0x80 : 0));
            items[offset + 2] = (byte)(duration1 & 0xFF);
            items[offset + 3] = (byte)(((duration1 >> 8) & 0x7F) | (level1 ? 0x80 : 0));
        }
    }
}
