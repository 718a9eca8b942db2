// The rolling 24 h ceiling (docs/ARCHITECTURE.md). Drug is counted in one-minute buckets of
// femtograms, each step rounded up. A bucket counts until its END is 24 h old, so at any time
// the buckets of the current minute and the 1440 before it count: 1441 slots. Their sum is
// never less than the drug in any true rolling 24 h ending now, so checking sum + step <= limit
// before every step can never let a real window exceed the limit. Fixed memory, O(1) per step
// (expiry walks at most the minutes that passed, bounded by the slot count).
//
// Saving: the window is most of the state image (1441 x 8 bytes) but its buckets change one at a
// time. It remembers which slots changed since it last wrote itself into the storage journal's
// image (a diff pass, StateWriter.InDiffPass), and in the next pass over the same image writes
// only those and steps over the rest (StateWriter.SkipTo): the same bytes, without comparing
// 11 KiB per commit. Any doubt (another writer, a moved position, a broken pass sequence, more
// changes than it tracks, a Clear or Load) and it writes every slot, as before.
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

        // Largest current minute whose end, µs, fits in a long.
        private const long MaxMinuteEndable = long.MaxValue / BucketMicros - 1;

        private readonly long[] _bucketFemtograms = new long[Slots];
        private long _currentMinute = -1;
        private long _sumFemtograms;

        // Slots changed since the last diff pass recorded below (each listed once), or all of them.
        private const int MaxDirtySlots = 32;
        private readonly bool[] _dirty = new bool[Slots];
        private readonly int[] _dirtySlots = new int[MaxDirtySlots];
        private int _dirtyCount;
        private bool _allDirty = true;

        // The diff pass that last wrote the whole window's current values: its writer, pass number and position.
        private StateWriter _syncedWriter;
        private int _syncedPass;
        private int _syncedPosition = -1;

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
            Count(femtograms);
        }

        /// <summary>Counts <paramref name="femtograms"/> at <paramref name="nowMicros"/> when the window then holds at most
        /// <paramref name="limitFemtograms"/>: what <see cref="SumAt"/> followed by <see cref="Add"/> at the same time do
        /// when <paramref name="femtograms"/> ≤ limit − sum, with the window expired once (the step path).</summary>
        /// <returns>false (nothing counted; the window expired to <paramref name="nowMicros"/>) when it would exceed the limit.</returns>
        public bool TryAdd(long nowMicros, long femtograms, long limitFemtograms)
        {
            Expire(nowMicros);
            if (femtograms > limitFemtograms - _sumFemtograms) return false;
            Count(femtograms);
            return true;
        }

        // Counts in the current minute's bucket (after Expire).
        private void Count(long femtograms)
        {
            int slot = (int)(_currentMinute % Slots);
            _bucketFemtograms[slot] += femtograms;
            _sumFemtograms += femtograms;
            if (femtograms != 0) MarkDirty(slot);
        }

        /// <summary>Empties the window.</summary>
        public void Clear()
        {
            for (int i = 0; i < Slots; i++) _bucketFemtograms[i] = 0;
            _sumFemtograms = 0;
            _allDirty = true;
        }

        /// <summary>Drops buckets whose end is 24 h old at <paramref name="nowMicros"/>. Time never goes back here:
        /// an earlier time is treated as the current minute.</summary>
        public void Expire(long nowMicros)
        {
            // Within the current minute (every step but the first of a minute, and the second call of a step): what the
            // division below concludes, by a multiplication. Where (minute + 1) x 60 s would not fit in 63 bits, every
            // time is in the current minute or before it, and the division path concludes the same.
            if (_currentMinute >= 0 && _currentMinute < MaxMinuteEndable && nowMicros < (_currentMinute + 1) * BucketMicros) return;
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
                    long expired = _bucketFemtograms[slot];
                    if (expired == 0) continue;
                    _sumFemtograms -= expired;
                    _bucketFemtograms[slot] = 0;
                    MarkDirty(slot);
                }
            }
            _currentMinute = minute;
        }

        /// <summary>Writes the window (the current minute and the 1441 buckets in slot order).</summary>
        /// <remarks>In a storage journal's diff pass that continues the one this window last wrote (same writer, next
        /// pass, same position) only the slots changed since are written and the rest is stepped over: the image
        /// ends the same, byte for byte.</remarks>
        public void Save(StateWriter writer)
        {
            writer.WriteLong(_currentMinute);
            int start = writer.Position;
            int end = start + Slots * 8;
            bool continues = !_allDirty && writer == _syncedWriter && writer.DiffPass == _syncedPass + 1
                && start == _syncedPosition && writer.CanSkipTo(end);
            if (continues)
            {
                SortDirtySlots();
                for (int k = 0; k < _dirtyCount; k++)
                {
                    int slot = _dirtySlots[k];
                    writer.SkipTo(start + slot * 8);
                    writer.WriteLong(_bucketFemtograms[slot]);
                }
                writer.SkipTo(end);
            }
            else
            {
                writer.WriteLongs(_bucketFemtograms, 0, Slots);
            }
            if (writer.InDiffPass && !writer.Overflow)
            {
                // The writer's buffer now holds every slot's current value at start.
                _syncedWriter = writer;
                _syncedPass = writer.DiffPass;
                _syncedPosition = start;
                ClearDirty();
            }
        }

        private void MarkDirty(int slot)
        {
            if (_allDirty || _dirty[slot]) return;
            if (_dirtyCount == MaxDirtySlots)
            {
                _allDirty = true;
                return;
            }
            _dirty[slot] = true;
            _dirtySlots[_dirtyCount++] = slot;
        }

        private void ClearDirty()
        {
            for (int k = 0; k < _dirtyCount; k++) _dirty[_dirtySlots[k]] = false;
            _dirtyCount = 0;
            _allDirty = false;
        }

        // The diff records ranges in increasing position: write the slots in order (a few, insertion sort).
        private void SortDirtySlots()
        {
            for (int i = 1; i < _dirtyCount; i++)
            {
                int slot = _dirtySlots[i];
                int j = i - 1;
                while (j >= 0 && _dirtySlots[j] > slot)
                {
                    _dirtySlots[j + 1] = _dirtySlots[j];
                    j--;
                }
                _dirtySlots[j + 1] = slot;
            }
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
            _allDirty = true;
            return true;
        }
    }
}
