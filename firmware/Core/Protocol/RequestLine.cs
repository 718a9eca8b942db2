// A request line split into words, in place: the words are (start, length) pairs into the
// line assembler's buffer, so parsing a command allocates nothing. The argument grammars of
// PROTOCOL.md live here (numbers with at most 3 decimals, counts, hh:mm, PINs, drug names),
// each answering "malformed" (ERR 400) separately from "out of range" (ERR 422): a
// well-formed number too large for a long saturates, so that range checks report it as 422.
namespace PumpFirmware.Protocol
{
    /// <summary>The words of one request line (after any <c>*HHHH</c> suffix was removed).</summary>
    public sealed class RequestLine
    {
        /// <summary>The most words a line may have; no command takes more than 5 arguments,
        /// so a line with more is "wrong number of arguments" whatever the rest holds.</summary>
        public const int MaxWords = 12;

        private readonly int[] _start = new int[MaxWords];
        private readonly int[] _length = new int[MaxWords];
        private char[] _text;
        private int _count;
        private bool _tooManyWords;

        /// <summary>Number of words, the command word included.</summary>
        public int Count { get { return _count; } }

        /// <summary>Number of arguments (words after the command word).</summary>
        public int ArgumentCount { get { return _count == 0 ? 0 : _count - 1; } }

        /// <summary>True when the line held more than <see cref="MaxWords"/> words.</summary>
        public bool TooManyWords { get { return _tooManyWords; } }

        /// <summary>Splits <paramref name="count"/> characters of <paramref name="text"/> at runs of spaces.</summary>
        public void Parse(char[] text, int count)
        {
            _text = text;
            _count = 0;
            _tooManyWords = false;
            int i = 0;
            while (i < count)
            {
                while (i < count && text[i] == ' ') i++;
                if (i >= count) break;
                int start = i;
                while (i < count && text[i] != ' ') i++;
                if (_count == MaxWords)
                {
                    _tooManyWords = true;
                    continue;
                }
                _start[_count] = start;
                _length[_count] = i - start;
                _count++;
            }
        }

        /// <summary>Length of word <paramref name="index"/> in characters.</summary>
        public int WordLength(int index)
        {
            return _length[index];
        }

        /// <summary>True when word <paramref name="index"/> equals <paramref name="word"/>,
        /// ignoring ASCII case (<paramref name="word"/> is given in upper case).</summary>
        public bool Is(int index, string word)
        {
            if (index >= _count || _length[index] != word.Length) return false;
            int s = _start[index];
            for (int i = 0; i < word.Length; i++)
            {
                char c = _text[s + i];
                if (c >= 'a' && c <= 'z') c = (char)(c - 32);
                if (c != word[i]) return false;
            }
            return true;
        }

        /// <summary>Word <paramref name="index"/> as a new string (only for names that are stored).</summary>
        public string WordString(int index)
        {
            return new string(_text, _start[index], _length[index]);
        }

        /// <summary>Parses a protocol number <c>[0-9]+(\.[0-9]{1,3})?</c> into thousandths
        /// (<c>2.4</c> → 2400). A well-formed number above long.MaxValue thousandths gives
        /// long.MaxValue, so that the caller's range check answers 422.</summary>
        /// <returns>false when malformed (sign, exponent, 4 decimals, empty, any other char).</returns>
        public bool TryNumberThousandths(int index, out long thousandths)
        {
            thousandths = 0;
            int s = _start[index];
            int n = _length[index];
            int i = 0;
            long whole = 0;
            bool saturated = false;
            while (i < n && IsDigit(_text[s + i]))
            {
                whole = SaturatingDigit(whole, _text[s + i], ref saturated);
                i++;
            }
            if (i == 0) return false;
            long frac = 0;
            if (i < n)
            {
                if (_text[s + i] != '.') return false;
                i++;
                int decimals = 0;
                while (i < n && IsDigit(_text[s + i]))
                {
                    decimals++;
                    if (decimals > 3) return false;
                    frac = frac * 10 + (_text[s + i] - '0');
                    i++;
                }
                if (decimals == 0 || i < n) return false;
                while (decimals < 3)
                {
                    frac *= 10;
                    decimals++;
                }
            }
            if (saturated || whole > (long.MaxValue - frac) / 1000)
            {
                thousandths = long.MaxValue;
                return true;
            }
            thousandths = whole * 1000 + frac;
            return true;
        }

        /// <summary>Parses a count <c>[0-9]+</c>; saturates at long.MaxValue (then 422).</summary>
        public bool TryCount(int index, out long value)
        {
            value = 0;
            int s = _start[index];
            int n = _length[index];
            if (n == 0) return false;
            bool saturated = false;
            for (int i = 0; i < n; i++)
            {
                if (!IsDigit(_text[s + i])) return false;
                value = SaturatingDigit(value, _text[s + i], ref saturated);
            }
            return true;
        }

        /// <summary>Parses a time of day <c>hh:mm</c> (exactly two digits each, 00:00 to 23:59).</summary>
        public bool TryTimeOfDay(int index, out int minuteOfDay)
        {
            minuteOfDay = 0;
            int s = _start[index];
            if (_length[index] != 5 || _text[s + 2] != ':') return false;
            if (!IsDigit(_text[s]) || !IsDigit(_text[s + 1]) || !IsDigit(_text[s + 3]) || !IsDigit(_text[s + 4]))
            {
                return false;
            }
            int hours = (_text[s] - '0') * 10 + (_text[s + 1] - '0');
            int minutes = (_text[s + 3] - '0') * 10 + (_text[s + 4] - '0');
            if (hours > 23 || minutes > 59) return false;
            minuteOfDay = hours * 60 + minutes;
            return true;
        }

        /// <summary>True when word <paramref name="index"/> is a PIN: 4 to 8 decimal digits.</summary>
        public bool IsPin(int index)
        {
            int n = _length[index];
            if (n < 4 || n > 8) return false;
            int s = _start[index];
            for (int i = 0; i < n; i++)
            {
                if (!IsDigit(_text[s + i])) return false;
            }
            return true;
        }

        /// <summary>Copies word <paramref name="index"/> into <paramref name="target"/> (for PINs).</summary>
        public int CopyWord(int index, char[] target)
        {
            int n = _length[index];
            if (n > target.Length) n = target.Length;
            for (int i = 0; i < n; i++)
            {
                target[i] = _text[_start[index] + i];
            }
            return n;
        }

        /// <summary>True when word <paramref name="index"/> is a drug name <c>[A-Za-z0-9_-]{1,16}</c>.</summary>
        public bool IsDrugName(int index)
        {
            int n = _length[index];
            if (n < 1 || n > 16) return false;
            int s = _start[index];
            for (int i = 0; i < n; i++)
            {
                char c = _text[s + i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '-';
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>Parses exactly four hex digits (a program CRC).</summary>
        public bool TryHex4(int index, out int value)
        {
            value = 0;
            if (_length[index] != 4) return false;
            int s = _start[index];
            for (int i = 0; i < 4; i++)
            {
                int d = HexValue(_text[s + i]);
                if (d < 0) return false;
                value = (value << 4) | d;
            }
            return true;
        }

        /// <summary>Hex digit value, or -1.</summary>
        public static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }

        private static bool IsDigit(char c)
        {
            return c >= '0' && c <= '9';
        }

        private static long SaturatingDigit(long value, char digit, ref bool saturated)
        {
            int d = digit - '0';
            if (saturated || value > (long.MaxValue - d) / 10)
            {
                saturated = true;
                return long.MaxValue;
            }
            return value * 10 + d;
        }
    }
}
