// Durable state on a store that promises nothing (IRecordStore: any write may be cut at any
// byte by a power loss, bits may rot). Two snapshot copies A and B, written alternately, each
// with a sequence number and a CRC-16, so that cutting a snapshot write leaves the other
// copy intact; plus an append-only journal of small delta records (CRC'd, numbered, tied to
// the snapshot they extend) for the frequent small updates, so that a snapshot (tens of kB) is
// not rewritten every microlitre. The caller compacts (writes a new snapshot) when the journal
// is full. Format: docs/STORAGE.md. Format 2 (since the event log moved to files of its own,
// LogSegments) is written; a snapshot of format 1 (the whole log inside) is still read, into a
// buffer allocated for that one boot, so the frame buffer needs to hold only a format 2 snapshot.
//
// Invariants that make every cut safe:
// - a snapshot goes to the slot NOT holding the newest valid one, so a cut loses only the new one;
// - journal records carry the snapshot's sequence and a running index, so records left over
//   from an older snapshot, or after a torn record, are never applied;
// - after a snapshot the journal file is deleted before anything is appended;
// - after a boot that found a torn or stale journal tail the caller must snapshot before
//   appending (NeedsSnapshot), so new records never land behind garbage.
using PumpFirmware.Hal;
using PumpFirmware.Units;

namespace PumpFirmware.Storage
{
    /// <summary>Two CRC'd snapshot copies plus an append-only delta journal on an <see cref="IRecordStore"/>.</summary>
    public sealed class Journal
    {
        /// <summary>Snapshot header: magic (2), version (1), flags (1), sequence (8), payload length (4).</summary>
        public const int SnapshotHeaderBytes = 16;

        /// <summary>Delta header: magic (1), payload length (2), snapshot sequence (8), record index (4).</summary>
        public const int DeltaHeaderBytes = 15;

        /// <summary>Bytes of CRC-16 after a snapshot or delta.</summary>
        public const int CrcBytes = 2;

        /// <summary>The largest delta payload, bytes.</summary>
        public const int MaxDeltaPayloadBytes = 4096;

        private const byte SnapshotMagic0 = 0x50; // 'P'
        private const byte SnapshotMagic1 = 0x53; // 'S'
        /// <summary>The snapshot format written: 2, a payload of the image and a log reference (LogSegments).</summary>
        public const byte FormatVersion = 2;

        /// <summary>The older snapshot format still read: 1, a payload of the image and the whole event log.</summary>
        public const byte LegacyFormatVersion = 1;
        private const byte DeltaMagic = 0xD7;

        private readonly IRecordStore _store;
        private readonly int _fileA;
        private readonly int _fileB;
        private readonly int _fileJournal;
        private readonly int _maxPayloadBytes;
        private readonly int _maxLegacyPayloadBytes;
        private readonly int _journalCapacityBytes;

        // One frame buffer for reading and writing snapshots: RAM is scarce on the ESP32.
        private readonly byte[] _snapshotFrame;
        // The frame a boot read: the frame buffer, or (a store of format 1) a larger one of its own,
        // dropped at the next snapshot.
        private byte[] _openFrame;
        private int _openVersion;
        private readonly byte[] _journalBuffer;
        private readonly byte[] _deltaFrame;

        private long _sequence;
        private int _slotOfNewest; // 0 = A, 1 = B, -1 = none valid
        private int _journalBytes;
        private int _nextDeltaIndex;
        private bool _needsSnapshot;

        private int _openPayloadLength;
        private int _openDeltaCount;
        private int[] _openDeltaOffsets;
        private int[] _openDeltaLengths;

        /// <summary>Creates a journal over files <paramref name="firstFileId"/> (snapshot A),
        /// +1 (snapshot B) and +2 (journal) of <paramref name="store"/>. Allocates its buffers once.</summary>
        /// <param name="store">The store.</param>
        /// <param name="firstFileId">The first of three consecutive file ids.</param>
        /// <param name="maxPayloadBytes">The largest snapshot payload, bytes.</param>
        /// <param name="journalCapacityBytes">The journal file's size limit, bytes. A delta that does
        /// not fit is refused, and the caller writes a snapshot instead.</param>
        public Journal(IRecordStore store, int firstFileId, int maxPayloadBytes, int journalCapacityBytes)
            : this(store, firstFileId, maxPayloadBytes, journalCapacityBytes, maxPayloadBytes)
        {
        }

