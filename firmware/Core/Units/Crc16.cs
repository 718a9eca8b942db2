// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), the one
// checksum of the project: protocol lines, the program's review checksum and stored records.
// Table-free on purpose: 256 shorts of table buys little at 115200 baud and costs RAM; the
// byte-wise form below does one byte in a few shifts and xors.
namespace PumpFirmware.Units
{
    /// <summary>CRC-16/CCITT-FALSE. Check value of "123456789" is 0x29B1.</summary>
    public static class Crc16
    {
        /// <summary>The CRC's initial value; pass it as <c>crc</c> to start a new computation.</summary>
        public const int Initial = 0xFFFF;

        /// <summary>Continues a CRC over <paramref name="count"/> bytes.</summary>
        public static int Update(int crc, byte[] data, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                crc = UpdateByte(crc, data[offset + i]);
            }
            return crc;
        }

        /// <summary>Continues a CRC over the characters of a string (each taken as one byte;
        /// the protocol is ASCII).</summary>
        public static int Update(int crc, string text, int start, int length)
        {
            for (int i = 0; i < length; i++)
            {
                crc = UpdateByte(crc, (byte)text[start + i]);
            }
            return crc;
        }

        /// <summary>Continues a CRC over <paramref name="count"/> chars of a buffer (each one byte).</summary>
        public static int Update(int crc, char[] text, int start, int count)
        {
            for (int i = 0; i < count; i++)
            {
                crc = UpdateByte(crc, (byte)text[start + i]);
            }
            return crc;
        }

        /// <summary>Continues a CRC over one byte.</summary>
        public static int UpdateByte(int crc, byte value)
        {
            // The bitwise loop (shift, test the top bit, xor 0x1021, eight times) folded into a few shifts and xors per
            // byte, still without a table: the same CRC at a fifth of the work (the storage journal checks every record).
            crc = ((crc >> 8) & 0xFF) | ((crc << 8) & 0xFF00);
            crc ^= value;
            crc ^= (crc & 0xFF) >> 4;
            crc ^= (crc << 12) & 0xFFFF;
            crc ^= ((crc & 0xFF) << 5) & 0xFFFF;
            return crc;
        }

        /// <summary>The CRC of a whole string.</summary>
        public static int Compute(string text)
        {
            return Update(Initial, text, 0, text.Length);
        }

        /// <summary>Writes the CRC as four upper-case hex digits into <paramref name="buffer"/>.</summary>
        public static void FormatHex(int crc, char[] buffer, int offset)
        {
            const string Digits = "0123456789ABCDEF";
            buffer[offset] = Digits[(crc >> 12) & 0xF];
            buffer[offset + 1] = Digits[(crc >> 8) & 0xF];
            buffer[offset + 2] = Digits[(crc >> 4) & 0xF];
            buffer[offset + 3] = Digits[crc & 0xF];
        }

        /// <summary>The CRC as four upper-case hex digits.</summary>
        public static string ToHex(int crc)
        {
            char[] buffer = new char[4];
            FormatHex(crc, buffer, 0);
            return new string(buffer);
        }

        /// <summary>Parses exactly four hex digits (either case) at <paramref name="offset"/>.</summary>
        /// <returns>false if any of the four is not a hex digit; <paramref name="crc"/> is then 0.</returns>
        public static bool TryParseHex(string text, int offset, out int crc)
        {
            crc = 0;
            if (offset < 0 || offset + 4 > text.Length)
            {
                return false;
            }
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                int digit = HexValue(text[offset + i]);
                if (digit < 0)
                {
                    return false;
                }
                value = (value << 4) | digit;
            }
            crc = value;
            return true;
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }
    }
}
