using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

public class TimeOfDayTextTests
{
    [Theory]
    [InlineData("00:00", 0)]
    [InlineData("00:01", 1)]
    [InlineData("08:30", 510)]
    [InlineData("23:59", 1439)]
    public void Parses_valid_times(string text, int minute)
    {
        Assert.True(TimeOfDayText.TryParse(text, out int value));
        Assert.Equal(minute, value);
        Assert.Equal(text, TimeOfDayText.Format(value));
    }

    [Theory]
    [InlineData("24:00")]
    [InlineData("12:60")]
    [InlineData("8:30")]
    [InlineData("08:3")]
    [InlineData("0830")]
    [InlineData("08-30")]
    [InlineData("")]
    [InlineData("aa:bb")]
    [InlineData("08:30:00")]
    public void Rejects_malformed(string text)
    {
        Assert.False(TimeOfDayText.TryParse(text, out int value));
        Assert.Equal(0, value);
    }

    [Fact]
    public void Every_minute_round_trips()
    {
        for (int m = 0; m < 1440; m++)
        {
            Assert.True(TimeOfDayText.TryParse(TimeOfDayText.Format(m), out int back));
            Assert.Equal(m, back);
        }
    }
}
