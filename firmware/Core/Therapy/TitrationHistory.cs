// The committed daily doses the titration guard looks back on: one record per commit of a drug
// whose library entry limits titration, kept for 7 days. A fixed ring of Capacity records,
// persisted as state section 4 (docs/STORAGE.md).
//
// Time is the device timeline (µs; never backwards, counting off-time only as far as the
// battery-backed counter vouches for it, and not at all when it cannot), never the wall clock:
// TIME, a wall clock that was never set, or one that jumps cannot move a record's age, and
// off-time that cannot be vouched for counts as 0, so a record is kept longer, never shorter.
// The wall clock at the commit is stored beside it for people reading it, and decides nothing.
//
// The ring never forgets an increase early. When all records are younger than 7 days and one
// more is needed, a record that only served as a baseline (no increase, and a newer record of its
// drug exists) is dropped first; else the two oldest are merged into one that carries both
// increases, is as young as the younger of them (so it is counted for longer than either), and,
// when they were of different drugs, counts for every drug (AnyDrug): the checks then err on the
// side of refusing.
using PumpFirmware.Storage;

namespace PumpFirmware.Therapy
{
    /// <summary>Commits of titration-limited drugs in the last 7 days (device timeline), oldest first.</summary>
    public sealed class TitrationHistory : IStateSection
    {
        /// <summary>Records kept.</summary>
        public const int Capacity = 12;

        /// <summary>How long a record counts, µs (7 days).</summary>
        public const long WindowMicros = 7L * 86400000000L;

        /// <summary>State section tag (docs/STORAGE.md).</summary>
        public const int Tag = 4;

        /// <summary>The drug key of a merged record of two drugs: it counts for every drug.</summary>
        public const int AnyDrug = 0;

        /// <summary>Bytes <see cref="SaveSection"/> writes: version, count, then per record timeline µs, unix s, drug key,
        /// daily ng, increase ng/day and the number of increases it holds.</summary>
        public const int SectionLength = 2 + Capacity * (8 + 8 + 4 + 8 + 8 + 1);

        private const int SectionVersion = 1;
        private const long MaxSumNgPerDay = Capacity * Dosing.Prescription.MaxDoseNg;

        private readonly long[] _timelineMicros = new long[Capacity];
        private readonly long[] _unixSeconds = new long[Capacity];
        private readonly int[] _drugKey = new int[Capacity];
        private readonly long[] _dailyNg = new long[Capacity];
        private readonly long[] _increaseNgPerDay = new long[Capacity];
        private readonly int[] _increases = new int[Capacity];
        private int _count;

        // Bumped by every method that changes what SaveSection writes, so that the journal's pass can step over the
        // section while it has not changed (SaveSkip).
        private int _changes;
        private readonly SaveSkip _saveSkip = new SaveSkip();

        /// <summary>Records kept (expired ones included until the next <see cref="Add"/>).</summary>
        public int Count { get { return _count; } }

        /// <summary>Timeline µs of record <paramref name="index"/> (0 = oldest).</summary>
        public long TimelineMicrosAt(int index) { return _timelineMicros[index]; }

        /// <summary>Wall clock at record <paramref name="index"/>, unix s (0 = not set).</summary>
        public long UnixSecondsAt(int index) { return _unixSeconds[index]; }

        /// <summary>Drug key of record <paramref name="index"/> (<see cref="AnyDrug"/> for a merged record).</summary>
        public int DrugKeyAt(int index) { return _drugKey[index]; }

        /// <summary>Daily dose committed, ng (<c>daily_ug</c>).</summary>
        public long DailyNgAt(int index) { return _dailyNg[index]; }

        /// <summary>Increase of <c>daily_ug</c> the record holds, ng/day (0 for a commit that did not raise it).</summary>
        public long IncreaseNgPerDayAt(int index) { return _increaseNgPerDay[index]; }

        /// <summary>Number of increases the record holds (0, 1, or more after a merge).</summary>
        public int IncreasesAt(int index) { return _increases[index]; }

        /// <summary>The key of a drug name (FNV-1a, 32 bits, never <see cref="AnyDrug"/>). Two names with one key are
        /// counted together: the checks can then only refuse more.</summary>
        public static int DrugKey(string drugName)
        {
            uint h = 2166136261;
            if (drugName != null)
            {
                for (int i = 0; i < drugName.Length; i++)
                {
                    h ^= drugName[i];
                    h *= 16777619;
                }
            }
            int key = (int)h;
            return key == AnyDrug ? 1 : key;
        }

