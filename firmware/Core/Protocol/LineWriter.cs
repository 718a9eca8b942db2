// Every line the pump sends (status lines and `!` lines) is built here in one fixed char
// buffer and handed to the serial link in one Write, so that an asynchronous line can never
// split a status line and the telemetry path allocates nothing. The optional CRC is appended
// exactly like a request's: `<line>*HHHH`, the CRC-16/CCITT-FALSE of every byte before `*`.
using PumpFirmware.Hal;
using PumpFirmware.Units;

namespace PumpFirmware.Protocol
{
    /// <summary>Builds one output line at a time and sends it, with or without a CRC.</summary>
    public sealed class LineWriter
    {
        /// <summary>Characters a line may hold before its CRC and LF (the longest line is
        /// PROG:REVIEW: "OK crc=HHHH " and a canonical text of at most ~700).</summary>
        public const int Capacity = 1100;

        private readonly ISerialLink _link;
        // Room after Capacity for "*HHHH" and CR LF.
        private readonly char[] _chars = new char[Capacity + 7];
        private readonly byte[] _bytes = new byte[Capacity + 7];
        private readonly char[] _digits = new char[20];
        private int _length;
        private bool _overflow;
        private bool _crcAlways;
        private bool _crLf;
        private long _linesSent;
        private long _bytesSent;

        /// <summary>Creates a writer that sends to <paramref name="link"/>.</summary>
        public LineWriter(ISerialLink link)
        {
            _link = link;
        }

        /// <summary>When true (<c>CRC ON</c>), every line sent carries a CRC.</summary>
        public bool CrcAlways
        {
            get { return _crcAlways; }
            set { _crcAlways = value; }
        }

        /// <summary>When true (<c>ECHO ON</c>, for a terminal), every line ends in CR LF instead of LF.</summary>
        public bool CrLf
        {
            get { return _crLf; }
            set { _crLf = value; }
        }

        /// <summary>True when the current line did not fit <see cref="Capacity"/>.</summary>
        public bool Overflow { get { return _overflow; } }

        /// <summary>Characters in the current line so far.</summary>
        public int Length { get { return _length; } }

        /// <summary>The current line's characters (for tests and the processor).</summary>
        public char[] Chars { get { return _chars; } }

        /// <summary>Lines sent since construction.</summary>
        public long LinesSent { get { return _linesSent; } }

        /// <summary>Bytes handed to the link since construction (the battery gauge charges them).</summary>
        public long BytesSent { get { return _bytesSent; } }

        /// <summary>Starts a new, empty line.</summary>
        public void Begin()
        {
            _length = 0;
            _overflow = false;
        }

        /// <summary>Appends one character.</summary>
        public void Append(char c)
        {
            if (_length >= Capacity)
            {
                _overflow = true;
                return;
            }
            _chars[_length++] = c;
        }

        /// <summary>Appends a string (ASCII).</summary>
        public void Append(string text)
        {
            if (text == null) return;
            int n = text.Length;
            if (_length + n > Capacity)
            {
                for (int i = 0; i < n; i++) Append(text[i]);
                return;
            }
            // One bounds check per string, not per char: this is the telemetry path.
            char[] chars = _chars;
            int at = _length;
            for (int i = 0; i < n; i++) chars[at + i] = text[i];
            _length = at + n;
        }

        /// <summary>Appends <paramref name="count"/> characters of a buffer.</summary>
        public void Append(char[] text, int start, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Append(text[start + i]);
            }
        }

        /// <summary>Appends a decimal integer.</summary>
        public void AppendInteger(long value)
        {
            if (value < 0)
            {
                Append('-');
                if (value == long.MinValue)
                {
                    Append("9223372036854775808");
                    return;
                }
                value = -value;
            }
            int n = 0;
            do
            {
                long quotient = value / 10;
                _digits[n++] = (char)('0' + (int)(value - quotient * 10));
                value = quotient;
            }
            while (value != 0);
            if (_length + n > Capacity)
            {
                while (n > 0) Append(_digits[--n]);
                return;
            }
            while (n > 0) _chars[_length++] = _digits[--n];
        }

        /// <summary>Appends thousandths as a decimal with exactly 3 fractional digits
        /// (12345 → <c>12.345</c>), the protocol's form for every quantity.</summary>
        public void AppendFixed3(long thousandths)
        {
            if (thousandths < 0)
            {
                Append('-');
                thousandths = -thousandths;
            }
            AppendInteger(thousandths / 1000);
            Append('.');
            long frac = thousandths % 1000;
            Append((char)('0' + (int)(frac / 100)));
            Append((char)('0' + (int)(frac / 10 % 10)));
            Append((char)('0' + (int)(frac % 10)));
        }

        /// <summary>Appends four upper-case hex digits.</summary>
        public void AppendHex4(int value)
        {
            if (_length + 4 > Capacity)
            {
                _overflow = true;
                return;
            }
            Crc16.FormatHex(value & 0xFFFF, _chars, _length);
            _length += 4;
        }

        /// <summary>Appends <c> key=</c> (a space, the key, an equals sign).</summary>
        public void AppendKey(string key)
        {
            Append(' ');
            Append(key);
            Append('=');
        }

        /// <summary>Appends <c> key=value</c> with an integer value.</summary>
        public void AppendField(string key, long value)
        {
            AppendKey(key);
            AppendInteger(value);
        }

        /// <summary>Appends <c> key=value</c> with a 3-decimal value from thousandths.</summary>
        public void AppendFixed3Field(string key, long thousandths)
        {
            AppendKey(key);
            AppendFixed3(thousandths);
        }

        /// <summary>Appends <c> key=text</c>.</summary>
        public void AppendField(string key, string text)
        {
            AppendKey(key);
            Append(text);
        }

        /// <summary>Replaces the current line (used when a status line overflowed).</summary>
        public void Replace(string text)
        {
            Begin();
            Append(text);
        }

        /// <summary>Sends the line with LF (CR LF when <see cref="CrLf"/>); with a CRC if <paramref name="withCrc"/> or
        /// <see cref="CrcAlways"/>.</summary>
        public void Send(bool withCrc)
        {
            int n = _length;
            if (withCrc || _crcAlways)
            {
                int crc = Crc16.Update(Crc16.Initial, _chars, 0, n);
                _chars[n++] = '*';
                Crc16.FormatHex(crc, _chars, n);
                n += 4;
            }
            if (_crLf) _chars[n++] = '\r';
            _chars[n++] = '\n';
            for (int i = 0; i < n; i++)
            {
                _bytes[i] = (byte)_chars[i];
            }
            _link.Write(_bytes, 0, n);
            _linesSent++;
            _bytesSent += n;
            _length = 0;
        }
    }
}
