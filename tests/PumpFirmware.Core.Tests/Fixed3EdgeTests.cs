using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "Values" and "Decisions": numbers match [0-9]+(\.[0-9]{1,3})?, counts are plain
// integers, a well-formed number out of range (however large) is 422 (OutOfRange), anything else
// 400 (Malformed). Responses print exactly 3 decimals. The edges: each end of the digit range,
// 1 and 3 decimals against 0 and 4, the last value a long holds, and sub-ranges of a request line.
public class Fixed3EdgeTests
{
    [Theory]
    [InlineData("/")]        // '/' is just below '0'
    [InlineData(":")]        // ':' is just above '9'
    [InlineData("1/")]
    [InlineData("1:")]
    [InlineData("1./")]
    [InlineData("1.:")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".1.2")]     // two dots, the first at the very start
    [InlineData("1..2")]
    [InlineData("0.0000")]   // four decimals, even zeros
    public void Rejects_more_malformed_numbers(string text)
    {
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("0.9", 900L)]        // one decimal is tenths
    [InlineData("0.09", 90L)]        // two are hundredths
    [InlineData("0.999", 999L)]      // three are thousandths
    [InlineData("9", 9000L)]
    [InlineData("00000000000000000000000000001", 1000L)]   // leading zeros never overflow
    [InlineData("10.010", 10010L)]
    public void Parses_decimals_into_thousandths(string text, long expected)
    {
        Assert.Equal(ParseStatus.Ok, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("9223372036854775.806", 9223372036854775806L)]
    [InlineData("922337203685477.580", 922337203685477580L)]
    [InlineData("9223372036854775.8", 9223372036854775800L)]   // one decimal: .800, still below .807
    public void Parses_up_to_the_last_value_a_long_holds(string text, long expected)
    {
        Assert.Equal(ParseStatus.Ok, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("9223372036854775.809")]
    [InlineData("9223372036854775.81")]
    [InlineData("9223372036854776.000")]
    [InlineData("92233720368547758")]        // the integer part alone overflows in its thousandths
    public void One_past_a_long_is_out_of_range(string text)
    {
        Assert.Equal(ParseStatus.OutOfRange, Fixed3.TryParse(text, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("0.000", 0L, ParseStatus.Ok, 0L)]
    [InlineData("0.001", 0L, ParseStatus.OutOfRange, 0L)]
    [InlineData("0.001", 1L, ParseStatus.Ok, 1L)]
    [InlineData("0.002", 1L, ParseStatus.OutOfRange, 0L)]
    public void The_callers_maximum_is_inclusive_at_the_last_thousandth(string text, long max, ParseStatus status, long expected)
    {
        Assert.Equal(status, Fixed3.TryParse(text, max, out long value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Null_is_malformed()
    {
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParse(null!, long.MaxValue, out long value));
        Assert.Equal(0, value);
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParse(null!, 0, 1, long.MaxValue, out value));
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParseInteger(null!, long.MaxValue, out value));
        Assert.Equal(0, value);
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParseInteger(null!, 0, 1, long.MaxValue, out value));
    }

    [Theory]
    [InlineData("DOSE 2.4 5", 5, 3, 2400L)]      // a token inside a request line
    [InlineData("x12.5", 1, 4, 12500L)]         // ending exactly at the end of the text
    [InlineData("12345", 1, 2, 23000L)]         // only the range counts, not the digits around it
    [InlineData("1.2345", 0, 5, 1234L)]         // the fifth fraction digit is outside the range
    public void Parses_a_range_of_a_longer_text(string text, int start, int length, long expected)
    {
        Assert.Equal(ParseStatus.Ok, Fixed3.TryParse(text, start, length, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("x12.5", 1, 5)]     // one past the end
    [InlineData("12", -1, 2)]
    [InlineData("12", 0, 0)]
    [InlineData("12", 1, -1)]
    [InlineData("x.5", 1, 2)]       // the dot first inside the range
    [InlineData("5.x", 0, 2)]       // a dot last inside the range
    public void Refuses_a_range_that_is_empty_outside_the_text_or_malformed(string text, int start, int length)
    {
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParse(text, start, length, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("/")]
    [InlineData(":")]
    [InlineData("1/")]
    [InlineData("1:")]
    [InlineData(".")]
    [InlineData(" 5")]
    public void Counts_refuse_anything_but_digits(string text)
    {
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParseInteger(text, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("9223372036854775807", ParseStatus.Ok, long.MaxValue)]
    [InlineData("9223372036854775808", ParseStatus.OutOfRange, 0L)]
    [InlineData("0009", ParseStatus.Ok, 9L)]
    [InlineData("90", ParseStatus.Ok, 90L)]
    public void Counts_reach_the_last_value_a_long_holds(string text, ParseStatus status, long expected)
    {
        Assert.Equal(status, Fixed3.TryParseInteger(text, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("100", 100L, ParseStatus.Ok, 100L)]
    [InlineData("101", 100L, ParseStatus.OutOfRange, 0L)]
    [InlineData("0", 0L, ParseStatus.Ok, 0L)]
    [InlineData("1", 0L, ParseStatus.OutOfRange, 0L)]
    public void The_count_maximum_is_inclusive(string text, long max, ParseStatus status, long expected)
    {
        Assert.Equal(status, Fixed3.TryParseInteger(text, max, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("LOG? 17 100", 5, 2, 17L)]
    [InlineData("x250", 1, 3, 250L)]           // ending exactly at the end of the text
    [InlineData("12345", 1, 2, 23L)]
    public void Counts_parse_a_range_of_a_longer_text(string text, int start, int length, long expected)
    {
        Assert.Equal(ParseStatus.Ok, Fixed3.TryParseInteger(text, start, length, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("x250", 1, 4)]
    [InlineData("250", -1, 2)]
    [InlineData("250", 0, 0)]
    [InlineData("250", 1, -1)]
    public void Counts_refuse_a_range_that_is_empty_or_outside_the_text(string text, int start, int length)
    {
        Assert.Equal(ParseStatus.Malformed, Fixed3.TryParseInteger(text, start, length, long.MaxValue, out long value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData(999L, "0.999")]
    [InlineData(1000L, "1.000")]
    [InlineData(1001L, "1.001")]
    [InlineData(10010L, "10.010")]
    [InlineData(100000000L, "100000.000")]
    [InlineData(-1000L, "-1.000")]
    [InlineData(-12345L, "-12.345")]
    [InlineData(-999L, "-0.999")]
    public void Formats_each_decimal_in_its_place(long thousandths, string expected)
    {
        Assert.Equal(expected, Fixed3.Format(thousandths));
    }

    [Fact]
    public void Format_writes_only_its_characters_and_returns_their_count()
    {
        var buffer = new string('#', 12).ToCharArray();
        Assert.Equal(6, Fixed3.Format(-1234, buffer, 3));    // "-1.234"
        Assert.Equal("###-1.234###", new string(buffer));
        Assert.Equal(Fixed3.MaxFormattedLength, Fixed3.Format(long.MinValue).Length);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(9L, "9")]
    [InlineData(10L, "10")]
    [InlineData(1440L, "1440")]
    [InlineData(-1L, "-1")]
    [InlineData(-100L, "-100")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void Formats_plain_integers(long value, string expected)
    {
        Assert.Equal(expected, Fixed3.FormatInteger(value));
        var buffer = new string('#', 24).ToCharArray();
        int n = Fixed3.FormatInteger(value, buffer, 2);
        Assert.Equal(expected.Length, n);
        Assert.Equal("##" + expected + new string('#', 22 - n), new string(buffer));
    }
}
