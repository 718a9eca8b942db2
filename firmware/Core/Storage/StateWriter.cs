// Every component that must survive a reset writes its state through this: little-endian,
// fixed-width fields into a caller-owned buffer, so that snapshots cost no allocation and
// read back identically on the ESP32 and the host. Overflow is reported, never thrown past
// the caller: a snapshot that does not fit is a firmware bug, caught by the tests.
namespace PumpFirmware.Storage
{
    /// <summary>Writes fixed-width little-endian fields into a byte buffer.</summary>
    public sealed class StateWriter
    {
        private byte[] _buffer;
        private int _position;
        private bool _overflow;

        /// <summary>Creates a writer over <paramref name="buffer"/>, starting at 0.</summary>
        public StateWriter(byte[] buffer)
        {
            _buffer = buffer;
        }

        /// <summary>Bytes written so far.</summary>
        public int Position { get { return _position; } }

        /// <summary>True once a write did not fit; everything after it was dropped.</summary>
        public bool Overflow { get { return _overflow; } }

        /// <summary>The buffer being written.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Starts again at position 0 (reusing the buffer).</summary>
        public void Reset()
        {
            _position = 0;
            _overflow = false;
        }

        /// <summary>Starts again at position 0 in another buffer (double buffering without allocation).</summary>
        public void Retarget(byte[] buffer)
        {
            _buffer = buffer;
            Reset();
        }

        public void WriteByte(int value)
        {
            if (!Reserve(1)) return;
            _buffer[_position++] = (byte)value;
        }

        public void WriteBool(bool value)
        {
            WriteByte(value ? 1 : 0);
        }

        public void WriteInt(int value)
        {
            if (!Reserve(4)) return;
            for (int i = 0; i < 4; i++)
            {
                _buffer[_position++] = (byte)(value >> (8 * i));
            }
        }

        public void WriteLong(long value)
        {
            if (!Reserve(8)) return;
            for (int i = 0; i < 8; i++)
            {
                _buffer[_position++] = (byte)(value >> (8 * i));
            }
        }

        /// <summary>Writes an ASCII string of at most 255 characters (length byte first).</summary>
        public void WriteAscii(string value)
        {
            int length = value == null ? 0 : value.Length;
            if (length > 255 || !Reserve(1 + length))
            {
                _overflow = true;
                return;
            }
            _buffer[_position++] = (byte)length;
            for (int i = 0; i < length; i++)
            {
                _buffer[_position++] = (byte)value[i];
            }
        }

        private bool Reserve(int count)
        {
            if (_overflow || _position + count > _buffer.Length)
            {
                _overflow = true;
                return false;
            }
            return true;
        }
    }
}
