// The event log's own files, so that a snapshot holds only the state image (format 2,
// docs/STORAGE.md). The log is kept in segment files of at most RecordsPerSegment records, each
// written WHOLE with a CRC (never appended to, never rewritten in place) into a slot of a small
// pool; every segment but the newest is full. A snapshot names the segments it relies on (slot,
// first seq, count, CRC) and the seq range of the log they hold, [oldest, bound). Records appended
// between snapshots travel in the journal's delta records with the image changes of the same
// commit, as before, so one commit stays one append.
//
// At a compaction (DurableState.Snapshot) the segments change BEFORE the snapshot that relies on
// them is written: full segments still needed are kept as they are (same slot); the newest,
// partly filled one and the records since the last snapshot are written into slots that the
// newest durable snapshot does not name. So a cut at any byte of a segment write, or between it and
// the snapshot, leaves the last snapshot and every file it names intact; a slot holding a torn or
// stale file is either not named by any snapshot or fails the named count and CRC.
// A segment entirely older than the log's oldest kept record is no longer named (the ring's
// capacity, as before: the newest EventLog.Capacity records are kept).
//
// The pool has twice the slots one snapshot can name, so the files a compaction writes never fall
// in a slot the previous snapshot names, whatever the number of records since it.
using PumpFirmware.Hal;
using PumpFirmware.Units;

namespace PumpFirmware.Storage
{
    /// <summary>The event log's segment files on an <see cref="IRecordStore"/>, named by each snapshot.</summary>
    public sealed class LogSegments
    {
        /// <summary>Segment header: magic (2), version (1), flags (1), first seq (8), record count (4).</summary>
        public const int HeaderBytes = 16;

        /// <summary>Bytes of CRC-16 after a segment's records.</summary>
        public const int CrcBytes = 2;

        /// <summary>Bytes one segment takes in a snapshot's log reference: slot (1), first seq (8), count (2), CRC (2).</summary>
        public const int ReferenceEntryBytes = 13;

        /// <summary>Bytes of a log reference before its entries: oldest seq (8), bound (8), entry count (1).</summary>
        public const int ReferenceHeaderBytes = 17;

        private const byte Magic0 = 0x4C; // 'L'
        private const byte Magic1 = 0x53; // 'S'
        private const byte SegmentVersion = 1;

        private readonly IRecordStore _store;
        private readonly int _firstFileId;
        private readonly int _recordBytes;
        private readonly int _recordsPerSegment;
        private readonly int _maxSegments;
        private readonly int _slots;

        // What the newest durable snapshot names (or the last restore found).
        private readonly int[] _slot;
        private readonly long[] _first;
        private readonly int[] _count;
        private readonly int[] _crc;
        private int _segments;
        private long _oldest;
        private long _bound;

        // What the snapshot being written will name (Prepare), adopted once that snapshot is durable.
        private readonly int[] _nextSlot;
        private readonly long[] _nextFirst;
        private readonly int[] _nextCount;
        private readonly int[] _nextCrc;
        private int _nextSegments;
        private long _nextOldest;
        private long _nextBound;

        private bool _rewriteAll;
        private int _lastWrites;
        private int _lastWriteBytes;

        /// <summary>Creates the segment pool over files <paramref name="firstFileId"/> onwards (<see cref="SlotCount"/> of them).</summary>
        /// <param name="store">The store.</param>
        /// <param name="firstFileId">The first segment file's id.</param>
        /// <param name="recordBytes">Bytes of one record's body (<see cref="IAppendOnlyState.WriteRecordBody"/>).</param>
        /// <param name="logCapacity">Records the log keeps; older ones may be dropped from the files.</param>
        /// <param name="segmentBytes">The largest segment file, bytes: one littlefs block (4096) on the device, so a
        /// segment write erases one block.</param>
        public LogSegments(IRecordStore store, int firstFileId, int recordBytes, int logCapacity, int segmentBytes)
        {
            _store = store;
            _firstFileId = firstFileId;
            _recordBytes = recordBytes;
            _recordsPerSegment = (segmentBytes - HeaderBytes - CrcBytes) / recordBytes;
            // Every named segment but the newest is full, and together they reach back at most to a segment
            // holding the oldest kept record: a range of logCapacity records touches at most this many.
            _maxSegments = (logCapacity + _recordsPerSegment - 1) / _recordsPerSegment + 1;
            _slots = 2 * _maxSegments;
            _slot = new int[_maxSegments];
            _first = new long[_maxSegments];
            _count = new int[_maxSegments];
            _crc = new int[_maxSegments];
            _nextSlot = new int[_maxSegments];
            _nextFirst = new long[_maxSegments];
            _nextCount = new int[_maxSegments];
            _nextCrc = new int[_maxSegments];
        }

        /// <summary>Records in a full segment.</summary>
        public int RecordsPerSegment { get { return _recordsPerSegment; } }

