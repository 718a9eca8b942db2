// Makes the application's state durable on a Journal. A commit writes, in ONE journal record
// (so it is applied whole or not at all), the bytes of the state image that changed since
// the last commit plus the log records appended since; when the journal is full, or right
// after a boot, it compacts instead: the log records since the last snapshot go into the log's
// own segment files (LogSegments) first, then a snapshot of the whole image that names them.
// So a commit costs a few dozen bytes of flash, a snapshot is written every few hundred commits
// and holds the image only (the log is not rewritten with it), which is what lets a year of
// virtual time run in seconds and keeps flash wear low. Format of the records: docs/STORAGE.md.
namespace PumpFirmware.Storage
{
    /// <summary>Diffing, journalling persistence of an <see cref="IPersistentState"/> and an <see cref="IAppendOnlyState"/>.</summary>
    public sealed class DurableState
    {
        /// <summary>Payload kind of a delta record (the first byte).</summary>
        public const int DeltaKind = 1;

        // A changed range costs a 5-byte header (offset 3, length 2); two ranges closer than
        // this are merged into one.
        private const int MergeGapBytes = 6;
        private const int MaxLogRecordsPerDelta = 60;
        private const int MaxRanges = 256;

        private readonly Journal _journal;
        private readonly LogSegments _segments;
        private readonly IPersistentState _state;
        private readonly IAppendOnlyState _log;
        private readonly int _maxStateBytes;

        private readonly byte[] _image;   // the last committed image, rewritten in place by each commit
        private int _imageLength;
        private readonly StateWriter _imageWriter;
        private readonly int[] _rangeStarts = new int[MaxRanges];
        private readonly int[] _rangeEnds = new int[MaxRanges];
        private bool _imageDamaged;
        private readonly byte[] _delta;
        private readonly StateWriter _deltaWriter;
        private readonly byte[] _snapshot;
        private readonly StateWriter _snapshotWriter;
        private long _persistedLogSeq;
        private int _lastCommitBytes;
        private long _commits;
        private long _snapshots;
        private long _deltas;

        /// <summary>Creates the persistence; allocates all its buffers once.</summary>
        /// <param name="journal">Where the image goes.</param>
        /// <param name="segments">Where the log goes at each snapshot (its segment files are at most
        /// <see cref="Journal.MaxDeltaPayloadBytes"/>: they are built in the delta buffer, idle during a snapshot).</param>
        /// <param name="state">The image.</param>
        /// <param name="log">The event log.</param>
        /// <param name="maxStateBytes">Largest image <paramref name="state"/> writes.</param>
        public DurableState(Journal journal, LogSegments segments, IPersistentState state, IAppendOnlyState log, int maxStateBytes)
        {
            _journal = journal;
            _segments = segments;
            _state = state;
            _log = log;
            _maxStateBytes = maxStateBytes;
            _image = new byte[maxStateBytes];
            _imageWriter = new StateWriter(_image);
            _delta = new byte[Journal.MaxDeltaPayloadBytes];
            _deltaWriter = new StateWriter(_delta);
            _snapshot = new byte[SnapshotPayloadBytes(maxStateBytes, segments.MaxReferenceBytes)];
            _snapshotWriter = new StateWriter(_snapshot);
        }

        /// <summary>The snapshot payload's largest size (format 2: the image and a log reference; for sizing the Journal).</summary>
        public static int SnapshotPayloadBytes(int maxStateBytes, int maxReferenceBytes)
        {
            return 4 + maxStateBytes + maxReferenceBytes;
        }

        /// <summary>The largest payload of a snapshot of format 1 (the image and the whole log), still read at boot.</summary>
        public static int LegacySnapshotPayloadBytes(int maxStateBytes, int maxLogBytes)
        {
            return 4 + maxStateBytes + maxLogBytes;
        }

        /// <summary>The log's segment files.</summary>
        public LogSegments Segments { get { return _segments; } }

        /// <summary>Commits since construction.</summary>
        public long Commits { get { return _commits; } }

        /// <summary>Snapshots written since construction.</summary>
        public long Snapshots { get { return _snapshots; } }

        /// <summary>Delta records written since construction.</summary>
        public long Deltas { get { return _deltas; } }

        /// <summary>Bytes the last commit wrote (0 when nothing had changed).</summary>
        public int LastCommitBytes { get { return _lastCommitBytes; } }

        /// <summary>The state image last committed or restored: bytes [0, <see cref="ImageLength"/>).
        /// Read only (diagnostics and crash tests).</summary>
        public byte[] Image { get { return _image; } }

        /// <summary>Length of <see cref="Image"/>, bytes.</summary>
        public int ImageLength { get { return _imageLength; } }

        /// <summary>When true, every commit compares the whole image, as before components could skip what they
        /// know is unchanged (the sim benchmark's baseline). The bytes written are the same either way.</summary>
        public bool WholeImagePasses { get; set; }