        /// <summary>Creates a journal that also reads snapshots of format 1 up to <paramref name="maxLegacyPayloadBytes"/>
        /// (their payload held the whole event log), into a buffer allocated at that boot only.</summary>
        public Journal(IRecordStore store, int firstFileId, int maxPayloadBytes, int journalCapacityBytes, int maxLegacyPayloadBytes)
        {
            _maxLegacyPayloadBytes = maxLegacyPayloadBytes;
            _store = store;
            _fileA = firstFileId;
            _fileB = firstFileId + 1;
            _fileJournal = firstFileId + 2;
            _maxPayloadBytes = maxPayloadBytes;
            _journalCapacityBytes = journalCapacityBytes;
            _snapshotFrame = new byte[SnapshotHeaderBytes + maxPayloadBytes + CrcBytes];
            _openFrame = _snapshotFrame;
            _journalBuffer = new byte[journalCapacityBytes];
            _deltaFrame = new byte[DeltaHeaderBytes + MaxDeltaPayloadBytes + CrcBytes];
            _openDeltaOffsets = new int[16];
            _openDeltaLengths = new int[16];
            _slotOfNewest = -1;
        }

        /// <summary>The sequence number of the newest snapshot (0 before any).</summary>
        public long SnapshotSequence { get { return _sequence; } }

        /// <summary>Bytes in the journal file now.</summary>
        public int JournalBytes { get { return _journalBytes; } }

        /// <summary>The journal's capacity, bytes.</summary>
        public int JournalCapacityBytes { get { return _journalCapacityBytes; } }

        /// <summary>Delta records appended since the last snapshot.</summary>
        public int DeltaCount { get { return _nextDeltaIndex; } }

        /// <summary>True when the next write must be a snapshot (after a boot that found a torn
        /// or stale journal, or none at all). <see cref="AppendDelta"/> refuses until then.</summary>
        public bool NeedsSnapshot { get { return _needsSnapshot; } }

        /// <summary>Bytes a delta of <paramref name="payloadLength"/> takes in the journal.</summary>
        public static int DeltaFrameBytes(int payloadLength)
        {
            return DeltaHeaderBytes + payloadLength + CrcBytes;
        }

        // ------------------------------------------------------------------ boot

        /// <summary>Reads the store: picks the newest valid snapshot and finds the valid journal
        /// records that extend it. Afterwards read <see cref="OpenPayload"/> and
        /// <see cref="GetOpenDelta"/>; <see cref="NeedsSnapshot"/> is then true.</summary>
        public JournalOpenResult Open()
        {
            _needsSnapshot = true;
            _openDeltaCount = 0;
            _openPayloadLength = 0;
            _journalBytes = 0;
            _nextDeltaIndex = 0;

            int lengthA;
            long seqA = ReadSnapshot(_fileA, out lengthA);
            int lengthB;
            long seqB = ReadSnapshot(_fileB, out lengthB);

            if (seqA <= 0 && seqB <= 0)
            {
                _sequence = 0;
                _slotOfNewest = -1;
                _openFrame = _snapshotFrame;
                int journalLength = _store.Read(_fileJournal, _journalBuffer);
                bool anything = lengthA >= 0 || lengthB >= 0 || journalLength > 0;
                return anything ? JournalOpenResult.Corrupt : JournalOpenResult.Empty;
            }

            if (seqB > seqA)
            {
                _sequence = seqB; // B is in the open frame already
                _slotOfNewest = 1;
            }
            else
            {
                if (ReadSnapshot(_fileA, out lengthA) != seqA)
                {
                    return JournalOpenResult.Corrupt; // changed under us: treat as unreadable
                }
                _sequence = seqA;
                _slotOfNewest = 0;
            }
            _openPayloadLength = ReadInt(_openFrame, 12);
            _openVersion = _openFrame[2];

            int length = _store.Read(_fileJournal, _journalBuffer);
            if (length > _journalBuffer.Length) length = _journalBuffer.Length;
            int position = 0;
            while (length > 0 && position + DeltaHeaderBytes + CrcBytes <= length)
            {
                if (_journalBuffer[position] != DeltaMagic) break;
                int payload = _journalBuffer[position + 1] | (_journalBuffer[position + 2] << 8);
                if (payload > MaxDeltaPayloadBytes) break;
                int frame = DeltaHeaderBytes + payload + CrcBytes;
                if (position + frame > length) break;
                int crc = Crc16.Update(Crc16.Initial, _journalBuffer, position, frame - CrcBytes);
                int stored = _journalBuffer[position + frame - 2] | (_journalBuffer[position + frame - 1] << 8);
                if (crc != stored) break;
                if (ReadLong(_journalBuffer, position + 3) != _sequence) break;
                if (ReadInt(_journalBuffer, position + 11) != _openDeltaCount) break;
                AddOpenDelta(position + DeltaHeaderBytes, payload);
                position += frame;
            }
            return JournalOpenResult.Restored;
        }

