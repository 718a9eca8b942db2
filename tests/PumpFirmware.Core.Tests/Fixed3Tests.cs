using CsCheck;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

public class Fixed3Tests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1", 1000L)]
    [InlineData("2", 2000L)]
    [InlineData("2.4", 2400L)]
    [InlineData("0.125", 125L)]
    [InlineData("2000", 2000000L)]
    [InlineData("0.001", 1L)]
    [InlineData("007.50", 7500L)]
    [InlineData("9223372036854775.807", long.MaxValue)]
    public void Parses_exactly_into_thousandths(string text, long expected)
    {
        Assert.Equal(ParseStatus.Ok, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1.2345")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e3")]
    [InlineData("1.2.3")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,5")]
    [InlineData("1234567890123456789012345x")]
    public void Rejects_malformed(string text)
    {
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("1234567890123456789012345")]
    [InlineData("9223372036854775.808")]
    [InlineData("9223372036854776")]
    [InlineData("100000000000000000000000.999")]
    public void Well_formed_but_too_large_is_out_of_range(string text)
    {
        Assert.Equal(ParseStatus.OutOfRange, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("100000", ParseStatus.Ok)]
    [InlineData("100000.000", ParseStatus.Ok)]
    [InlineData("100000.001", ParseStatus.OutOfRange)]
    public void Caller_maximum_is_inclusive(string text, ParseStatus expected)
    {
        Assert.Equal(expected, Fixed3.TryParse(text, 100_000_000, out _));
    }

    [Theory]
    [InlineData("0", ParseStatus.Ok, 0L)]
    [InlineData("64000", ParseStatus.Ok, 64000L)]
    [InlineData("10000000", ParseStatus.Ok, 10000000L)]
    [InlineData("10000001", ParseStatus.OutOfRange, 0L)]
    [InlineData("99999999999999999999999", ParseStatus.OutOfRange, 0L)]
    [InlineData("1.0", ParseStatus.Malformed, 0L)]
    [InlineData("", ParseStatus.Malformed, 0L)]
    [InlineData("-3", ParseStatus.Malformed, 0L)]
    public void Plain_integers_for_counts(string text, ParseStatus status, long expected)
    {
        Assert.Equal(status, Fixed3.TryParseInteger(text, 10_000_000, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(0L, "0.000")]
    [InlineData(1L, "0.001")]
    [InlineData(2400L, "2.400")]
    [InlineData(12345L, "12.345")]
    [InlineData(-1L, "-0.001")]
    [InlineData(long.MaxValue, "9223372036854775.807")]
    [InlineData(long.MinValue, "-9223372036854775.808")]
    public void Formats_with_exactly_three_decimals(long thousandths, string expected)
    {
        Assert.Equal(expected, Fixed3.Format(thousandths));
        var buffer = new char[Fixed3.MaxFormattedLength + 2];
        int n = Fixed3.Format(thousandths, buffer, 2);
        Assert.Equal(expected, new string(buffer, 2, n));
    }

    [Fact]
    public void Parse_of_format_round_trips()
    {
        Gen.Long[0, long.MaxValue].Sample(v =>
        {
            Assert.Equal(ParseStatus.Ok, Fixed3.TryParse(Fixed3.Format(v), long.MaxValue, out long back));
            Assert.Equal(v, back);
        });
    }

    [Fact]
    public void Never_throws_on_arbitrary_text()
    {
        Gen.String[Gen.Char["0123456789.-+ex "], 0, 30].Sample(s =>
        {
            var status = Fixed3.TryParse(s, long.MaxValue, out long v);
            if (status != ParseStatus.Ok) Assert.Equal(0, v);
            Fixed3.TryParseInteger(s, long.MaxValue, out _);
        });
    }

    [Fact]
    public void Format_allocates_nothing()
    {
        var buffer = new char[32];
        Fixed3.Format(123456, buffer, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Fixed3.Format(123456 + i, buffer, 0);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