        /// <summary>The most segments one snapshot names.</summary>
        public int MaxSegments { get { return _maxSegments; } }

        /// <summary>Segment files in the pool (file ids first .. first + SlotCount - 1).</summary>
        public int SlotCount { get { return _slots; } }

        /// <summary>The largest log reference a snapshot carries, bytes.</summary>
        public int MaxReferenceBytes { get { return ReferenceHeaderBytes + _maxSegments * ReferenceEntryBytes; } }

        /// <summary>Segments the newest durable snapshot names.</summary>
        public int SegmentCount { get { return _segments; } }

        /// <summary>The file id of named segment <paramref name="index"/> (0 = oldest).</summary>
        public int FileIdOf(int index) { return _firstFileId + _slot[index]; }

        /// <summary>The oldest seq the newest durable snapshot's segments hold for the log.</summary>
        public long NamedOldest { get { return _oldest; } }

        /// <summary>The seq after the last one the newest durable snapshot's segments hold.</summary>
        public long NamedBound { get { return _bound; } }

        /// <summary>Segment files the last <see cref="Prepare"/> wrote.</summary>
        public int LastWrites { get { return _lastWrites; } }

        /// <summary>Bytes of the segment files the last <see cref="Prepare"/> wrote.</summary>
        public int LastWriteBytes { get { return _lastWriteBytes; } }

        /// <summary>Bytes of a segment file holding <paramref name="records"/> records.</summary>
        public int FileBytes(int records) { return HeaderBytes + records * _recordBytes + CrcBytes; }

        /// <summary>No snapshot names anything (a first start, a store of format 1, a lost state): every slot is free.</summary>
        public void Forget()
        {
            _segments = 0;
            _oldest = 0;
            _bound = 0;
            _rewriteAll = false;
        }

        /// <summary>Writes the segments the next snapshot will name for the log as it is now: keeps the full ones still
        /// needed, writes the rest into free slots (the store may throw). Call <see cref="WriteReference"/> into that
        /// snapshot, then <see cref="Adopt"/> once it is durable.</summary>
        /// <param name="log">The log.</param>
        /// <param name="scratch">A writer over a buffer of at least one segment file (reset here).</param>
        /// <returns>false when the log does not fit (a firmware bug): nothing named changes.</returns>
        public bool Prepare(IAppendOnlyState log, StateWriter scratch)
        {
            long oldest = log.OldestSeq;
            long bound = log.NextSeq;
            _nextSegments = 0;
            _lastWrites = 0;
            _lastWriteBytes = 0;
            long start = oldest;
            for (int i = 0; i < _segments && !_rewriteAll; i++)
            {
                long end = _first[i] + _count[i];
                if (end <= oldest) continue; // older than anything the log keeps: no longer named
                // A segment is kept as it is when it is full, or is the newest and nothing came after it; the first
                // kept one may begin before the oldest kept record (a restore skips those).
                if (_first[i] > start || end > bound) break;
                if (_count[i] != _recordsPerSegment && end != bound) break;
                Name(_slot[i], _first[i], _count[i], _crc[i]);
                start = end;
            }
            while (start < bound)
            {
                long left = bound - start;
                int records = left > _recordsPerSegment ? _recordsPerSegment : (int)left;
                int slot = FreeSlot();
                if (slot < 0 || _nextSegments == _maxSegments) return false;
                scratch.Reset();
                scratch.WriteByte(Magic0);
                scratch.WriteByte(Magic1);
                scratch.WriteByte(SegmentVersion);
                scratch.WriteByte(0);
                scratch.WriteLong(start);
                scratch.WriteInt(records);
                for (long seq = start; seq < start + records; seq++) log.WriteRecordBody(seq, scratch);
                if (scratch.Overflow || scratch.Position + CrcBytes > scratch.Buffer.Length) return false;
                byte[] frame = scratch.Buffer;
                int length = scratch.Position;
                int crc = Crc16.Update(Crc16.Initial, frame, 0, length);
                frame[length] = (byte)crc;
                frame[length + 1] = (byte)(crc >> 8);
                _store.Write(_firstFileId + slot, frame, 0, length + CrcBytes);
                _lastWrites++;
                _lastWriteBytes += length + CrcBytes;
                Name(slot, start, records, crc);
                start += records;
            }
            _nextOldest = oldest;
            _nextBound = bound;
            return true;
        }

        /// <summary>Writes the log reference of the prepared segments (at most <see cref="MaxReferenceBytes"/>).</summary>
        public void WriteReference(StateWriter writer)
        {
            writer.WriteLong(_nextOldest);
            writer.WriteLong(_nextBound);
            writer.WriteByte(_nextSegments);
            for (int i = 0; i < _nextSegments; i++)
            {
                writer.WriteByte(_nextSlot[i]);
                writer.WriteLong(_nextFirst[i]);
                writer.WriteByte(_nextCount[i]);
                writer.WriteByte(_nextCount[i] >> 8);
                writer.WriteByte(_nextCrc[i]);
                writer.WriteByte(_nextCrc[i] >> 8);
            }
        }