        /// <summary>The restored snapshot's payload: bytes [<see cref="SnapshotHeaderBytes"/>,
        /// + <see cref="OpenPayloadLength"/>) of this buffer. Valid until the next
        /// <see cref="WriteSnapshot"/> (which reuses the buffer).</summary>
        public byte[] OpenPayload { get { return _openFrame; } }

        /// <summary>The restored snapshot's format: <see cref="FormatVersion"/> or <see cref="LegacyFormatVersion"/>.</summary>
        public int OpenFormatVersion { get { return _openVersion; } }

        /// <summary>Length of the restored payload, bytes.</summary>
        public int OpenPayloadLength { get { return _openPayloadLength; } }

        /// <summary>Number of valid journal records found by <see cref="Open"/>.</summary>
        public int OpenDeltaCount { get { return _openDeltaCount; } }

        /// <summary>The buffer holding the journal records found by <see cref="Open"/>.</summary>
        public byte[] OpenDeltaBuffer { get { return _journalBuffer; } }

        /// <summary>Where record <paramref name="index"/> lies in <see cref="OpenDeltaBuffer"/>.</summary>
        public void GetOpenDelta(int index, out int offset, out int length)
        {
            offset = _openDeltaOffsets[index];
            length = _openDeltaLengths[index];
        }

        // ------------------------------------------------------------------ running

        /// <summary>Writes a new snapshot (sequence + 1) into the slot not holding the newest valid
        /// one, then deletes the journal. Returns false (nothing written) if too large.</summary>
        public bool WriteSnapshot(byte[] payload, int offset, int length)
        {
            if (length < 0 || length > _maxPayloadBytes) return false;
            long sequence = _sequence + 1;
            byte[] frame = _snapshotFrame;
            frame[0] = SnapshotMagic0;
            frame[1] = SnapshotMagic1;
            frame[2] = FormatVersion;
            frame[3] = 0;
            WriteLong(frame, 4, sequence);
            WriteInt(frame, 12, length);
            CopyBytes(payload, offset, frame, SnapshotHeaderBytes, length);
            int crc = Crc16.Update(Crc16.Initial, frame, 0, SnapshotHeaderBytes + length);
            frame[SnapshotHeaderBytes + length] = (byte)crc;
            frame[SnapshotHeaderBytes + length + 1] = (byte)(crc >> 8);
            int slot = _slotOfNewest == 0 ? 1 : 0;
            _openFrame = _snapshotFrame; // a format 1 frame read at boot is no longer needed
            // A store that throws part-way must leave the next write a snapshot: nothing is ever appended behind a
            // journal that was not deleted, or behind a torn record.
            _needsSnapshot = true;
            _store.Write(slot == 0 ? _fileA : _fileB, frame, 0, SnapshotHeaderBytes + length + CrcBytes);
            _sequence = sequence;
            _slotOfNewest = slot;
            _store.Delete(_fileJournal);
            _journalBytes = 0;
            _nextDeltaIndex = 0;
            _needsSnapshot = false;
            return true;
        }

        /// <summary>True when a delta of <paramref name="length"/> bytes fits the journal now.</summary>
        public bool CanAppend(int length)
        {
            return !_needsSnapshot && length >= 0 && length <= MaxDeltaPayloadBytes
                && _journalBytes + DeltaFrameBytes(length) <= _journalCapacityBytes;
        }