        /// <summary>True when record <paramref name="index"/> still counts at <paramref name="nowMicros"/>.</summary>
        public bool Counts(int index, long nowMicros)
        {
            return nowMicros - _timelineMicros[index] < WindowMicros;
        }

        /// <summary>The daily dose of the newest record of <paramref name="drugKey"/> that still counts.</summary>
        /// <returns>false when there is none.</returns>
        public bool TryLastDaily(int drugKey, long nowMicros, out long dailyNg)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                if (_drugKey[i] == drugKey && Counts(i, nowMicros))
                {
                    dailyNg = _dailyNg[i];
                    return true;
                }
            }
            dailyNg = 0;
            return false;
        }

        /// <summary>Increases of <paramref name="drugKey"/> (and of merged records) in the 7 days ending at
        /// <paramref name="nowMicros"/>: their number and their sum, ng/day.</summary>
        public void IncreasesIn7Days(int drugKey, long nowMicros, out int increases, out long sumNgPerDay)
        {
            increases = 0;
            sumNgPerDay = 0;
            for (int i = 0; i < _count; i++)
            {
                if ((_drugKey[i] == drugKey || _drugKey[i] == AnyDrug) && Counts(i, nowMicros))
                {
                    increases += _increases[i];
                    sumNgPerDay += _increaseNgPerDay[i];
                }
            }
        }

        /// <summary>Timeline µs at which the oldest increase of <paramref name="drugKey"/> counted now stops counting
        /// (long.MaxValue when none counts).</summary>
        public long OldestIncreaseExpiresMicros(int drugKey, long nowMicros)
        {
            for (int i = 0; i < _count; i++)
            {
                if ((_drugKey[i] == drugKey || _drugKey[i] == AnyDrug) && _increases[i] > 0 && Counts(i, nowMicros))
                {
                    return _timelineMicros[i] + WindowMicros;
                }
            }
            return long.MaxValue;
        }

        /// <summary>Records a commit. <paramref name="nowMicros"/> is the device timeline, which never goes back (an earlier
        /// time is taken as the newest record's). Drops expired records, then makes room as the file header says.</summary>
        public void Add(long nowMicros, long unixSeconds, int drugKey, long dailyNg, long increaseNgPerDay)
        {
            _changes++;
            if (_count > 0 && nowMicros < _timelineMicros[_count - 1]) nowMicros = _timelineMicros[_count - 1];
            DropExpired(nowMicros);
            if (_count == Capacity) MakeRoom();
            int i = _count++;
            _timelineMicros[i] = nowMicros;
            _unixSeconds[i] = unixSeconds;
            _drugKey[i] = drugKey;
            _dailyNg[i] = dailyNg;
            _increaseNgPerDay[i] = increaseNgPerDay > 0 ? increaseNgPerDay : 0;
            _increases[i] = increaseNgPerDay > 0 ? 1 : 0;
        }

        private void DropExpired(long nowMicros)
        {
            int keep = 0;
            while (keep < _count && !Counts(keep, nowMicros)) keep++;
            if (keep > 0) RemoveRange(0, keep);
        }

        private void MakeRoom()
        {
            // A baseline-only record with a newer record of its drug holds nothing the checks still need.
            for (int i = 0; i < _count; i++)
            {
                if (_increases[i] != 0 || _drugKey[i] == AnyDrug) continue;
                for (int j = i + 1; j < _count; j++)
                {
                    if (_drugKey[j] == _drugKey[i])
                    {
                        RemoveRange(i, 1);
                        return;
                    }
                }
            }
            // Merge the two oldest into the younger one: its increases count for longer, never shorter.
            if (_drugKey[0] != _drugKey[1]) _drugKey[1] = AnyDrug;
            // Clamped far above any limit an entry can name (100 increases, 100 g/day): still refused, never wrapped.
            int increases = _increases[1] + _increases[0];
            _increases[1] = increases > 255 ? 255 : increases;
            long sum = _increaseNgPerDay[1] + _increaseNgPerDay[0];
            _increaseNgPerDay[1] = sum > MaxSumNgPerDay ? MaxSumNgPerDay : sum;
            RemoveRange(0, 1);
        }

        private void RemoveRange(int start, int n)
        {
            for (int i = start; i + n < _count; i++)
            {
                _timelineMicros[i] = _timelineMicros[i + n];
                _unixSeconds[i] = _unixSeconds[i + n];
                _drugKey[i] = _drugKey[i + n];
                _dailyNg[i] = _dailyNg[i + n];
                _increaseNgPerDay[i] = _increaseNgPerDay[i + n];
                _increases[i] = _increases[i + n];
            }
            for (int i = _count - n; i < _count; i++) ZeroRecord(i);
            _count -= n;
        }

        private void ZeroRecord(int i)
        {
            _timelineMicros[i] = 0;
            _unixSeconds[i] = 0;
            _drugKey[i] = 0;
            _dailyNg[i] = 0;
            _increaseNgPerDay[i] = 0;
            _increases[i] = 0;
        }

        // ------------------------------------------------------------------ state section 4

        /// <summary>State section tag (<see cref="Tag"/>).</summary>
        public int SectionTag { get { return Tag; } }

        /// <summary>Bytes <see cref="SaveSection"/> writes (<see cref="SectionLength"/>).</summary>
        public int SectionBytes { get { return SectionLength; } }

        /// <summary>Writes every slot with fixed-width fields (<see cref="SectionLength"/> bytes). No allocation.</summary>
        public void SaveSection(StateWriter writer)
        {
            int start = writer.Position;
            if (_saveSkip.TrySkip(writer, _changes)) return;
            writer.WriteByte(SectionVersion);
            writer.WriteByte(_count);
            for (int i = 0; i < Capacity; i++)
            {
                writer.WriteLong(_timelineMicros[i]);
                writer.WriteLong(_unixSeconds[i]);
                writer.WriteInt(_drugKey[i]);
                writer.WriteLong(_dailyNg[i]);
                writer.WriteLong(_increaseNgPerDay[i]);
                writer.WriteByte(_increases[i]);
            }
            _saveSkip.Wrote(writer, start, _changes);
        }

        /// <summary>Reads what <see cref="SaveSection"/> wrote, checking every field (times in order and not negative,
        /// doses in range, an increase count that matches its sum, unused slots zero). On failure returns false and leaves
        /// the history unchanged.</summary>
        public bool LoadSection(StateReader reader, int length)
        {
            if (length != SectionLength) return false;
            int version = reader.ReadByte();
            int count = reader.ReadByte();
            bool ok = version == SectionVersion && count <= Capacity;
            TitrationHistory loaded = new TitrationHistory();
            for (int i = 0; i < Capacity; i++)
            {
                long t = reader.ReadLong();
                long unix = reader.ReadLong();
                int key = reader.ReadInt();
                long daily = reader.ReadLong();
                long increase = reader.ReadLong();
                int increases = reader.ReadByte();
                if (i >= count)
                {
                    ok &= t == 0 && unix == 0 && key == 0 && daily == 0 && increase == 0 && increases == 0;
                    continue;
                }
                ok &= t >= 0 && unix >= 0 && daily >= 0 && daily <= Dosing.Prescription.MaxDoseNg;
                ok &= increase >= 0 && increase <= MaxSumNgPerDay;
                ok &= (increases == 0) == (increase == 0);
                ok &= i == 0 || t >= loaded._timelineMicros[i - 1];
                loaded._timelineMicros[i] = t;
                loaded._unixSeconds[i] = unix;
                loaded._drugKey[i] = key;
                loaded._dailyNg[i] = daily;
                loaded._increaseNgPerDay[i] = increase;
                loaded._increases[i] = increases;
            }
            if (!ok || reader.Failed) return false;
            _changes++;
            for (int i = 0; i < Capacity; i++)
            {
                _timelineMicros[i] = loaded._timelineMicros[i];
                _unixSeconds[i] = loaded._unixSeconds[i];
                _drugKey[i] = loaded._drugKey[i];
                _dailyNg[i] = loaded._dailyNg[i];
                _increaseNgPerDay[i] = loaded._increaseNgPerDay[i];
                _increases[i] = loaded._increases[i];
            }
            _count = count;
            return true;
        }

        /// <summary>No records (a factory start, or an image from firmware without the guard).</summary>
        public void ClearSection()
        {
            _changes++;
            for (int i = 0; i < Capacity; i++) ZeroRecord(i);
            _count = 0;
        }
    }
}
