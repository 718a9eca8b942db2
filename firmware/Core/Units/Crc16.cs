// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), the one
// checksum of the project: protocol lines, the program's review checksum and stored records.
// Table-driven, with the tables computed once at start-up (a loop costs less byte code than a
// 256-entry initialiser) and kept as 16-bit entries (512 bytes each): the storage journal runs
// its CRC over every record and snapshot it writes, and a table lookup per byte (two bytes per
// step over a buffer) is a fraction of the shifts and xors the table-free form needs per byte,
// on the host's JIT and more so on the device's interpreter, which pays per byte-code operation.
namespace PumpFirmware.Units
{
    /// <summary>CRC-16/CCITT-FALSE. Check value of "123456789" is 0x29B1.</summary>
    public static class Crc16
    {
        /// <summary>The CRC's initial value; pass it as <c>crc</c> to start a new computation.</summary>
        public const int Initial = 0xFFFF;

        // Table[a]: the CRC register after one byte whose index (register's high byte xor data byte) is a, from a
        // register whose low byte is 0. Table2[a]: the same after two bytes, the second with index 0: the register's
        // high byte folded through one more byte (CRC is linear: Table[a ^ b] = Table[a] ^ Table[b]).
        private static readonly ushort[] Table = BuildTable();
        private static readonly ushort[] Table2 = BuildTable2(Table);

        private static ushort[] BuildTable()
        {
            ushort[] table = new ushort[256];
            for (int a = 0; a < 256; a++)
            {
                int crc = a << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                }
                table[a] = (ushort)crc;
            }
            return table;
        }

        private static ushort[] BuildTable2(ushort[] table)
        {
            ushort[] table2 = new ushort[256];
            for (int a = 0; a < 256; a++)
            {
                int t = table[a];
                table2[a] = (ushort)(((t & 0xFF) << 8) ^ table[t >> 8]);
            }
            return table2;
        }

        /// <summary>Continues a CRC over <paramref name="count"/> bytes.</summary>
        public static int Update(int crc, byte[] data, int offset, int count)
        {
            if (count <= 0) return crc;
            ushort[] table = Table;
            ushort[] table2 = Table2;
            crc &= 0xFFFF;
            int i = offset;
            int end = offset + count;
            // Two bytes a step: the register xor the next two bytes (first one high) gives both table indices.
            for (; i + 1 < end; i += 2)
            {
                int x = crc ^ ((data[i] << 8) | data[i + 1]);
                crc = table2[x >> 8] ^ table[x & 0xFF];
            }
            if (i < end) crc = UpdateByte(crc, data[i]); // an odd count's last byte
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
            return ((crc << 8) & 0xFF00) ^ Table[((crc >> 8) ^ value) & 0xFF];
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
