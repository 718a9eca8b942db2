using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "Framing": CRC-16/CCITT-FALSE, poly 0x1021, init 0xFFFF, no reflection, no final
// xor, check value of "123456789" is 29B1, printed as four upper-case hex digits.
// The expected values other than 29B1 were computed with a separate bit-by-bit implementation of
// that definition (Python, 8 shifts per byte, xor 0x1021 when bit 15 was set before the shift).
public class Crc16Tests
{
    [Theory]
    [InlineData("123456789", 0x29B1)]   // the catalogue's check value
    [InlineData("", 0xFFFF)]            // nothing fed: the initial value, no final xor
    [InlineData("A", 0xB915)]
    [InlineData("OK", 0xF952)]
    [InlineData("STATUS?", 0x9873)]
    [InlineData("12345", 0x4560)]
    [InlineData("6789", 0xE4C3)]
    public void Known_vectors_of_CRC16_CCITT_FALSE(string text, int expected)
    {
        Assert.Equal(expected, Crc16.Compute(text));
    }

    [Theory]
    [InlineData(0x00, 0xE1F0)]
    [InlineData(0xFF, 0xFF00)]
    [InlineData(0x80, 0x7078)]
    public void One_byte_from_the_initial_value(int value, int expected)
    {
        Assert.Equal(expected, Crc16.UpdateByte(Crc16.Initial, (byte)value));
        Assert.Equal(expected, Crc16.Update(Crc16.Initial, new[] { (byte)value }, 0, 1));
    }

    [Fact]
    public void A_crc_continued_over_two_pieces_equals_the_crc_of_the_whole()
    {
        // "12345" gives 4560; continuing with "6789" must give the check value of "123456789".
        int first = Crc16.Compute("12345");
        Assert.Equal(0x29B1, Crc16.Update(first, "6789", 0, 4));
    }

    [Fact]
    public void The_string_overload_covers_exactly_start_and_length()
    {
        // The check string framed by junk that must not be fed: "xx" before, "yy" after.
        Assert.Equal(0x29B1, Crc16.Update(Crc16.Initial, "xx123456789yy", 2, 9));
        Assert.Equal(0xFFFF, Crc16.Update(Crc16.Initial, "xx123456789yy", 2, 0));
    }

    [Fact]
    public void The_char_buffer_overload_covers_exactly_start_and_count()
    {
        char[] buffer = "##123456789##".ToCharArray();
        Assert.Equal(0x29B1, Crc16.Update(Crc16.Initial, buffer, 2, 9));
        Assert.Equal(0xFFFF, Crc16.Update(Crc16.Initial, buffer, 2, 0));
        // Only the first 5 of the 9: "12345" is 4560.
        Assert.Equal(0x4560, Crc16.Update(Crc16.Initial, buffer, 2, 5));
    }

