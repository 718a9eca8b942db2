// Drug delivered per calendar day, split by what moved it (issue 17, HIST?): the researcher's daily
// log, kept by the pump itself so that it survives a power cut and needs no logger attached.
//
// Every delivered step is charged here at its due time with its exact drug: its volume in nL times
// the concentration in ng/mL is femtograms, with no rounding. The newest day counts femtograms per
// kind (an addition per step, no division); when the next day opens, its whole nanograms become
// the row and what is left under 1 ng carries into the new day, so the rows plus the remainders
// are exactly the drug the counters delivered.
//
// The day is the wall clock's (UTC, as the schedule's time of day) once TIME has set it, the device
// timeline's before (day n = [n, n+1) x 24 h since the first start). A day's row opens at the first
// step in it; days the pump skipped (stopped, off) open with zeros so the rows stay consecutive. A
// clock moved back keeps charging the newest row until the clock passes the end of its day: no drug
// is lost or counted twice, and that row may cover more than 24 h. A clock moved forward opens the
// new day at the next step. The clock is the therapy's own WallClock object, read where it is used, never
// copied. The check per step is two comparisons (the timeline instant at which the newest row's day ends,
// and whether the clock changed since that instant was derived from it); only a new day or a clock
// change costs a division.
//
// A fixed ring of 31 days, persisted as state section 2 (41 bytes a day). No allocation per step.
// Between two commits only the newest row and the remainders change, so in a storage journal's diff
// pass that continues the one it last wrote (as DoseWindow does) it writes those and steps over the
// other 30 rows; anything else (a new day, a load, another writer) and it writes every row.
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    /// <summary>Drug delivered per day and kind of delivery, ng. All times are device-timeline µs.</summary>
    public sealed class DailyHistory : IStateSection
    {
        /// <summary>Days kept; the oldest is dropped when a new day does not fit.</summary>
        public const int Days = 31;

        /// <summary>The state section tag this history is stored under (docs/STORAGE.md).</summary>
        public const int Tag = 2;

        /// <summary>Kinds of delivery (columns), in the order HIST? prints them.</summary>
        public const int Basal = 0, Ptm = 1, Clinician = 2, Bridge = 3, Prime = 4, MinRate = 5;

        /// <summary>Number of kinds.</summary>
        public const int Kinds = 6;

        /// <summary>Largest value a day's cell holds, ng (the newest day counts fg in 64 bits and saturates there: over
        /// 9 kg; stored in 48 bits).</summary>
        public const long MaxCellNg = long.MaxValue / 1000000L;

        /// <summary>Bytes <see cref="SaveSection"/> writes: version, count, newest, the 6 remainders, then the rows.</summary>
        public const int SizeBytes = 1 + 1 + 1 + Kinds * 4 + Days * RowBytes;

        private const int RowBytes = 1 + 4 + Kinds * 6;
        private const int Version = 1;
        private const long DayMicros = 86400000000L;
        private const long FgPerNg = 1000000L;

        private readonly long[] _ng = new long[Days * Kinds];
        private readonly int[] _day = new int[Days];
        private readonly bool[] _wall = new bool[Days];
        // The newest day's drug per kind, fg, with what was carried in under 1 ng (no row yet: just that carry).
        private readonly long[] _newestFg = new long[Kinds];
        private int _count;
        private int _newest = -1;

        // The clock the days are counted by (the therapy's; read, never set here).
        private readonly WallClock _clock;
        // Steps before this timeline instant go into the newest row (long.MinValue: find the row), while the clock's
        // change count is still the one it was derived at.
        private long _newestEndMicros = long.MinValue;
        private int _newestEndClockChanges;

        // The diff pass that last wrote every row's current value (DoseWindow's scheme), and whether a row other than
        // the newest changed since.
        private StateWriter _syncedWriter;
        private int _syncedPass;
        private int _syncedPosition = -1;
        private int _syncedNewest = -1;
        private bool _allDirty = true;

        // How a step is shared: all to _primary, or a part _shareNumerator/_shareDenominator to _secondary.
        private int _primary = Basal;
        private int _secondary = -1;
        private long _shareNumerator;
        private long _shareDenominator;

        /// <summary>An empty history whose days are those of <paramref name="clock"/>: wall-clock days once it is set,
        /// timeline days before. The history only reads the clock; its owner sets it.</summary>
        public DailyHistory(WallClock clock)
        {
            _clock = clock;
        }

        /// <summary>Days kept (0..<see cref="Days"/>).</summary>
        public int Count { get { return _count; } }

        /// <summary>Says how the steps from now on are shared (call whenever the rates change): all to
        /// <paramref name="primary"/>, or, with a bolus on top of basal, the bolus's part of each step
        /// (<paramref name="bolusRate"/> / (<paramref name="basalRate"/> + <paramref name="bolusRate"/>), any one unit)
        /// to <paramref name="bolusKind"/>.</summary>
        public void SetShare(int primary, int bolusKind, long basalRate, long bolusRate)
        {
            _primary = primary;
            if (bolusKind < 0 || bolusRate <= 0)
            {
                _secondary = -1;
                return;
            }
            _secondary = bolusKind;
            _shareNumerator = bolusRate;
            _shareDenominator = basalRate + bolusRate;
        }

        /// <summary>Charges one delivered step. No allocation; one comparison unless a day begins.</summary>
        /// <param name="timelineMicros">The step's due time.</param>
        /// <param name="femtograms">Its drug: volume nL x concentration ng/mL.</param>
        public void AddStep(long timelineMicros, long femtograms)
        {
            if (timelineMicros >= _newestEndMicros || _newestEndClockChanges != _clock.Changes) FindRow(timelineMicros);
            if (_secondary < 0)
            {
                Charge(_primary, femtograms);
                return;
            }
            long part = WideMath.MulDivFloor(femtograms, _shareNumerator, _shareDenominator);
            Charge(_secondary, part);
            Charge(_primary, femtograms - part);
        }

        private void Charge(int kind, long femtograms)
        {
            long v = _newestFg[kind] + femtograms;
            _newestFg[kind] = v < 0 ? long.MaxValue : v;
        }

        // The step at t is past the newest row's day (or the clock changed): open its day, or keep the newest row
        // when the clock says an earlier day (moved back).
        private void FindRow(long t)
        {
            bool wall = _clock.IsSet;
            long offset = _clock.OffsetMicros;
            long day = FloorDiv(t + offset, DayMicros);
            if (_count == 0 || _wall[_newest] != wall)
            {
                Open(day, wall);
            }
            else if (day > _day[_newest])
            {
                long first = _day[_newest] + 1;
                if (day - first >= Days) first = day - Days + 1;
                for (long d = first; d <= day; d++) Open(d, wall);
            }
            _newestEndMicros = (_day[_newest] + 1L) * DayMicros - offset;
            _newestEndClockChanges = _clock.Changes;
        }

        private void Open(long day, bool wall)
        {
            _allDirty = true;
            // The day that ends keeps its whole ng; what is under 1 ng carries into the new one.
            int closing = _newest * Kinds;
            for (int k = 0; k < Kinds; k++)
            {
                long fg = _newestFg[k];
                if (_count > 0) _ng[closing + k] = fg / FgPerNg;
                _newestFg[k] = fg % FgPerNg;
            }
            _newest = (_newest + 1) % Days;
            if (_count < Days) _count++;
            _day[_newest] = (int)day;
            _wall[_newest] = wall;
            int row = _newest * Kinds;
            for (int k = 0; k < Kinds; k++) _ng[row + k] = 0;
        }

        private static long FloorDiv(long a, long b)
        {
            long q = a / b;
            return (a % b != 0 && a < 0) ? q - 1 : q;
        }

        // ------------------------------------------------------------------ queries (0 = oldest kept)

        /// <summary>The day of row <paramref name="i"/>: days since 1970-01-01 (wall clock) or since the first start (timeline).</summary>
        public long Day(int i) { return _day[Slot(i)]; }

        /// <summary>True when row <paramref name="i"/> is a wall-clock day, false for a timeline day.</summary>
        public bool IsWallClockDay(int i) { return _wall[Slot(i)]; }

        /// <summary>Drug of one kind in row <paramref name="i"/>, ng (rounded down: under 1 ng per kind carries on).</summary>
        public long Nanograms(int i, int kind) { return Cell(Slot(i), kind); }

        private long Cell(int slot, int kind)
        {
            return slot == _newest && _count > 0 ? _newestFg[kind] / FgPerNg : _ng[slot * Kinds + kind];
        }

        /// <summary>Drug under 1 ng of one kind, not yet in a row, fg.</summary>
        public long RemainderFemtograms(int kind) { return _newestFg[kind] % FgPerNg; }

        /// <summary>Days after the newest row up to the day of <paramref name="nowMicros"/> (by the clock as it stands),
        /// which have no row because nothing was delivered since: HIST? shows them with zeros. 0 when the newest row is
        /// that day or later; 1 (just today) when there is no row or the rows are of the other clock.</summary>
        /// <param name="nowMicros">Device timeline, µs.</param>
        /// <param name="firstDay">The first of them (the day after the newest row, or today).</param>
        /// <param name="wall">True when they are wall-clock days.</param>
        public int DaysAfterNewest(long nowMicros, out long firstDay, out bool wall)
        {
            wall = _clock.IsSet;
            long today = FloorDiv(nowMicros + _clock.OffsetMicros, DayMicros);
            if (_count == 0 || _wall[_newest] != wall)
            {
                firstDay = today;
                return 1;
            }
            long newest = _day[_newest];
            firstDay = newest + 1;
            if (today <= newest) return 0;
            long n = today - newest;
            if (n > Days)
            {
                firstDay = today - Days + 1;
                n = Days;
            }
            return (int)n;
        }

        private int Slot(int i)
        {
            return (_newest - (_count - 1 - i) + Days) % Days;
        }

        // ------------------------------------------------------------------ state section 2

        /// <summary>The state section tag (2).</summary>
        public int SectionTag { get { return Tag; } }

        /// <summary>Bytes the section always takes (<see cref="SizeBytes"/>).</summary>
        public int SectionBytes { get { return SizeBytes; } }

        /// <summary>Writes the remainders and every row in slot order (fixed width: the same bytes for the same state).
        /// No allocation.</summary>
        public void SaveSection(StateWriter writer)
        {
            writer.WriteByte(Version);
            writer.WriteByte(_count);
            writer.WriteByte(_newest < 0 ? 255 : _newest);
            for (int k = 0; k < Kinds; k++) writer.WriteInt((int)(_newestFg[k] % FgPerNg));
            int start = writer.Position;
            int end = start + Days * RowBytes;
            bool continues = !_allDirty && _newest >= 0 && _newest == _syncedNewest && writer == _syncedWriter
                && writer.DiffPass == _syncedPass + 1 && start == _syncedPosition && writer.CanSkipTo(end);
            if (continues)
            {
                writer.SkipTo(start + _newest * RowBytes);
                WriteRow(writer, _newest);
                writer.SkipTo(end);
            }
            else
            {
                for (int s = 0; s < Days; s++) WriteRow(writer, s);
            }
            if (writer.InDiffPass && !writer.Overflow)
            {
                _syncedWriter = writer;
                _syncedPass = writer.DiffPass;
                _syncedPosition = start;
                _syncedNewest = _newest;
                _allDirty = false;
            }
        }

        private void WriteRow(StateWriter writer, int s)
        {
            writer.WriteByte(_wall[s] ? 1 : 0);
            writer.WriteInt(_day[s]);
            for (int k = 0; k < Kinds; k++)
            {
                writer.WriteLowBytes(Cell(s, k), 6); // 48 bits
            }
        }

        /// <summary>Reads what <see cref="SaveSection"/> wrote, checking every field: false (nothing changed) when the
        /// bytes are not such an image. Allocates (boot only).</summary>
        public bool LoadSection(StateReader reader, int length)
        {
            if (length != SizeBytes) return false;
            int version = reader.ReadByte();
            int count = reader.ReadByte();
            int newest = reader.ReadByte();
            bool ok = version == Version && count <= Days && (count == 0 ? newest == 255 : newest < Days);
            long[] remainder = new long[Kinds];
            for (int k = 0; k < Kinds; k++)
            {
                remainder[k] = reader.ReadInt();
                ok &= remainder[k] >= 0 && remainder[k] < FgPerNg;
            }
            bool[] wall = new bool[Days];
            int[] day = new int[Days];
            long[] ng = new long[Days * Kinds];
            bool[] zero = new bool[Days];
            for (int s = 0; s < Days; s++)
            {
                int w = reader.ReadByte();
                ok &= w <= 1;
                wall[s] = w == 1;
                day[s] = reader.ReadInt();
                zero[s] = w == 0 && day[s] == 0;
                for (int k = 0; k < Kinds; k++)
                {
                    long low = reader.ReadInt() & 0xFFFFFFFFL;
                    long b4 = reader.ReadByte();
                    long b5 = reader.ReadByte();
                    long v = low | (b4 << 32) | (b5 << 40);
                    ok &= v <= MaxCellNg;
                    ng[s * Kinds + k] = v;
                    if (v != 0) zero[s] = false;
                }
            }
            if (!ok || reader.Failed) return false;
            for (int i = 0; i < Days; i++)
            {
                int s = (newest - (count - 1 - i) + Days) % Days;
                if (i < count)
                {
                    ok &= day[s] >= 0;
                    if (i > 0)
                    {
                        // Rows are in day order within one clock, and the clock only ever goes from timeline to wall.
                        int p = (s - 1 + Days) % Days;
                        ok &= wall[p] == wall[s] ? day[s] > day[p] : !wall[p];
                    }
                }
                else
                {
                    ok &= zero[(newest + 1 + (i - count) + Days) % Days];
                }
            }
            if (!ok) return false;
            _count = count;
            _newest = count == 0 ? -1 : newest;
            for (int k = 0; k < Kinds; k++) _newestFg[k] = remainder[k] + (count > 0 ? ng[newest * Kinds + k] * FgPerNg : 0);
            for (int s = 0; s < Days; s++)
            {
                _wall[s] = wall[s];
                _day[s] = day[s];
            }
            for (int j = 0; j < ng.Length; j++) _ng[j] = ng[j];
            _newestEndMicros = long.MinValue;
            _allDirty = true;
            return true;
        }

        /// <summary>No day recorded (a factory start, or an image of older firmware).</summary>
        public void ClearSection()
        {
            _count = 0;
            _newest = -1;
            for (int k = 0; k < Kinds; k++) _newestFg[k] = 0;
            for (int s = 0; s < Days; s++)
            {
                _wall[s] = false;
                _day[s] = 0;
            }
            for (int j = 0; j < _ng.Length; j++) _ng[j] = 0;
            _newestEndMicros = long.MinValue;
            _allDirty = true;
        }
    }
}
