// Every component that must survive a reset writes its state through this: little-endian,
// fixed-width fields into a caller-owned buffer, so that snapshots cost no allocation and
// read back identically on the ESP32 and the host. Overflow is reported, never thrown past
// the caller: a snapshot that does not fit is a firmware bug, caught by the tests.
//
// Diff mode (the storage journal's): the buffer already holds the previous image; writing the
// new one over it in place records which byte ranges changed, in the same pass. A commit then
// costs one pass over the state instead of a serialization plus a comparison.
namespace PumpFirmware.Storage
{
    /// <summary>Writes fixed-width little-endian fields into a byte buffer.</summary>
    public sealed class StateWriter
    {
        private byte[] _buffer;
        private int _position;
        private bool _overflow;

        // Diff mode.
        private bool _diff;
        private int _oldLength;
        private int _mergeGap;
        private int[] _rangeStarts;
        private int[] _rangeEnds;
        private int _rangeCount;
        private bool _rangeOverflow;
        private int _openStart;
        private int _lastChange;
        private bool _compareOnly;
        private bool _differs;

        // Skipping (the journal's passes only): a component that knows its bytes in the buffer are
        // unchanged since the previous diff pass may step over them instead of comparing them.
        private bool _skipAllowed;
        private int _diffPass;

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

        /// <summary>Starts again at position 0 (reusing the buffer); ends diff mode. What is written from here goes into
        /// the buffer outside a diff pass, so no component may skip in the next diff pass (as <see cref="Invalidate"/>).</summary>
        public void Reset()
        {
            Clear();
            _diffPass++;
        }

        private void Clear()
        {
            _position = 0;
            _overflow = false;
            _diff = false;
            _compareOnly = false;
            _skipAllowed = false;
        }

        /// <summary>Starts again at position 0 in another buffer (double buffering without allocation).</summary>
        public void Retarget(byte[] buffer)
        {
            _buffer = buffer;
            Reset();
        }

        /// <summary>Starts writing a new image over the previous one (its first
        /// <paramref name="oldLength"/> bytes are in the buffer), recording the changed ranges
        /// into the caller's arrays. Ranges closer than <paramref name="mergeGap"/> bytes merge.</summary>
        public void BeginDiff(int oldLength, int[] rangeStarts, int[] rangeEnds, int mergeGap)
        {
            BeginDiff(oldLength, rangeStarts, rangeEnds, mergeGap, false);
        }

        /// <summary>As <see cref="BeginDiff(int, int[], int[], int)"/>; with <paramref name="allowSkip"/> a component
        /// that wrote its bytes at the same position in the previous diff pass over this writer, and knows which of
        /// them changed since, may write only those and step over the rest (<see cref="SkipTo"/>). The caller
        /// promises that nothing but these passes (and whole rewrites with the same values) changes the buffer,
        /// or calls <see cref="Invalidate"/> when something did.</summary>
        public void BeginDiff(int oldLength, int[] rangeStarts, int[] rangeEnds, int mergeGap, bool allowSkip)
        {
            Clear();
            _diffPass++;
            _skipAllowed = allowSkip;
            _diff = true;
            _oldLength = oldLength;
            _rangeStarts = rangeStarts;
            _rangeEnds = rangeEnds;
            _mergeGap = mergeGap;
            _rangeCount = 0;
            _rangeOverflow = false;
            _openStart = -1;
            _lastChange = -1;
        }

        /// <summary>Says that the buffer was changed outside the diff passes (an image read from the store was put
        /// in it): no component may skip in the next pass.</summary>
        public void Invalidate()
        {
            _diffPass++;
        }

        /// <summary>The number of diff passes begun on this writer (and invalidations and resets): a component that recorded
        /// the pass it last wrote in knows the buffer still holds what it wrote when this is that pass + 1.</summary>
        public int DiffPass { get { return _diffPass; } }

        /// <summary>True in a diff pass that writes into the buffer (not a compare): the buffer then ends the pass
        /// holding the image written, so a component may record what it wrote.</summary>
        public bool InDiffPass { get { return _diff && !_compareOnly; } }

        /// <summary>True when this pass may step over old bytes up to <paramref name="position"/> (see <see cref="SkipTo"/>).</summary>
        public bool CanSkipTo(int position)
        {
            return _diff && !_compareOnly && _skipAllowed && !_overflow && position >= _position && position <= _oldLength;
        }

        /// <summary>Steps over the old image's bytes up to <paramref name="position"/>, leaving them as they are and
        /// recording no change: for bytes the caller knows it would write unchanged. Check <see cref="CanSkipTo"/>
        /// first; where it is false this does nothing and returns false.</summary>
        public bool SkipTo(int position)
        {
            if (!CanSkipTo(position)) return false;
            _position = position;
            return true;
        }

        /// <summary>Starts comparing a new image with the one in the buffer (its first <paramref name="oldLength"/> bytes)
        /// without writing anything: the buffer keeps the old image (a request's rollback copy is checked this way).</summary>
        public void BeginCompare(int oldLength)
        {
            Clear();
            _diff = true;
            _compareOnly = true;
            _oldLength = oldLength;
            _differs = false;
        }