    [Fact]
    public void The_byte_array_overload_covers_exactly_offset_and_count()
    {
        byte[] data = { 0xAA, 0xBB, (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', (byte)'9', 0xCC };
        Assert.Equal(0x29B1, Crc16.Update(Crc16.Initial, data, 2, 9));
        Assert.Equal(0xFFFF, Crc16.Update(Crc16.Initial, data, 2, 0));
        Assert.Equal(0x4560, Crc16.Update(Crc16.Initial, data, 2, 5));
    }

    [Theory]
    [InlineData(0x29B1, "29B1")]
    [InlineData(0x0000, "0000")]
    [InlineData(0xFFFF, "FFFF")]
    [InlineData(0x1234, "1234")]
    [InlineData(0xABCD, "ABCD")]
    [InlineData(0x000F, "000F")]
    [InlineData(0xF000, "F000")]
    public void Hex_is_four_upper_case_digits_most_significant_first(int crc, string expected)
    {
        Assert.Equal(expected, Crc16.ToHex(crc));
        var buffer = new[] { '.', '.', '.', '.', '.', '.', '.' };
        Crc16.FormatHex(crc, buffer, 2);
        Assert.Equal(".." + expected + ".", new string(buffer));
    }

    [Theory]
    [InlineData("29B1", 0, 0x29B1)]
    [InlineData("29b1", 0, 0x29B1)]       // either case
    [InlineData("0000", 0, 0x0000)]
    [InlineData("FFFF", 0, 0xFFFF)]
    [InlineData("ffff", 0, 0xFFFF)]
    [InlineData("09AF", 0, 0x09AF)]       // the ends of each digit range: 0, 9, A, F
    [InlineData("09af", 0, 0x09AF)]
    [InlineData("STATUS?*29B1", 8, 0x29B1)] // ending exactly at the end of the text
    [InlineData("*1234*", 1, 0x1234)]
    public void Parses_four_hex_digits(string text, int offset, int expected)
    {
        Assert.True(Crc16.TryParseHex(text, offset, out int crc));
        Assert.Equal(expected, crc);
    }

    [Theory]
    [InlineData("29B", 0)]      // too short
    [InlineData("29B1", 1)]     // only three left after the offset
    [InlineData("29B1", -1)]
    [InlineData("/000", 0)]     // '/' is just below '0'
    [InlineData("000:", 0)]     // ':' is just above '9'
    [InlineData("0@00", 0)]     // '@' is just below 'A'
    [InlineData("00G0", 0)]     // 'G' is just above 'F'
    [InlineData("`000", 0)]     // '`' is just below 'a'
    [InlineData("000g", 0)]     // 'g' is just above 'f'
    [InlineData("12 4", 0)]
    public void Refuses_anything_but_four_hex_digits(string text, int offset)
    {
        Assert.False(Crc16.TryParseHex(text, offset, out int crc));
        Assert.Equal(0, crc);
    }

    [Fact]
    public void A_bad_digit_after_good_ones_leaves_the_result_zero()
    {
        // Three good digits then a bad one: the partial value 0xABC must not leak out.
        Assert.False(Crc16.TryParseHex("ABCx", 0, out int crc));
        Assert.Equal(0, crc);
    }

    // The definition, a bit at a time (8 shifts per byte, xor 0x1021 when bit 15 was set before the shift), on the
    // register's low 16 bits: what the table-driven form must equal for every register and byte.
    private static int BitwiseByte(int crc, byte value)
    {
        crc = (crc & 0xFFFF) ^ (value << 8);
        for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
        return crc;
    }

    [Fact]
    public void Every_register_and_byte_gives_the_bitwise_definitions_result()
    {
        for (int crc = 0; crc <= 0xFFFF; crc++)
        {
            for (int value = 0; value < 256; value++)
            {
                int expected = BitwiseByte(crc, (byte)value);
                int actual = Crc16.UpdateByte(crc, (byte)value);
                if (actual != expected) Assert.Fail($"register {crc:X4}, byte {value:X2}: {actual:X4}, expected {expected:X4}");
            }
        }
        // Bits above the register's 16 are ignored, as the table-free form did.
        Assert.Equal(BitwiseByte(0x1234, 0x56), Crc16.UpdateByte(0x7FFF1234, 0x56));
    }

    [Fact]
    public void A_buffer_taken_two_bytes_at_a_time_gives_the_crc_of_its_bytes_one_by_one()
    {
        var random = new Random(13);
        byte[] data = new byte[300];
        random.NextBytes(data);
        for (int offset = 0; offset < 4; offset++)
        {
            for (int count = 0; count <= 257; count++)
            {
                int start = random.Next(0x10000);
                int expected = start;
                for (int i = 0; i < count; i++) expected = BitwiseByte(expected, data[offset + i]);
                Assert.Equal(expected, Crc16.Update(start, data, offset, count));
            }
        }
        // Nothing fed: the register comes back as given.
        Assert.Equal(0x12345, Crc16.Update(0x12345, data, 0, 0));
    }
}
