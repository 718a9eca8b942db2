// The refill check (issue 17). Commercial low-reservoir alarms are computed from the programmed
// rate, never measured; the one measurement a clinic makes is the residual it withdraws before
// filling. Less found than the accounting expects means drug left the reservoir without being
// commanded (overinfusion, a leak, a pocket fill); more found means commanded drug never left
// (under-delivery: an occlusion or a stall the motor feedback missed, a head that slips). Both
// deserve a clinician's look, so one programmable gap applies to both signs, and the sign is
// kept in the history and the log.
//
// A fixed ring of the last refills (checked or not) with what the accounting expected, what was
// measured and when: REFILL? reads it; it is persisted as state section 1. No allocation after
// construction; the ring never grows. It changes only at a refill or a new threshold, so in a storage
// journal's diff pass that continues the one it last wrote (DoseWindow's scheme) it steps over its ring.
using PumpFirmware.Storage;

namespace PumpFirmware.Therapy
{
    /// <summary>Refill history and the gap threshold of the REFILL_GAP alarm. Volumes in nL.</summary>
    public sealed class RefillCheck : IStateSection
    {
        /// <summary>Refills kept; the oldest is dropped when a new one does not fit.</summary>
        public const int Capacity = 16;

        /// <summary>The state section tag this history is stored under (docs/STORAGE.md).</summary>
        public const int Tag = 1;

        /// <summary>Default gap threshold, nL (1 mL: a gap over about 1 mL in a 20 mL pump matters).</summary>
        public const long DefaultGapAlarmNl = 1000000;

        /// <summary>Largest gap threshold REFILL:GAP accepts, nL (the largest reservoir capacity).</summary>
        public const long MaxGapAlarmNl = 1000000000;

        /// <summary>The measured residual of a refill without a check.</summary>
        public const long NotMeasured = -1;

        /// <summary>Bytes <see cref="SaveSection"/> writes: version, count, newest, total, threshold, then the ring.</summary>
        public const int SizeBytes = 1 + 1 + 1 + 4 + 4 + Capacity * EntryBytes;

        // unix s (i64), refill number (i32), volume, expected, measured (i32 nL each; capacity <= 10^9 nL), flags (u8).
        private const int EntryBytes = 8 + 4 + 4 + 4 + 4 + 1;
        private const int Version = 1;
        private const int FlagAlarm = 1;

        private readonly long[] _unixS = new long[Capacity];
        private readonly int[] _number = new int[Capacity];
        private readonly int[] _volumeNl = new int[Capacity];
        private readonly int[] _expectedNl = new int[Capacity];
        private readonly int[] _measuredNl = new int[Capacity];
        private readonly byte[] _flags = new byte[Capacity];
        private int _count;
        private int _newest = -1;
        private int _total;
        private long _gapAlarmNl = DefaultGapAlarmNl;

        // The ring's changes (bumped by every method that changes what SaveSection writes), and where the journal's last
        // diff pass wrote the ring with which count: the next pass steps over it while nothing changed.
        private int _changes;
        private readonly SaveSkip _ringSkip = new SaveSkip();

        /// <summary>Refills kept (0..<see cref="Capacity"/>).</summary>
        public int Count { get { return _count; } }

        /// <summary>Refills recorded since the pump was first started (the last one's number).</summary>
        public int Total { get { return _total; } }

        /// <summary>REFILL_GAP is raised when |measured - expected| exceeds this, nL.</summary>
        public long GapAlarmNl { get { return _gapAlarmNl; } }

        /// <summary>Sets the threshold, nL (0..<see cref="MaxGapAlarmNl"/>; the caller checks the range).</summary>
        public void SetGapAlarm(long nl)
        {
            _gapAlarmNl = nl;
            _changes++;
        }

        /// <summary>True when a measured residual differs from the expected one by more than the threshold.</summary>
        public bool ExceedsThreshold(long expectedNl, long measuredNl)
        {
            if (measuredNl < 0) return false;
            long gap = measuredNl - expectedNl;
            if (gap < 0) gap = -gap;
            return gap > _gapAlarmNl;
        }

        /// <summary>Records a refill. <paramref name="measuredNl"/> is <see cref="NotMeasured"/> without a check.</summary>
        /// <param name="unixSeconds">Wall clock at the refill, s (0 when never set).</param>
        /// <param name="volumeNl">The new reservoir volume, nL (0..10^9).</param>
        /// <param name="expectedNl">The reservoir the accounting held before it, nL (0..10^9).</param>
        /// <param name="measuredNl">The residual withdrawn, nL (0..10^9), or <see cref="NotMeasured"/>.</param>
        /// <returns>true when the check raised REFILL_GAP (the gap exceeds the threshold).</returns>
        public bool Record(long unixSeconds, long volumeNl, long expectedNl, long measuredNl)
        {
            bool alarm = ExceedsThreshold(expectedNl, measuredNl);
            _changes++;
            _newest = (_newest + 1) % Capacity;
            if (_count < Capacity) _count++;
            if (_total < int.MaxValue) _total++;
            _unixS[_newest] = unixSeconds;
            _number[_newest] = _total;
            _volumeNl[_newest] = (int)volumeNl;
            _expectedNl[_newest] = (int)expectedNl;
            _measuredNl[_newest] = measuredNl < 0 ? -1 : (int)measuredNl;
            _flags[_newest] = (byte)(alarm ? FlagAlarm : 0);
            return alarm;
        }

