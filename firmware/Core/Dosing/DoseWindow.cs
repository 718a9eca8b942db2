// The rolling 24 h ceiling (docs/ARCHITECTURE.md). Drug is counted in one-minute buckets of
// femtograms, each step rounded up. A bucket counts until its END is 24 h old, so at any time
// the buckets of the current minute and the 1440 before it count: 1441 slots. Their sum is
// never less than the drug in any true rolling 24 h ending now, so checking sum + step <= limit
// before every step can never let a real window exceed the limit. Fixed memory, O(1) per step
// (expiry walks at most the minutes that passed, bounded by the slot count).
using PumpFirmware.Storage;

namespace PumpFirmware.Dosing
{
    /// <summary>Drug delivered in the rolling 24 h, in one-minute buckets of fg.</summary>
    public sealed class DoseWindow
    {
        /// <summary>One-minute buckets kept: the current minute and the 1440 before it.</summary>
        public const int Slots = 1441;

        /// <summary>µs per bucket.</summary>
        public const long BucketMicros = 60000000L;

        private readonly long[] _bucketFemtograms = new long[Slots];
        private long _currentMinute = -1;
        private long _sumFemtograms;

        /// <summary>The sum of the buckets as of the last call, fg.</summary>
        public long SumFemtograms { get { return _sumFemtograms; } }

        /// <summary>Drug counted in the window at <paramref name="nowMicros"/>, fg.</summary>
        public long SumAt(long nowMicros)
        {
            Expire(nowMicros);
            return _sumFemtograms;
        }

        /// <summary>Counts <paramref name="femtograms"/> at <paramref name="nowMicros"/>.</summary>
        public void Add(long nowMicros, long femtograms)
        {
            Expire(nowMicros);
            _bucketFemtograms[(int)(_currentMinute % Slots)] += femtograms;
            _sumFemtograms += femtograms;
        }

        /// <summary>Empties the window.</summary>
        public void Clear()
        {
            for (int i = 0; i < Slots; i++) _bucketFemtograms[i] = 0;
            _sumFemtograms = 0;
        }

        /// <summary>Drops buckets whose end is 24 h old at <paramref name="nowMicros"/>. Time never goes back here:
        /// an earlier time is treated as the current minute.</summary>
        public void Expire(long nowMicros)
        {
            long minute = nowMicros < 0 ? 0 : nowMicros / BucketMicros;
            if (minute <= _currentMinute) return;
            if (_currentMinute < 0 || minute - _currentMinute >= Slots)
            {
                Clear();
            }
            else
            {
                // Slot of minute m held minute m - 1441, whose end is more than 24 h before minute m.
                for (long m = _currentMinute + 1; m <= minute; m++)
                {
                    int slot = (int)(m % Slots);
                    _sumFemtograms -= _bucketFemtograms[slot];
                    _bucketFemtograms[slot] = 0;
                }
            }
            _currentMinute = minute;
        }

        /// <summary>Writes the window (the current minute and the 1441 buckets in slot order).</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteLong(_currentMinute);
            for (int i = 0; i < Slots; i++) writer.WriteLong(_bucketFemtograms[i]);
        }

        /// <summary>Reads what <see cref="Save"/> wrote; false (window unchanged) on a bad record.</summary>
        public bool Load(StateReader reader)
        {
            long minute = reader.ReadLong();
            long[] buckets = new long[Slots];
            long sum = 0;
            bool ok = minute >= -1;
            for (int i = 0; i < Slots; i++)
            {
                buckets[i] = reader.ReadLong();
                if (buckets[i] < 0 || (minute < 0 && buckets[i] != 0)) ok = false;
                if (sum > long.MaxValue - buckets[i]) ok = false;
                else sum += buckets[i];
            }
            if (!ok || reader.Failed)
            {
                reader.Fail();
                return false;
            }
            for (int i = 0; i < Slots; i++) _bucketFemtograms[i] = buckets[i];
            _currentMinute = minute;
            _sumFemtograms = sum;
            return true;
        }
    }
}
