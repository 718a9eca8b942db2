// Granted patient boluses, for the lockout (from the previous granted start) and the count in
// any rolling 24 h. A fixed ring of start times: the count per day is at most
// Prescription.MaxPtmPerDay, so older entries can never matter. Survives resets.
using PumpFirmware.Storage;

namespace PumpFirmware.Dosing
{
    /// <summary>Start times of granted PTM boluses (device timeline µs), newest first on query.</summary>
    public sealed class PtmHistory
    {
        /// <summary>Entries kept.</summary>
        public const int Capacity = Prescription.MaxPtmPerDay;

        /// <summary>24 h in µs.</summary>
        public const long DayMicros = 86400000000L;

        private readonly long[] _startMicros = new long[Capacity];
        private int _count;
        private int _newest = -1;

        // The ring changes only at a grant, a clear or a load, yet is up to 801 bytes of the image: the storage journal's
        // diff pass steps over them while nothing changed (SaveSkip; every method that changes what Save writes bumps
        // this count).
        private int _changes;
        private readonly SaveSkip _saveSkip = new SaveSkip();

        /// <summary>Number of grants remembered (at most <see cref="Capacity"/>).</summary>
        public int Count { get { return _count; } }

        /// <summary>Start of the most recent grant, or long.MinValue if none.</summary>
        public long LastStartMicros { get { return _count == 0 ? long.MinValue : _startMicros[_newest]; } }

        /// <summary>Records a grant at <paramref name="startMicros"/>.</summary>
        public void Add(long startMicros)
        {
            _newest = (_newest + 1) % Capacity;
            _startMicros[_newest] = startMicros;
            if (_count < Capacity) _count++;
            _changes++;
        }

        /// <summary>The <paramref name="index"/>-th most recent grant (0 = newest).</summary>
        public long StartAt(int index)
        {
            return _startMicros[(_newest - index + Capacity) % Capacity];
        }

        /// <summary>Grants whose start lies in (now - 24 h, now].</summary>
        public int CountInDay(long nowMicros)
        {
            int n = 0;
            for (int i = 0; i < _count; i++)
            {
                if (StartAt(i) > nowMicros - DayMicros) n++;
                else break;
            }
            return n;
        }

        /// <summary>When the count in the rolling day drops below <paramref name="maxPerDay"/> again: the start of the
        /// maxPerDay-th newest grant plus 24 h; long.MinValue if it already is below.</summary>
        public long CountFreesAtMicros(long nowMicros, int maxPerDay)
        {
            if (maxPerDay <= 0 || CountInDay(nowMicros) < maxPerDay) return long.MinValue;
            return StartAt(maxPerDay - 1) + DayMicros;
        }

        /// <summary>Forgets every grant.</summary>
        public void Clear()
        {
            _count = 0;
            _newest = -1;
            _changes++;
        }

        /// <summary>Writes the ring, oldest first.</summary>
        public void Save(StateWriter writer)
        {
            if (_saveSkip.TrySkip(writer, _changes)) return;
            int start = writer.Position;
            writer.WriteByte(_count);
            int slot = _newest - (_count - 1);
            if (slot < 0) slot += Capacity;
            for (int i = 0; i < _count; i++)
            {
                writer.WriteLong(_startMicros[slot]);
                slot = slot == Capacity - 1 ? 0 : slot + 1;
            }
            _saveSkip.Wrote(writer, start, _changes);
        }

        /// <summary>Reads what <see cref="Save"/> wrote; false (history unchanged) on a bad record.</summary>
        public bool Load(StateReader reader)
        {
            int count = reader.ReadByte();
            if (count > Capacity)
            {
                reader.Fail();
                return false;
            }
            long[] starts = new long[count];
            bool ok = true;
            for (int i = 0; i < count; i++)
            {
                starts[i] = reader.ReadLong();
                if (i > 0 && starts[i] < starts[i - 1]) ok = false;
            }
            if (!ok || reader.Failed)
            {
                reader.Fail();
                return false;
            }
            Clear();
            for (int i = 0; i < count; i++) Add(starts[i]);
            return true;
        }
    }
}