        /// <summary>Refill number (1 = the first since the pump was first started) of entry <paramref name="i"/> (0 = oldest kept).</summary>
        public int Number(int i) { return _number[Slot(i)]; }

        /// <summary>Wall clock of entry <paramref name="i"/>, unix s (0 when the clock was not set).</summary>
        public long UnixSeconds(int i) { return _unixS[Slot(i)]; }

        /// <summary>The volume filled, nL.</summary>
        public long VolumeNl(int i) { return _volumeNl[Slot(i)]; }

        /// <summary>The residual the accounting expected (reservoir_ul before the refill), nL.</summary>
        public long ExpectedNl(int i) { return _expectedNl[Slot(i)]; }

        /// <summary>The residual measured, nL, or <see cref="NotMeasured"/>.</summary>
        public long MeasuredNl(int i) { return _measuredNl[Slot(i)]; }

        /// <summary>True when that refill's check raised REFILL_GAP.</summary>
        public bool RaisedAlarm(int i) { return (_flags[Slot(i)] & FlagAlarm) != 0; }

        private int Slot(int i)
        {
            return (_newest - (_count - 1 - i) + Capacity) % Capacity;
        }

        // ------------------------------------------------------------------ state section 1

        /// <summary>The state section tag (1).</summary>
        public int SectionTag { get { return Tag; } }

        /// <summary>Bytes the section always takes (<see cref="SizeBytes"/>).</summary>
        public int SectionBytes { get { return SizeBytes; } }

        /// <summary>Writes the threshold and the whole ring (fixed width: the same bytes for the same state). No allocation.</summary>
        public void SaveSection(StateWriter writer)
        {
            writer.WriteByte(Version);
            writer.WriteByte(_count);
            writer.WriteByte(_newest < 0 ? 255 : _newest);
            writer.WriteInt(_total);
            writer.WriteInt((int)_gapAlarmNl);
            if (_ringSkip.TrySkip(writer, _changes)) return;
            int start = writer.Position;
            for (int s = 0; s < Capacity; s++)
            {
                writer.WriteLong(_unixS[s]);
                writer.WriteInt(_number[s]);
                writer.WriteInt(_volumeNl[s]);
                writer.WriteInt(_expectedNl[s]);
                writer.WriteInt(_measuredNl[s]);
                writer.WriteByte(_flags[s]);
            }
            _ringSkip.Wrote(writer, start, _changes);
        }

        /// <summary>Reads what <see cref="SaveSection"/> wrote, checking every field; false (and nothing changed) when
        /// the bytes are not such an image.</summary>
        public bool LoadSection(StateReader reader, int length)
        {
            if (length != SizeBytes) return false;
            int version = reader.ReadByte();
            int count = reader.ReadByte();
            int newest = reader.ReadByte();
            int total = reader.ReadInt();
            long gap = reader.ReadInt();
            bool ok = version == Version && count <= Capacity && total >= count && gap >= 0 && gap <= MaxGapAlarmNl;
            ok &= count == 0 ? newest == 255 : newest < Capacity;
            long[] unix = new long[Capacity];
            int[] number = new int[Capacity];
            int[] volume = new int[Capacity];
            int[] expected = new int[Capacity];
            int[] measured = new int[Capacity];
            byte[] flags = new byte[Capacity];
            for (int s = 0; s < Capacity; s++)
            {
                unix[s] = reader.ReadLong();
                number[s] = reader.ReadInt();
                volume[s] = reader.ReadInt();
                expected[s] = reader.ReadInt();
                measured[s] = reader.ReadInt();
                flags[s] = (byte)reader.ReadByte();
            }
            if (!ok || reader.Failed) return false;
            for (int i = 0; i < Capacity; i++)
            {
                int s = (newest - (count - 1 - i) + Capacity) % Capacity;
                if (i < count)
                {
                    // The kept entries are numbered consecutively up to the total, oldest first.
                    ok &= number[s] == total - (count - 1 - i) && unix[s] >= 0 && volume[s] >= 0 && expected[s] >= 0
                        && measured[s] >= -1 && (flags[s] & ~FlagAlarm) == 0 && (measured[s] >= 0 || flags[s] == 0);
                }
                else if (count < Capacity)
                {
                    // Slots never used are all zero (slot order: the unused ones follow the newest).
                    int u = (newest + 1 + (i - count) + Capacity) % Capacity;
                    ok &= unix[u] == 0 && number[u] == 0 && volume[u] == 0 && expected[u] == 0 && measured[u] == 0 && flags[u] == 0;
                }
            }
            if (!ok) return false;
            _count = count;
            _newest = count == 0 ? -1 : newest;
            _total = total;
            _gapAlarmNl = gap;
            _changes++;
            for (int s = 0; s < Capacity; s++)
            {
                _unixS[s] = unix[s];
                _number[s] = number[s];
                _volumeNl[s] = volume[s];
                _expectedNl[s] = expected[s];
                _measuredNl[s] = measured[s];
                _flags[s] = flags[s];
            }
            return true;
        }

        /// <summary>No refill recorded, the default threshold (a factory start, or an image of older firmware).</summary>
        public void ClearSection()
        {
            _count = 0;
            _newest = -1;
            _total = 0;
            _gapAlarmNl = DefaultGapAlarmNl;
            _changes++;
            for (int s = 0; s < Capacity; s++)
            {
                _unixS[s] = 0;
                _number[s] = 0;
                _volumeNl[s] = 0;
                _expectedNl[s] = 0;
                _measuredNl[s] = 0;
                _flags[s] = 0;
            }
        }
    }
}