        /// <summary>The snapshot naming the prepared segments is durable: they are what is named now.</summary>
        /// <param name="suspect">True when the commit that wrote it failed after all (the application rolls its log
        /// back, so a kept segment might hold records it no longer has): the next <see cref="Prepare"/> then
        /// rewrites every segment.</param>
        public void Adopt(bool suspect)
        {
            for (int i = 0; i < _nextSegments; i++)
            {
                _slot[i] = _nextSlot[i];
                _first[i] = _nextFirst[i];
                _count[i] = _nextCount[i];
                _crc[i] = _nextCrc[i];
            }
            _segments = _nextSegments;
            _oldest = _nextOldest;
            _bound = _nextBound;
            _rewriteAll = suspect;
        }

        /// <summary>Reads a snapshot's log reference and loads the records it names into <paramref name="log"/> (which
        /// then holds [oldest, bound) and numbers on from bound).</summary>
        /// <param name="reader">The snapshot's payload, at its log reference.</param>
        /// <param name="log">The log, replaced.</param>
        /// <param name="buffer">A buffer of at least one segment file.</param>
        /// <returns>false when the reference is malformed or a named segment is missing, torn or not the one named
        /// (the caller boots into CRITICAL); the log is then empty, numbered after anything it held or was named.</returns>
        public bool Restore(StateReader reader, IAppendOnlyState log, byte[] buffer)
        {
            long previousNext = log.NextSeq;
            _segments = 0;
            long oldest = reader.ReadLong();
            long bound = reader.ReadLong();
            int count = reader.ReadByte();
            if (reader.Failed || oldest < 1 || bound < oldest || count > _maxSegments) return Fail(log, previousNext, bound);
            for (int i = 0; i < count; i++)
            {
                _slot[i] = reader.ReadByte();
                _first[i] = reader.ReadLong();
                _count[i] = reader.ReadByte() | (reader.ReadByte() << 8);
                _crc[i] = reader.ReadByte() | (reader.ReadByte() << 8);
                if (reader.Failed || _slot[i] >= _slots || _count[i] < 1 || _count[i] > _recordsPerSegment)
                {
                    return Fail(log, previousNext, bound);
                }
            }
            log.Restart(oldest);
            long expected = oldest;
            for (int i = 0; i < count; i++)
            {
                long end = _first[i] + _count[i];
                if (_first[i] > expected || end <= expected || end > bound) return Fail(log, previousNext, bound);
                int frameBytes = FileBytes(_count[i]);
                if (frameBytes > buffer.Length || _store.Read(_firstFileId + _slot[i], buffer) != frameBytes) return Fail(log, previousNext, bound);
                int crc = Crc16.Update(Crc16.Initial, buffer, 0, frameBytes - CrcBytes);
                int stored = buffer[frameBytes - 2] | (buffer[frameBytes - 1] << 8);
                StateReader header = new StateReader(buffer, 0, HeaderBytes);
                bool ok = header.ReadByte() == Magic0 && header.ReadByte() == Magic1 && header.ReadByte() == SegmentVersion;
                header.ReadByte();
                ok = ok && header.ReadLong() == _first[i] && header.ReadInt() == _count[i] && !header.Failed;
                if (!ok || crc != stored || crc != _crc[i]) return Fail(log, previousNext, bound);
                // Records of this segment older than the oldest kept one are skipped.
                int skip = (int)(expected - _first[i]);
                StateReader records = new StateReader(buffer, HeaderBytes + skip * _recordBytes, (_count[i] - skip) * _recordBytes);
                for (long seq = expected; seq < end; seq++)
                {
                    if (!log.AppendRecordBody(records)) return Fail(log, previousNext, bound);
                }
                expected = end;
            }
            if (expected != bound) return Fail(log, previousNext, bound);
            _segments = count;
            _oldest = oldest;
            _bound = bound;
            _rewriteAll = false;
            return true;
        }

        private bool Fail(IAppendOnlyState log, long previousNext, long bound)
        {
            _segments = 0;
            log.Restart(previousNext > bound ? previousNext : (bound > 0 ? bound : 1));
            return false;
        }

        private void Name(int slot, long first, int count, int crc)
        {
            _nextSlot[_nextSegments] = slot;
            _nextFirst[_nextSegments] = first;
            _nextCount[_nextSegments] = count;
            _nextCrc[_nextSegments] = crc;
            _nextSegments++;
        }

        // The lowest slot that neither the newest durable snapshot nor the one being prepared names.
        private int FreeSlot()
        {
            for (int s = 0; s < _slots; s++)
            {
                bool used = false;
                for (int i = 0; i < _segments && !used; i++) used = _slot[i] == s;
                for (int i = 0; i < _nextSegments && !used; i++) used = _nextSlot[i] == s;
                if (!used) return s;
            }
            return -1;
        }
    }
}