        /// <summary>Journal records replayed by the last <see cref="Boot"/>.</summary>
        public int ReplayedDeltas { get; private set; }

        /// <summary>Restores the state and the log from the store.</summary>
        /// <returns><see cref="JournalOpenResult.Empty"/> (nothing stored: state and log untouched),
        /// <see cref="JournalOpenResult.Restored"/>, or <see cref="JournalOpenResult.Corrupt"/>
        /// (no valid snapshot, or one that does not decode: the caller boots into CRITICAL).</returns>
        public JournalOpenResult Boot()
        {
            try
            {
                return Restore();
            }
            catch (System.Exception)
            {
                // A store that throws on reading (a file replaced by a folder, a failing flash) holds nothing
                // the pump can trust: it boots into CRITICAL, never crashes.
                _imageDamaged = true;
                return JournalOpenResult.Corrupt;
            }
        }

        private JournalOpenResult Restore()
        {
            ReplayedDeltas = 0;
            _imageWriter.Invalidate(); // the image is about to be read from the store, not written by a pass
            _segments.Forget(); // until a snapshot of format 2 names segments, no slot is in use
            JournalOpenResult result = _journal.Open();
            if (result != JournalOpenResult.Restored) return result;

            byte[] payload = _journal.OpenPayload;
            StateReader reader = new StateReader(payload, Journal.SnapshotHeaderBytes, _journal.OpenPayloadLength);
            int stateLength = reader.ReadInt();
            if (reader.Failed || stateLength < 0 || stateLength > _maxStateBytes
                || Journal.SnapshotHeaderBytes + 4 + stateLength > Journal.SnapshotHeaderBytes + _journal.OpenPayloadLength)
            {
                return JournalOpenResult.Corrupt;
            }
            int start = Journal.SnapshotHeaderBytes + 4;
            for (int i = 0; i < stateLength; i++) _image[i] = payload[start + i];
            _imageLength = stateLength;
            StateReader logReader = new StateReader(payload, start + stateLength,
                _journal.OpenPayloadLength - 4 - stateLength);
            if (_journal.OpenFormatVersion == Journal.LegacyFormatVersion)
            {
                // Format 1: the whole log followed the image. The boot's snapshot moves it into segment files.
                if (!_log.Load(logReader)) return JournalOpenResult.Corrupt;
            }
            else if (!_segments.Restore(logReader, _log, _delta))
            {
                return JournalOpenResult.Corrupt;
            }

            byte[] deltas = _journal.OpenDeltaBuffer;
            for (int d = 0; d < _journal.OpenDeltaCount; d++)
            {
                int offset;
                int length;
                _journal.GetOpenDelta(d, out offset, out length);
                // A record passed its CRC, so it was written whole; a record that still fails
                // to decode is a firmware bug: stop there rather than guess.
                if (!ApplyDelta(deltas, offset, length)) break;
                ReplayedDeltas++;
            }

            StateReader stateReader = new StateReader(_image, 0, _imageLength);
            if (!_state.LoadState(stateReader) || stateReader.Failed) return JournalOpenResult.Corrupt;
            _persistedLogSeq = _log.NextSeq;
            return JournalOpenResult.Restored;
        }

        /// <summary>Makes the current state and log durable: one journal record with what changed,
        /// or a snapshot when the journal is full or a boot just happened.</summary>
        /// <returns>false if the state did not fit its buffer (a firmware bug; nothing written) or a write failed (the
        /// store threw: the next commit then writes a whole snapshot).</returns>
        public bool Commit()
        {
            try
            {
                return CommitOnce();
            }
            catch (System.Exception)
            {
                // The image in RAM was already rewritten by the diff pass and the store may hold a torn record:
                // resynchronise with a snapshot at the next commit.
                _imageDamaged = true;
                return false;
            }
        }

