// The persistent, append-only record of everything that changed the pump, for researchers
// (LOG?) and for accountability (who changed what, when). A fixed-capacity ring of parallel
// arrays: no allocation per record, 34 bytes a record, the newest 1024 kept. Sequence numbers
// start at 1 and are never reused, so a reader that sees a gap knows records were dropped.
// The log stores numbers only; what they mean per type is in EventLogTypes and docs/PROTOCOL-GUIDE.md.
using PumpFirmware.Storage;

namespace PumpFirmware.Log
{
    /// <summary>A ring of event records with never-reused sequence numbers.</summary>
    public sealed class EventLog : IAppendOnlyState
    {
        /// <summary>Records kept; the oldest is dropped when a new one does not fit.</summary>
        public const int Capacity = 1024;

        /// <summary>Bytes one record takes in a snapshot (t_ms, unix_s, type, code, a, b).</summary>
        public const int RecordBytes = 8 + 8 + 1 + 1 + 8 + 8;

        /// <summary>Bytes <see cref="Save"/> writes at most.</summary>
        public const int MaxSavedBytes = 4 + 8 + 4 + Capacity * RecordBytes;

        private const int FormatVersion = 1;

        private readonly long[] _tMs = new long[Capacity];
        private readonly long[] _unixS = new long[Capacity];
        private readonly byte[] _type = new byte[Capacity];
        private readonly byte[] _code = new byte[Capacity];
        private readonly long[] _a = new long[Capacity];
        private readonly long[] _b = new long[Capacity];

        // Records with seq in [_nextSeq - _count, _nextSeq) are kept; seq s lives at index s % Capacity.
        private long _nextSeq = 1;
        private int _count;

        /// <summary>The sequence number the next record will get (1 for an empty log).</summary>
        public long NextSeq { get { return _nextSeq; } }

        /// <summary>The oldest kept record's sequence number (= NextSeq when empty).</summary>
        public long OldestSeq { get { return _nextSeq - _count; } }

        /// <summary>Number of records kept (0..Capacity).</summary>
        public int Count { get { return _count; } }

        /// <summary>Appends a record and returns its sequence number.</summary>
        /// <param name="tMs">Uptime at the event, ms.</param>
        /// <param name="unixS">Wall clock at the event, s (0 when not set).</param>
        /// <param name="type">One of <see cref="EventLogTypes"/>.</param>
        /// <param name="code">Type-specific small code (an alarm, a bolus kind, a reason).</param>
        /// <param name="a">First type-specific value.</param>
        /// <param name="b">Second type-specific value.</param>
        public long Append(long tMs, long unixS, int type, int code, long a, long b)
        {
            long seq = _nextSeq;
            int i = Index(seq);
            _tMs[i] = tMs;
            _unixS[i] = unixS;
            _type[i] = (byte)type;
            _code[i] = (byte)code;
            _a[i] = a;
            _b[i] = b;
            _nextSeq = seq + 1;
            if (_count < Capacity) _count++;
            return seq;
        }

        /// <summary>True when record <paramref name="seq"/> is still kept.</summary>
        public bool Contains(long seq)
        {
            return seq >= OldestSeq && seq < _nextSeq;
        }

        /// <summary>The first sequence number a query from <paramref name="fromSeq"/> returns:
        /// the oldest kept if older, NextSeq if newer than anything kept.</summary>
        public long ClampFrom(long fromSeq)
        {
            if (fromSeq < OldestSeq) return OldestSeq;
            if (fromSeq > _nextSeq) return _nextSeq;
            return fromSeq;
        }

        public long TimeMs(long seq) { return _tMs[Index(seq)]; }

        public long UnixSeconds(long seq) { return _unixS[Index(seq)]; }

        public int Type(long seq) { return _type[Index(seq)]; }

        public int Code(long seq) { return _code[Index(seq)]; }

        public long ValueA(long seq) { return _a[Index(seq)]; }

        public long ValueB(long seq) { return _b[Index(seq)]; }

        /// <summary>Writes the whole log (at most <see cref="MaxSavedBytes"/>).</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteInt(FormatVersion);
            writer.WriteLong(_nextSeq);
            writer.WriteInt(_count);
            for (long seq = OldestSeq; seq < _nextSeq; seq++)
            {
                WriteRecordBody(seq, writer);
            }
        }

