using PumpFirmware.Protocol;
using PumpFirmware.Units;
using CsCheck;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

public class RequestLineTests
{
    private static RequestLine Parse(string text)
    {
        var line = new RequestLine();
        line.Parse(text.ToCharArray(), text.Length);
        return line;
    }

    [Theory]
    [InlineData("STATUS?", 1)]
    [InlineData("  PROG:STEP   08:00  2.4  ", 3)]
    [InlineData("", 0)]
    [InlineData("    ", 0)]
    public void Splits_at_runs_of_spaces(string text, int words)
    {
        Assert.Equal(words, Parse(text).Count);
    }

    [Fact]
    public void Command_words_compare_ignoring_case()
    {
        var line = Parse("prog:Review");
        Assert.True(line.Is(0, "PROG:REVIEW"));
        Assert.False(line.Is(0, "PROG:REVIEWX"));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("2.4", 2400L)]
    [InlineData("0.125", 125L)]
    [InlineData("2000", 2000000L)]
    [InlineData("007.5", 7500L)]
    [InlineData("9223372036854775.807", 9223372036854775807L)]
    [InlineData("9223372036854775.808", long.MaxValue)]      // saturates: well-formed, so 422 later
    [InlineData("1234567890123456789012345", long.MaxValue)] // 25 digits
    public void Numbers_parse_exactly_into_thousandths(string text, long expected)
    {
        Assert.True(Parse(text).TryNumberThousandths(0, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.2345")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e3")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1\u0000")]
    public void Malformed_numbers_are_refused(string text)
    {
        Assert.False(Parse(text).TryNumberThousandths(0, out _));
    }

    [Theory]
    [InlineData("00:00", 0)]
    [InlineData("08:30", 510)]
    [InlineData("23:59", 1439)]
    public void Times_of_day_parse(string text, int minute)
    {
        Assert.True(Parse(text).TryTimeOfDay(0, out int value));
        Assert.Equal(minute, value);
    }

    [Theory]
    [InlineData("24:00")]
    [InlineData("12:60")]
    [InlineData("8:00")]
    [InlineData("08:0")]
    [InlineData("08-00")]
    [InlineData("0800")]
    [InlineData("08:00:00")]
    public void Bad_times_of_day_are_malformed(string text)
    {
        Assert.False(Parse(text).TryTimeOfDay(0, out _));
    }

    [Theory]
    [InlineData("0000", true)]
    [InlineData("12345678", true)]
    [InlineData("123", false)]
    [InlineData("123456789", false)]
    [InlineData("12a4", false)]
    public void Pins_are_4_to_8_digits(string text, bool ok) => Assert.Equal(ok, Parse(text).IsPin(0));

    [Theory]
    [InlineData("baclofen", true)]
    [InlineData("Zic_2-b", true)]
    [InlineData("ABCDEFGHIJKLMNOP", true)]
    [InlineData("ABCDEFGHIJKLMNOPQ", false)]
    [InlineData("mor.phine", false)]
    [InlineData("caf\u00e9", false)]
    public void Drug_names_follow_the_grammar(string text, bool ok) => Assert.Equal(ok, Parse(text).IsDrugName(0));

    [Fact]
    public void Number_parser_agrees_with_the_core_Fixed3_on_arbitrary_text()
    {
        // The protocol parses in place (no allocation); the core's Fixed3 is the reference.
        Gen.String[Gen.Char["0123456789.-e+ x"], 1, 30].Sample(text =>
        {
            bool ok = Parse(text).TryNumberThousandths(0, out long mine);
            var status = Fixed3.TryParse(text.Trim(' '), long.MaxValue, out long reference);
            if (text.Contains(' ') || text.Length == 0) return; // not one word
            switch (status)
            {
                case ParseStatus.Ok: Assert.True(ok); Assert.Equal(reference, mine); break;
                case ParseStatus.Malformed: Assert.False(ok); break;
                case ParseStatus.OutOfRange: Assert.True(ok); Assert.Equal(long.MaxValue, mine); break;
            }
        }, iter: 20000);
    }
}
