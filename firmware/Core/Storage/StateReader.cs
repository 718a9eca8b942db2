// The mirror of StateWriter. Reading past the end never throws: it sets Failed and returns
// zeros, so a truncated or corrupted record is rejected by one check at the end of decoding.
namespace PumpFirmware.Storage
{
    /// <summary>Reads fixed-width little-endian fields written by <see cref="StateWriter"/>.</summary>
    public sealed class StateReader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;
        private bool _failed;

        /// <summary>Reads bytes [offset, offset + count) of <paramref name="buffer"/>.</summary>
        public StateReader(byte[] buffer, int offset, int count)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + count;
        }

        /// <summary>True once a read ran past the end or a value was out of range.</summary>
        public bool Failed { get { return _failed; } }

        /// <summary>The current read position in the buffer.</summary>
        public int Position { get { return _position; } }

        /// <summary>Marks the data invalid (a decoder found a value out of its range).</summary>
        public void Fail()
        {
            _failed = true;
        }

        public int ReadByte()
        {
            if (!Take(1)) return 0;
            return _buffer[_position++];
        }

        public bool ReadBool()
        {
            int value = ReadByte();
            if (value > 1) _failed = true;
            return value == 1;
        }

        public int ReadInt()
        {
            if (!Take(4)) return 0;
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                value |= _buffer[_position++] << (8 * i);
            }
            return value;
        }

        public long ReadLong()
        {
            if (!Take(8)) return 0;
            long value = 0;
            for (int i = 0; i < 8; i++)
            {
                value |= (long)_buffer[_position++] << (8 * i);
            }
            return value;
        }

        /// <summary>Reads a string written by <see cref="StateWriter.WriteAscii"/>.</summary>
        public string ReadAscii()
        {
            int length = ReadByte();
            if (!Take(length)) return string.Empty;
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)_buffer[_position++];
            }
            return new string(chars);
        }

        private bool Take(int count)
        {
            if (_failed || _position + count > _end)
            {
                _failed = true;
                return false;
            }
            return true;
        }
    }
}
