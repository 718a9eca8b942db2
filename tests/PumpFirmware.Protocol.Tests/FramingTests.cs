using PumpFirmware.Protocol;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

public class FramingTests
{
    [Fact]
    public void Crc16_check_value_of_123456789_is_29B1()
    {
        Assert.Equal(0x29B1, Crc16.Compute("123456789"));
    }

    [Fact]
    public void A_sent_line_with_crc_is_line_star_hex_of_everything_before_the_star()
    {
        var link = new FakeSerialLink();
        var writer = new LineWriter(link);
        writer.Begin();
        writer.Append("123456789");
        writer.Send(true);
        Assert.Equal("123456789*29B1\n", link.SentText);
    }

    [Theory]
    [InlineData(0L, "0.000")]
    [InlineData(1L, "0.001")]
    [InlineData(12345L, "12.345")]
    [InlineData(100000000L, "100000.000")]
    [InlineData(-1L, "-0.001")]
    public void Quantities_are_sent_with_exactly_3_decimals(long thousandths, string text)
    {
        var link = new FakeSerialLink();
        var writer = new LineWriter(link);
        writer.Begin();
        writer.AppendFixed3(thousandths);
        writer.Send(false);
        Assert.Equal(text + "\n", link.SentText);
    }

    [Theory]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(-1L, "-1")]
    [InlineData(0L, "0")]
    public void Integers_are_sent_in_decimal(long value, string text)
    {
        var link = new FakeSerialLink();
        var writer = new LineWriter(link);
        writer.Begin();
        writer.AppendInteger(value);
        writer.Send(false);
        Assert.Equal(text + "\n", link.SentText);
    }
}
