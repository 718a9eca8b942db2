// The replay's serial link: bytes the script sends are queued, bytes the firmware writes are
// collected and handed back as complete lines (Latin-1, without the LF).
using PumpFirmware.Hal;

namespace PumpFirmware.Replay
{
    /// <summary>An in-memory, growable serial link.</summary>
    public sealed class ReplayLink : ISerialLink
    {
        private byte[] _incoming = new byte[256];
        private int _inHead;
        private int _inTail;
        private byte[] _sent = new byte[1024];
        private int _sentLength;

        /// <summary>Queues <paramref name="text"/> (Latin-1) as received bytes. A nanoFramework
        /// string cannot hold a NUL character (it ends the string there): send NUL bytes with
        /// <see cref="Receive(byte[], int)"/>.</summary>
        public void Receive(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
            Receive(bytes, bytes.Length);
        }

        /// <summary>Queues the first <paramref name="count"/> bytes of <paramref name="bytes"/> as received.</summary>
        public void Receive(byte[] bytes, int count)
        {
            if (_inTail + count > _incoming.Length)
            {
                byte[] grown = new byte[(_inTail - _inHead + count) * 2 + 16];
                System.Array.Copy(_incoming, _inHead, grown, 0, _inTail - _inHead);
                _inTail -= _inHead;
                _inHead = 0;
                _incoming = grown;
            }
            System.Array.Copy(bytes, 0, _incoming, _inTail, count);
            _inTail += count;
        }

        /// <inheritdoc/>
        public int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (n < count && _inHead < _inTail)
            {
                buffer[offset + n++] = _incoming[_inHead++];
            }
            if (_inHead == _inTail)
            {
                _inHead = 0;
                _inTail = 0;
            }
            return n;
        }

        /// <inheritdoc/>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (_sentLength + count > _sent.Length)
            {
                byte[] grown = new byte[(_sentLength + count) * 2];
                System.Array.Copy(_sent, 0, grown, 0, _sentLength);
                _sent = grown;
            }
            System.Array.Copy(buffer, offset, _sent, _sentLength, count);
            _sentLength += count;
        }

        /// <summary>Bytes sent and not yet taken.</summary>
        public int PendingSent { get { return _sentLength; } }

        /// <summary>Hands every complete line sent so far to <paramref name="sink"/>, each prefixed
        /// with <paramref name="prefix"/>, and forgets them; a partial line stays.</summary>
        public void TakeLines(IReplayOutput sink, string prefix)
        {
            int start = 0;
            for (int i = 0; i < _sentLength; i++)
            {
                if (_sent[i] != (byte)'\n') continue;
                char[] chars = new char[i - start];
                for (int k = 0; k < chars.Length; k++) chars[k] = (char)_sent[start + k];
                sink.Line(prefix + new string(chars));
                start = i + 1;
            }
            if (start > 0)
            {
                System.Array.Copy(_sent, start, _sent, 0, _sentLength - start);
                _sentLength -= start;
            }
        }
    }

    /// <summary>A memory record store: numbered files that survive a "power cut" of the replay
    /// (the device objects are rebuilt, the store is kept), as littlefs does on the ESP32.</summary>
    public sealed class MemoryRecordStore : IRecordStore
    {
        // Ids 0 to 23: PumpPersistence's snapshots and journal (1 to 3) and the event log's 20 segment files (4 to 23).
        // With 8, a log long enough to need a fifth segment slot made a commit throw (the pump went CRITICAL).
        private const int MaxFiles = 24;
        private readonly byte[][] _files = new byte[MaxFiles][];
        private readonly int[] _lengths = new int[MaxFiles];

        /// <summary>Bytes written (Write and Append) since the start.</summary>
        public long BytesWritten;

        /// <summary>Write and Append calls since the start.</summary>
        public long Writes;

        /// <inheritdoc/>
        public int Read(int fileId, byte[] buffer)
        {
            byte[] file = _files[fileId];
            if (file == null) return -1;
            int length = _lengths[fileId];
            System.Array.Copy(file, 0, buffer, 0, length < buffer.Length ? length : buffer.Length);
            return length;
        }

        /// <inheritdoc/>
        public void Write(int fileId, byte[] buffer, int offset, int count)
        {
            _files[fileId] = new byte[count < 64 ? 64 : count];
            _lengths[fileId] = 0;
            Append(fileId, buffer, offset, count);
        }

        /// <inheritdoc/>
        public void Append(int fileId, byte[] buffer, int offset, int count)
        {
            byte[] file = _files[fileId];
            int length = _lengths[fileId];
            if (file == null || length + count > file.Length)
            {
                byte[] grown = new byte[(length + count) * 2 + 64];
                if (file != null) System.Array.Copy(file, 0, grown, 0, length);
                file = grown;
                _files[fileId] = file;
            }
            System.Array.Copy(buffer, offset, file, length, count);
            _lengths[fileId] = length + count;
            BytesWritten += count;
            Writes++;
        }

        /// <inheritdoc/>
        public void Delete(int fileId)
        {
            _files[fileId] = null;
            _lengths[fileId] = 0;
        }

        /// <summary>Bytes the files' buffers take on the heap (the flash's share, for a heap measurement).</summary>
        public int AllocatedBytes
        {
            get
            {
                int total = 0;
                for (int i = 0; i < MaxFiles; i++) total += _files[i] == null ? 0 : _files[i].Length;
                return total;
            }
        }

        /// <summary>File <paramref name="fileId"/>'s length, bytes (-1 when absent).</summary>
        public int Length(int fileId)
        {
            return _files[fileId] == null ? -1 : _lengths[fileId];
        }
    }

    /// <summary>Where the replay prints its text, one line at a time.</summary>
    public interface IReplayOutput
    {
        /// <summary>Prints one line (no LF).</summary>
        void Line(string text);
    }
}
