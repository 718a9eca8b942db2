// Bytes arrive from the UART in arbitrary chunks; the protocol is line-based. This turns the
// byte stream into request lines in a fixed buffer (no allocation), applying PROTOCOL.md's
// framing rules:
// - a line ends at LF, at CR, or at CR LF (the pair ends one line), so that terminals with
//   their default settings work (picocom, minicom and screen send CR for Enter, scripts LF);
// - a line longer than 200 characters is reported once and discarded up to the next line end;
// - an empty line, or one of only spaces and tabs, gets nothing;
// - where the link says bytes may have been lost (a receive buffer that reached capacity), the
//   line the gap falls into is answered "input overrun" at its end instead of being run, so two
//   torn halves are never spliced into one request;
// - with echo on (ECHO ON, for a person at a terminal), received characters are echoed, a line
//   end is echoed as CR LF, and backspace (BS or DEL) removes the last character. With echo off
//   (the default) a machine client sees none of this: BS and DEL are ordinary characters.
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
        /// <c>ERR 400 line too long</c> once. The rest of the line up to its end is discarded.</summary>
        public const int LineTooLong = 2;

        /// <summary><see cref="Push"/> result: a line ended that bytes may be missing from (see
        /// <see cref="MarkInputLost"/>); answer <c>ERR 400 input overrun</c> and do not run it.</summary>
        public const int LineOverrun = 3;

        private const byte Cr = 13;
        private const byte Lf = 10;
        private const byte Backspace = 8;
        private const byte Delete = 127;

        private readonly char[] _buffer = new char[MaxLineLength];
        private readonly byte[] _echo = new byte[3];
        private int _length;
        private int _echoCount;
        private bool _afterCr;
        private bool _discarding;
        private bool _lineDone;
        private bool _torn;
        private bool _echoOn;

        /// <summary>The characters of the line (one char per received byte, 0..255).
        /// Valid after <see cref="Push"/> returned <see cref="LineReady"/>, until the next Push.</summary>
        public char[] Buffer { get { return _buffer; } }

        /// <summary>The line's length in characters (1..200) after <see cref="LineReady"/>.</summary>
        public int Length { get { return _length; } }

        /// <summary>Echo for a person at a terminal (ECHO ON); off at construction and after <see cref="Reset"/>.</summary>
        public bool Echo
        {
            get { return _echoOn; }
            set { _echoOn = value; }
        }

        /// <summary>Bytes to send back after the last <see cref="Push"/> (the echo), <see cref="EchoCount"/> of them.</summary>
        public byte[] EchoBytes { get { return _echo; } }

        /// <summary>Number of <see cref="EchoBytes"/> to send after the last Push (0 with echo off).</summary>
        public int EchoCount { get { return _echoCount; } }

        /// <summary>Consumes one received byte.</summary>
        /// <returns><see cref="None"/>, <see cref="LineReady"/>, <see cref="LineTooLong"/> or <see cref="LineOverrun"/>.</returns>
        public int Push(byte value)
        {
            _echoCount = 0;
            if (_lineDone)
            {
                _lineDone = false;
                _length = 0;
            }
            bool afterCr = _afterCr;
            _afterCr = false;

            if (value == Cr || value == Lf)
            {
                if (value == Lf && afterCr)
                {
                    // The LF of a CR LF pair: the CR already ended the line.
                    return None;
                }
                _afterCr = value == Cr;
                EchoLineEnd();
                return EndLine();
            }
            if (_echoOn && (value == Backspace || value == Delete))
            {
                if (!_discarding && _length > 0)
                {
                    _length--;
                    _echo[0] = Backspace;
                    _echo[1] = (byte)' ';
                    _echo[2] = Backspace;
                    _echoCount = 3;
                }
                return None;
            }
            if (_echoOn)
            {
                _echo[0] = value;
                _echoCount = 1;
            }
            if (_discarding)
            {
                return None;
            }
            if (_length == MaxLineLength)
            {
                // One answer per line: "line too long" also covers a gap in it.
                _discarding = true;
                _torn = false;
                _length = 0;
                return LineTooLong;
            }
            _buffer[_length++] = (char)value;
            return None;
        }

        /// <summary>Says that bytes may have been lost right after the last byte pushed (the receive buffer
        /// reached capacity). The line in progress, whatever arrives after the gap up to its end, is answered
        /// <see cref="LineOverrun"/> instead of being run (once; a line already being discarded as too long
        /// was answered already).</summary>
        public void MarkInputLost()
        {
            if (!_discarding) _torn = true;
        }

        /// <summary>Forgets any partial line (used at boot). Echo stays as it is.</summary>
        public void Reset()
        {
            _length = 0;
            _afterCr = false;
            _discarding = false;
            _lineDone = false;
            _torn = false;
            _echoCount = 0;
        }

        private int EndLine()
        {
            if (_discarding)
            {
                _discarding = false;
                _length = 0;
                return None;
            }
            if (_torn)
            {
                _torn = false;
                _length = 0;
                return LineOverrun;
            }
            if (IsBlank())
            {
                _length = 0;
                return None;
            }
            _lineDone = true;
            return LineReady;
        }

        private bool IsBlank()
        {
            for (int i = 0; i < _length; i++)
            {
                char c = _buffer[i];
                if (c != ' ' && c != '\t') return false;
            }
            return true;
        }

        private void EchoLineEnd()
        {
            if (!_echoOn) return;
            _echo[0] = Cr;
            _echo[1] = Lf;
            _echoCount = 2;
        }
    }
}