        /// <summary>Ends compare mode.</summary>
        /// <returns>true when the image written differs from the one in the buffer (a byte or the length).</returns>
        public bool EndCompare()
        {
            bool differs = _differs || _position != _oldLength;
            _diff = false;
            _compareOnly = false;
            return differs;
        }

        /// <summary>Ends diff mode. Bytes past the old length always count as changed.</summary>
        /// <returns>The number of changed ranges (start inclusive, end exclusive, in the arrays given
        /// to <see cref="BeginDiff(int, int[], int[], int, bool)"/>), or -1 if there were more than the arrays hold.</returns>
        public int EndDiff()
        {
            CloseRange();
            _diff = false;
            return _rangeOverflow ? -1 : _rangeCount;
        }

        /// <summary>Marks the image as not fitting (a component wrote other than it promised): the commit is refused,
        /// as for any overflow.</summary>
        public void MarkOverflow()
        {
            _overflow = true;
        }

        public void WriteByte(int value)
        {
            int p = _position;
            if (_overflow || p + 1 > _buffer.Length)
            {
                _overflow = true;
                return;
            }
            if (_diff)
            {
                if (p < _oldLength && _buffer[p] == (byte)value)
                {
                    _position = p + 1; // unchanged: what Put would conclude
                    return;
                }
                Put((byte)value);
                return;
            }
            _buffer[p] = (byte)value;
            _position = p + 1;
        }

        /// <summary>Writes the low <paramref name="count"/> bytes (1 to 8) of <paramref name="value"/>, lowest first, as that
        /// many <see cref="WriteByte"/> calls would: a field narrower than a long (a 24-bit offset, a 48-bit count).</summary>
        public void WriteLowBytes(long value, int count)
        {
            int p = _position;
            byte[] b = _buffer;
            if (_overflow || p + count > b.Length)
            {
                // As the bytes one at a time: those that fit, then the overflow.
                for (int i = 0; i < count; i++) WriteByte((int)(value >> (8 * i)));
                return;
            }
            if (!_diff)
            {
                for (int i = 0; i < count; i++)
                {
                    b[p + i] = (byte)value;
                    value >>= 8;
                }
                _position = p + count;
                return;
            }
            if (p + count > _oldLength)
            {
                for (int i = 0; i < count; i++) Put((byte)(value >> (8 * i)));
                return;
            }
            // As WriteLong: the old bytes as one number, xor the new ones; its non-zero bytes are the changed ones.
            long old = 0;
            for (int i = count - 1; i >= 0; i--) old = (old << 8) | b[p + i];
            long x = old ^ value;
            if (count < 8) x &= (1L << (8 * count)) - 1;
            _position = p + count;
            if (x == 0) return;
            if (_compareOnly)
            {
                _differs = true;
                return;
            }
            for (int i = 0; i < count; i++) b[p + i] = (byte)(value >> (8 * i));
            ChangedBytes(p, (int)x);
            if (count > 4) ChangedBytes(p + 4, (int)(x >> 32));
        }

        public void WriteBool(bool value)
        {
            WriteByte(value ? 1 : 0);
        }

        public void WriteInt(int value)
        {
            int q = _position;
            byte[] b = _buffer;
            if (_overflow || q + 4 > b.Length)
            {
                _overflow = true;
                return;
            }
            if (_diff)
            {
                if (q + 4 > _oldLength)
                {
                    for (int i = 0; i < 4; i++) Put((byte)(value >> (8 * i)));
                    return;
                }
                // The old field as a whole, xor the new one: 0 when unchanged (most fields at most commits), else
                // its non-zero bytes are the changed ones.
                int x = (b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24)) ^ value;
                _position = q + 4;
                if (x == 0) return;
                if (_compareOnly)
                {
                    _differs = true;
                    return;
                }
                b[q] = (byte)value;
                b[q + 1] = (byte)(value >> 8);
                b[q + 2] = (byte)(value >> 16);
                b[q + 3] = (byte)(value >> 24);
                ChangedBytes(q, x);
                return;
            }
            b[q] = (byte)value;
            b[q + 1] = (byte)(value >> 8);
            b[q + 2] = (byte)(value >> 16);
            b[q + 3] = (byte)(value >> 24);
            _position = q + 4;
        }

