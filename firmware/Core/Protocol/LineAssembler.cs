// Bytes arrive from the UART in arbitrary chunks; the protocol is line-based. This turns the
// byte stream into request lines in a fixed buffer (no allocation), applying PROTOCOL.md's
// framing rules: LF ends a line, a CR right before the LF is dropped, a line longer than 200
// characters is reported once and discarded up to the next LF, and empty lines are skipped.
namespace PumpFirmware.Protocol
{
    /// <summary>Assembles request lines from received bytes, one byte at a time.</summary>
    public sealed class LineAssembler
    {
        /// <summary>The longest request line, in characters before its terminator.</summary>
        public const int MaxLineLength = 200;

        /// <summary><see cref="Push"/> result: nothing to do yet.</summary>
        public const int None = 0;

        /// <summary><see cref="Push"/> result: a complete non-empty line is in <see cref="Buffer"/>.</summary>
        public const int LineReady = 1;

        /// <summary><see cref="Push"/> result: the current line just exceeded the limit; answer
        /// <c>ERR 400 line too long</c> once. The rest of the line up to LF is discarded.</summary>
        public const int LineTooLong = 2;

        private const byte Cr = 13;
        private const byte Lf = 10;

        private readonly char[] _buffer = new char[MaxLineLength];
        private int _length;
        private bool _pendingCr;
        private bool _discarding;
        private bool _lineDone;

        /// <summary>The characters of the line (one char per received byte, 0..255).
        /// Valid after <see cref="Push"/> returned <see cref="LineReady"/>, until the next Push.</summary>
        public char[] Buffer { get { return _buffer; } }

        /// <summary>The line's length in characters (1..200) after <see cref="LineReady"/>.</summary>
        public int Length { get { return _length; } }

        /// <summary>Consumes one received byte.</summary>
        /// <returns><see cref="None"/>, <see cref="LineReady"/> or <see cref="LineTooLong"/>.</returns>
        public int Push(byte value)
        {
            if (_lineDone)
            {
                _lineDone = false;
                _length = 0;
            }

            if (value == Lf)
            {
                // A CR right before the LF is dropped, whatever else happened to the line.
                _pendingCr = false;
                if (_discarding)
                {
                    _discarding = false;
                    _length = 0;
                    return None;
                }
                if (_length == 0)
                {
                    return None;
                }
                _lineDone = true;
                return LineReady;
            }

            int result = None;
            if (_pendingCr)
            {
                // The CR was not followed by LF: it is part of the line after all.
                _pendingCr = false;
                result = Append((char)Cr);
            }
            if (value == Cr)
            {
                _pendingCr = true;
                return result;
            }
            int appended = Append((char)value);
            return result != None ? result : appended;
        }

        /// <summary>Forgets any partial line (used at boot).</summary>
        public void Reset()
        {
            _length = 0;
            _pendingCr = false;
            _discarding = false;
            _lineDone = false;
        }

        private int Append(char c)
        {
            if (_discarding)
            {
                return None;
            }
            if (_length == MaxLineLength)
            {
                _discarding = true;
                _length = 0;
                return LineTooLong;
            }
            _buffer[_length++] = c;
            return None;
        }
    }
}
