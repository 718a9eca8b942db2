using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

// PROTOCOL.md "Values": times of day are hh:mm, 00:00 to 23:59; "Decisions": 24:00 or 12:60 is
// malformed. Exactly two digits, a colon, two digits: nothing shorter, longer, or clamped.
public class TimeOfDayTextEdgeTests
{
    [Theory]
    [InlineData("23:59", 1439)]   // 23 * 60 + 59, the last minute of the day
    [InlineData("19:59", 1199)]   // 19 * 60 + 59: both hour digits and both minute digits count
    [InlineData("20:00", 1200)]
    [InlineData("00:59", 59)]
    [InlineData("07:00", 420)]
    [InlineData("10:01", 601)]
    public void Parses_hour_and_minute_digits_into_the_minute_of_day(string text, int minute)
    {
        Assert.True(TimeOfDayText.TryParse(text, out int value));
        Assert.Equal(minute, value);
    }

    [Theory]
    [InlineData("24:00")]   // hour 24 is tomorrow's 00:00, not a time of today
    [InlineData("29:00")]
    [InlineData("07:60")]
    [InlineData("00:99")]
    [InlineData("7:00")]    // one hour digit
    [InlineData("07:0")]    // one minute digit
    [InlineData("007:00")]
    [InlineData("07:000")]
    [InlineData("07.00")]
    [InlineData("/0:00")]   // '/' and ':' sit just below and above the digits, in each position
    [InlineData(":0:00")]
    [InlineData("0/:00")]
    [InlineData("0::00")]
    [InlineData("00:/0")]
    [InlineData("00::0")]
    [InlineData("00:0/")]
    [InlineData("00:0:")]
    [InlineData(" 7:00")]
    public void Refuses_malformed_times(string text)
    {
        Assert.False(TimeOfDayText.TryParse(text, out int value));
        Assert.Equal(0, value);
    }

    [Fact]
    public void Null_is_malformed()
    {
        Assert.False(TimeOfDayText.TryParse(null!, out int value));
        Assert.Equal(0, value);
        Assert.False(TimeOfDayText.TryParse(null!, 0, 5, out value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("xx08:30yy", 2, 5, 510)]    // a token inside a request line
    [InlineData("ab23:59", 2, 5, 1439)]     // ending exactly at the end of the text
    [InlineData("00:01", 0, 5, 1)]
    public void Parses_a_range_of_a_longer_text(string text, int start, int length, int minute)
    {
        Assert.True(TimeOfDayText.TryParse(text, start, length, out int value));
        Assert.Equal(minute, value);
    }

    [Theory]
    [InlineData("23:59", 1, 5)]     // runs one past the end
    [InlineData("x23:5", 1, 5)]     // runs one past the end, with the colon where it belongs
    [InlineData("23:59", -1, 5)]
    [InlineData("x23:59", 1, 4)]
    [InlineData("x23:590", 1, 6)]
    public void Refuses_a_range_that_is_not_exactly_five_characters_inside_the_text(string text, int start, int length)
    {
        Assert.False(TimeOfDayText.TryParse(text, start, length, out int value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(420, "07:00")]
    [InlineData(601, "10:01")]
    [InlineData(1439, "23:59")]
    public void Formats_five_characters_at_an_offset(int minute, string expected)
    {
        var buffer = new[] { '.', '.', '.', '.', '.', '.', '.', '.' };
        Assert.Equal(5, TimeOfDayText.Format(minute, buffer, 2));
        Assert.Equal(".." + expected + ".", new string(buffer));
        Assert.Equal(expected, TimeOfDayText.Format(minute));
    }
}