        /// <summary>Replaces the log with one written by <see cref="Save"/>. Decodes in place (a
        /// second 34 kB ring would not fit the ESP32's heap); so a snapshot that turns out truncated
        /// leaves the log empty, numbered after anything it held before, and returns false.</summary>
        /// <returns>false when the data is malformed (the caller boots into CRITICAL).</returns>
        public bool Load(StateReader reader)
        {
            int version = reader.ReadInt();
            long nextSeq = reader.ReadLong();
            int count = reader.ReadInt();
            if (reader.Failed || version != FormatVersion || nextSeq < 1 || count < 0 || count > Capacity
                || count > nextSeq - 1)
            {
                reader.Fail();
                return false;
            }
            long previousNext = _nextSeq;
            _count = 0;
            _nextSeq = nextSeq - count;
            for (int k = 0; k < count; k++)
            {
                if (!ReadRecordBody(reader, true))
                {
                    _count = 0;
                    _nextSeq = previousNext > nextSeq ? previousNext : nextSeq;
                    return false;
                }
            }
            return true;
        }

        /// <summary>Writes one record (its seq first), for a journal that appends records as they
        /// are made instead of saving the whole ring.</summary>
        public void WriteRecord(long seq, StateWriter writer)
        {
            writer.WriteLong(seq);
            WriteRecordBody(seq, writer);
        }

        /// <summary>Appends a record written by <see cref="WriteRecord"/>. A record older than
        /// NextSeq is ignored (already present); a gap is filled with LOST records.</summary>
        /// <returns>false when the data is malformed.</returns>
        public bool ReadRecord(StateReader reader)
        {
            long seq = reader.ReadLong();
            if (reader.Failed || seq < 1)
            {
                reader.Fail();
                return false;
            }
            if (seq < _nextSeq)
            {
                return ReadRecordBody(reader, false);
            }
            if (seq > _nextSeq)
            {
                // Records in between are missing (never persisted): keep the numbering contiguous
                // with LOST placeholders, so a reader sees exactly which seqs are gone.
                if (seq - _nextSeq >= Capacity)
                {
                    _count = 0;
                    _nextSeq = seq;
                }
                while (_nextSeq < seq)
                {
                    Append(0, 0, EventLogTypes.Lost, 0, 0, 0);
                }
            }
            return ReadRecordBody(reader, true);
        }

        /// <summary>Forgets the records appended since <paramref name="nextSeq"/> was the next sequence number (a request
        /// rolled back because its change could not be stored: its records never became durable, so their numbers are
        /// given again). A record those appends pushed out of the ring stays gone.</summary>
        public void TruncateTo(long nextSeq)
        {
            if (nextSeq >= _nextSeq || nextSeq < 1) return;
            long removed = _nextSeq - nextSeq;
            _count = removed >= _count ? 0 : _count - (int)removed;
            _nextSeq = nextSeq;
        }

        /// <summary>Appends a record written by <see cref="WriteRecordBody"/>; it gets <see cref="NextSeq"/>.</summary>
        /// <returns>false when the data is malformed.</returns>
        public bool AppendRecordBody(StateReader reader)
        {
            return ReadRecordBody(reader, true);
        }

        /// <summary>Empties the log and numbers the next record <paramref name="nextSeq"/> (a restore from log segment
        /// files, which then appends the records they hold).</summary>
        public void Restart(long nextSeq)
        {
            _count = 0;
            _nextSeq = nextSeq < 1 ? 1 : nextSeq;
        }

        /// <summary>Empties the log but keeps numbering (never reuses a seq).</summary>
        public void Clear()
        {
            _count = 0;
        }

        /// <summary>Writes record <paramref name="seq"/> without its seq (<see cref="RecordBytes"/> bytes), for a log
        /// segment file that numbers its records by position.</summary>
        public void WriteRecordBody(long seq, StateWriter writer)
        {
            int i = Index(seq);
            writer.WriteLong(_tMs[i]);
            writer.WriteLong(_unixS[i]);
            writer.WriteByte(_type[i]);
            writer.WriteByte(_code[i]);
            writer.WriteLong(_a[i]);
            writer.WriteLong(_b[i]);
        }

        private bool ReadRecordBody(StateReader reader, bool append)
        {
            long tMs = reader.ReadLong();
            long unixS = reader.ReadLong();
            int type = reader.ReadByte();
            int code = reader.ReadByte();
            long a = reader.ReadLong();
            long b = reader.ReadLong();
            if (reader.Failed) return false;
            if (append) Append(tMs, unixS, type, code, a, b);
            return true;
        }

        private static int Index(long seq)
        {
            return (int)(seq % Capacity);
        }
    }
}