        public void WriteLong(long value)
        {
            int q = _position;
            byte[] b = _buffer;
            if (_overflow || q + 8 > b.Length)
            {
                _overflow = true;
                return;
            }
            int low = (int)value;
            int high = (int)(value >> 32);
            if (_diff)
            {
                if (q + 8 > _oldLength)
                {
                    for (int i = 0; i < 8; i++) Put((byte)(value >> (8 * i)));
                    return;
                }
                // Most of an image is unchanged from one commit to the next: the old field xor the new one, as two
                // halves, is 0 then; otherwise its non-zero bytes are the changed ones (3 of them change at every commit).
                int xLow = (b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24)) ^ low;
                int xHigh = (b[q + 4] | (b[q + 5] << 8) | (b[q + 6] << 16) | (b[q + 7] << 24)) ^ high;
                _position = q + 8;
                if ((xLow | xHigh) == 0) return;
                if (_compareOnly)
                {
                    _differs = true;
                    return;
                }
                StoreLong(b, q, low, high);
                ChangedBytes(q, xLow);
                ChangedBytes(q + 4, xHigh);
                return;
            }
            StoreLong(b, q, low, high);
            _position = q + 8;
        }

        /// <summary>Writes <paramref name="count"/> longs of <paramref name="source"/> from <paramref name="offset"/>, as that
        /// many <see cref="WriteLong"/> calls would (the same bytes, changes and overflow), in one call: a component's
        /// whole array (the 24 h window's 1441 buckets) in a pass that cannot skip it.</summary>
        public void WriteLongs(long[] source, int offset, int count)
        {
            int q = _position;
            byte[] b = _buffer;
            int end = q + 8 * count;
            if (_overflow || end > b.Length || (_diff && end > _oldLength))
            {
                // Near the end of the buffer or of the old image: field by field, as WriteLong decides there.
                for (int i = 0; i < count; i++) WriteLong(source[offset + i]);
                return;
            }
            if (!_diff)
            {
                for (int i = 0; i < count; i++)
                {
                    long value = source[offset + i];
                    StoreLong(b, q, (int)value, (int)(value >> 32));
                    q += 8;
                }
                _position = q;
                return;
            }
            if (_compareOnly && _differs)
            {
                _position = end; // the answer is known; only the length is still to be compared
                return;
            }
            for (int i = 0; i < count; i++)
            {
                long value = source[offset + i];
                int low = (int)value;
                int high = (int)(value >> 32);
                int xLow = (b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24)) ^ low;
                int xHigh = (b[q + 4] | (b[q + 5] << 8) | (b[q + 6] << 16) | (b[q + 7] << 24)) ^ high;
                if ((xLow | xHigh) != 0)
                {
                    if (_compareOnly)
                    {
                        _differs = true;
                        _position = end;
                        return;
                    }
                    StoreLong(b, q, low, high);
                    ChangedBytes(q, xLow);
                    ChangedBytes(q + 4, xHigh);
                }
                q += 8;
            }
            _position = end;
        }

        private static void StoreLong(byte[] b, int at, int low, int high)
        {
            b[at] = (byte)low;
            b[at + 1] = (byte)(low >> 8);
            b[at + 2] = (byte)(low >> 16);
            b[at + 3] = (byte)(low >> 24);
            b[at + 4] = (byte)high;
            b[at + 5] = (byte)(high >> 8);
            b[at + 6] = (byte)(high >> 16);
            b[at + 7] = (byte)(high >> 24);
        }

        // Records as changed, in increasing position, each byte from at whose byte of x (old xor new, lowest first)
        // is not 0: what writing the four bytes one at a time records.
        private void ChangedBytes(int at, int x)
        {
            while (x != 0)
            {
                if ((x & 0xFF) != 0)
                {
                    // Changed(at), inline.
                    if (_openStart >= 0 && at - _lastChange <= _mergeGap)
                    {
                        _lastChange = at;
                    }
                    else
                    {
                        CloseRange();
                        _openStart = at;
                        _lastChange = at;
                    }
                }
                x = (x >> 8) & 0x00FFFFFF;
                at++;
            }
        }

        /// <summary>Writes <paramref name="count"/> bytes of <paramref name="source"/> from <paramref name="offset"/> as
        /// they are (a snapshot's copy of the image): one block copy outside diff mode, byte by byte in it.</summary>
        public void WriteBytes(byte[] source, int offset, int count)
        {
            if (!Reserve(count)) return;
            if (_diff)
            {
                for (int i = 0; i < count; i++) Put(source[offset + i]);
                return;
            }
            System.Array.Copy(source, offset, _buffer, _position, count);
            _position += count;
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
            Put((byte)length);
            for (int i = 0; i < length; i++)
            {
                Put((byte)value[i]);
            }
        }

        private void Put(byte value)
        {
            int p = _position;
            if (_diff)
            {
                if (p >= _oldLength || _buffer[p] != value)
                {
                    if (_compareOnly)
                    {
                        _differs = true;
                    }
                    else
                    {
                        _buffer[p] = value;
                        Changed(p);
                    }
                }
            }
            else
            {
                _buffer[p] = value;
            }
            _position = p + 1;
        }

        private void Changed(int position)
        {
            if (_openStart >= 0 && position - _lastChange <= _mergeGap)
            {
                _lastChange = position;
                return;
            }
            CloseRange();
            _openStart = position;
            _lastChange = position;
        }

        private void CloseRange()
        {
            if (_openStart < 0) return;
            if (_rangeCount < _rangeStarts.Length)
            {
                _rangeStarts[_rangeCount] = _openStart;
                _rangeEnds[_rangeCount] = _lastChange + 1;
                _rangeCount++;
            }
            else
            {
                _rangeOverflow = true;
            }
            _openStart = -1;
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