        private bool CommitOnce()
        {
            _commits++;
            _lastCommitBytes = 0;
            // One pass: the new image is written over the last one, recording what changed.
            // Components that know which of their bytes changed since the last pass (the 24 h window) write only those.
            _imageWriter.BeginDiff(_imageDamaged ? 0 : _imageLength, _rangeStarts, _rangeEnds, MergeGapBytes, !WholeImagePasses);
            _state.SaveState(_imageWriter);
            int ranges = _imageWriter.EndDiff();
            if (_imageWriter.Overflow)
            {
                _imageDamaged = true; // a firmware bug; the next commit writes a snapshot
                return false;
            }
            int newLength = _imageWriter.Position;

            if (_journal.NeedsSnapshot || _imageDamaged || ranges < 0) return Snapshot(newLength);

            long logFrom = _persistedLogSeq;
            if (logFrom < _log.OldestSeq) logFrom = _log.OldestSeq;
            long logCount = _log.NextSeq - logFrom;
            if (logCount > MaxLogRecordsPerDelta) return Snapshot(newLength);
            if (ranges == 0 && logCount == 0 && newLength == _imageLength)
            {
                return true; // nothing changed: no write at all
            }

            _deltaWriter.Reset();
            _deltaWriter.WriteByte(DeltaKind);
            _deltaWriter.WriteInt(newLength);
            _deltaWriter.WriteInt(ranges);
            for (int r = 0; r < ranges; r++)
            {
                int start = _rangeStarts[r];
                int length = _rangeEnds[r] - start;
                if (length > 0xFFFF) return Snapshot(newLength);
                // u24 offset, u16 length: five bytes in one call.
                _deltaWriter.WriteLowBytes((start & 0xFFFFFF) | ((long)(length & 0xFFFF) << 24), 5);
                _deltaWriter.WriteBytes(_image, start, length);
                if (_deltaWriter.Overflow) return Snapshot(newLength);
            }
            _deltaWriter.WriteByte((int)logCount);
            for (long seq = logFrom; seq < _log.NextSeq; seq++) _log.WriteRecord(seq, _deltaWriter);
            if (_deltaWriter.Overflow) return Snapshot(newLength);

            int end = _deltaWriter.Position;
            if (!_journal.AppendDelta(_delta, 0, end)) return Snapshot(newLength);
            _deltas++;
            _lastCommitBytes = Journal.DeltaFrameBytes(end);
            _imageLength = newLength;
            _persistedLogSeq = _log.NextSeq;
            return true;
        }

        /// <summary>Writes a snapshot now, whatever the journal holds.</summary>
        public bool ForceSnapshot()
        {
            try
            {
                return ForceSnapshotOnce();
            }
            catch (System.Exception)
            {
                _imageDamaged = true;
                return false;
            }
        }

        private bool ForceSnapshotOnce()
        {
            _imageWriter.Reset();
            _state.SaveState(_imageWriter);
            if (_imageWriter.Overflow)
            {
                _imageDamaged = true;
                return false;
            }
            return Snapshot(_imageWriter.Position);
        }

        private bool Snapshot(int newLength)
        {
            // The log's segments first: the snapshot names them, so they must be whole before it is (a cut between
            // the two leaves the last snapshot and the files it names as they were).
            if (!_segments.Prepare(_log, _deltaWriter))
            {
                _imageDamaged = true; // a firmware bug (the log does not fit its files): nothing is named that was not
                return false;
            }
            _snapshotWriter.Reset();
            _snapshotWriter.WriteInt(newLength);
            _snapshotWriter.WriteBytes(_image, 0, newLength);
            _segments.WriteReference(_snapshotWriter);
            long sequence = _journal.SnapshotSequence;
            bool written = false;
            bool returned = false;
            try
            {
                written = !_snapshotWriter.Overflow && _journal.WriteSnapshot(_snapshot, 0, _snapshotWriter.Position);
                returned = true;
            }
            finally
            {
                // The snapshot is durable once its write returned, even if deleting the journal then threw: from
                // then on it names the new segments, and the slots of the old ones are free.
                if (_journal.SnapshotSequence != sequence) _segments.Adopt(!returned);
            }
            if (!written)
            {
                _imageDamaged = true; // RAM holds an image the store does not: resync with the next snapshot
                return false;
            }
            _snapshots++;
            _lastCommitBytes = _segments.LastWriteBytes + Journal.SnapshotHeaderBytes + _snapshotWriter.Position + Journal.CrcBytes;
            _imageLength = newLength;
            _imageDamaged = false;
            _persistedLogSeq = _log.NextSeq;
            return true;
        }

        private bool ApplyDelta(byte[] buffer, int offset, int length)
        {
            StateReader reader = new StateReader(buffer, offset, length);
            if (reader.ReadByte() != DeltaKind) return false;
            int newLength = reader.ReadInt();
            int patches = reader.ReadInt();
            if (reader.Failed || newLength < 0 || newLength > _maxStateBytes || patches < 0) return false;
            // Bytes past the old end that no patch covers would be stale: the diff always covers
            // them (a byte beyond the old length counts as changed), so this only guards bugs.
            for (int p = 0; p < patches; p++)
            {
                int start = reader.ReadByte() | (reader.ReadByte() << 8) | (reader.ReadByte() << 16);
                int count = reader.ReadByte() | (reader.ReadByte() << 8);
                if (reader.Failed || start + count > newLength) return false;
                for (int k = 0; k < count; k++) _image[start + k] = (byte)reader.ReadByte();
            }
            _imageLength = newLength;
            int records = reader.ReadByte();
            for (int r = 0; r < records; r++)
            {
                if (!_log.ReadRecord(reader)) return false;
            }
            return !reader.Failed;
        }
    }
}