        /// <summary>Appends one delta record. Returns false (nothing written) when it does not
        /// fit or a snapshot is due: the caller then writes a snapshot instead.</summary>
        public bool AppendDelta(byte[] payload, int offset, int length)
        {
            if (!CanAppend(length)) return false;
            byte[] frame = _deltaFrame;
            frame[0] = DeltaMagic;
            frame[1] = (byte)length;
            frame[2] = (byte)(length >> 8);
            WriteLong(frame, 3, _sequence);
            WriteInt(frame, 11, _nextDeltaIndex);
            CopyBytes(payload, offset, frame, DeltaHeaderBytes, length);
            int crc = Crc16.Update(Crc16.Initial, frame, 0, DeltaHeaderBytes + length);
            frame[DeltaHeaderBytes + length] = (byte)crc;
            frame[DeltaHeaderBytes + length + 1] = (byte)(crc >> 8);
            int total = DeltaFrameBytes(length);
            _needsSnapshot = true; // until the append returns (a store that throws may have torn it)
            _store.Append(_fileJournal, frame, 0, total);
            _needsSnapshot = false;
            _journalBytes += total;
            _nextDeltaIndex++;
            return true;
        }

        // ------------------------------------------------------------------ helpers

        // Reads a snapshot copy into the open frame and returns its sequence if valid, else 0. A copy larger than the
        // frame buffer can only be of format 1: it is read into a buffer of its own (a boot-time allocation, once).
        private long ReadSnapshot(int fileId, out int length)
        {
            _openFrame = _snapshotFrame;
            length = _store.Read(fileId, _snapshotFrame);
            if (length > _snapshotFrame.Length)
            {
                if (length > SnapshotHeaderBytes + _maxLegacyPayloadBytes + CrcBytes) return 0;
                byte[] larger = new byte[length];
                if (_store.Read(fileId, larger) != length) return 0;
                _openFrame = larger;
            }
            return Validate(_openFrame, length);
        }

        // Returns the snapshot's sequence if the frame is valid, else 0.
        private long Validate(byte[] frame, int length)
        {
            if (length < SnapshotHeaderBytes + CrcBytes || length > frame.Length) return 0;
            if (frame[0] != SnapshotMagic0 || frame[1] != SnapshotMagic1) return 0;
            int maxPayload;
            if (frame[2] == FormatVersion) maxPayload = _maxPayloadBytes;
            else if (frame[2] == LegacyFormatVersion) maxPayload = _maxLegacyPayloadBytes;
            else return 0;
            long sequence = ReadLong(frame, 4);
            int payload = ReadInt(frame, 12);
            if (sequence <= 0 || payload < 0 || payload > maxPayload) return 0;
            if (length != SnapshotHeaderBytes + payload + CrcBytes) return 0;
            int crc = Crc16.Update(Crc16.Initial, frame, 0, SnapshotHeaderBytes + payload);
            int stored = frame[SnapshotHeaderBytes + payload] | (frame[SnapshotHeaderBytes + payload + 1] << 8);
            return crc == stored ? sequence : 0;
        }

        private void AddOpenDelta(int offset, int length)
        {
            if (_openDeltaCount == _openDeltaOffsets.Length)
            {
                // Boot-time only: grows with the journal found, bounded by its capacity.
                int[] offsets = new int[_openDeltaOffsets.Length * 2];
                int[] lengths = new int[_openDeltaLengths.Length * 2];
                for (int i = 0; i < _openDeltaCount; i++)
                {
                    offsets[i] = _openDeltaOffsets[i];
                    lengths[i] = _openDeltaLengths[i];
                }
                _openDeltaOffsets = offsets;
                _openDeltaLengths = lengths;
            }
            _openDeltaOffsets[_openDeltaCount] = offset;
            _openDeltaLengths[_openDeltaCount] = length;
            _openDeltaCount++;
        }

        private static void CopyBytes(byte[] from, int fromOffset, byte[] to, int toOffset, int count)
        {
            System.Array.Copy(from, fromOffset, to, toOffset, count);
        }

        private static void WriteInt(byte[] buffer, int offset, int value)
        {
            for (int i = 0; i < 4; i++) buffer[offset + i] = (byte)(value >> (8 * i));
        }

        private static void WriteLong(byte[] buffer, int offset, long value)
        {
            for (int i = 0; i < 8; i++) buffer[offset + i] = (byte)(value >> (8 * i));
        }

        private static int ReadInt(byte[] buffer, int offset)
        {
            int value = 0;
            for (int i = 0; i < 4; i++) value |= buffer[offset + i] << (8 * i);
            return value;
        }

        private static long ReadLong(byte[] buffer, int offset)
        {
            long value = 0;
            for (int i = 0; i < 8; i++) value |= (long)buffer[offset + i] << (8 * i);
            return value;
        }
    }
}
