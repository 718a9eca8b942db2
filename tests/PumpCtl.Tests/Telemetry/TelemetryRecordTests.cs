// Parsing `!TEL` lines as PROTOCOL.md prints them.
using PumpCtl.Telemetry;
using Xunit;

namespace PumpCtl.Tests.Telemetry;

public class TelemetryRecordTests
{
    [Fact]
    public void Parses_a_protocol_line_keeping_the_printed_decimals()
    {
        Assert.True(TelemetryRecord.TryParse(
            "!TEL seq=42 t_ms=123456 unix_s=1767225600 state=RUNNING delivered_ul=12.340 steps=1234 reservoir_ul=19987.660 rate_ul_day=1440.000 alarms=LOW_RESERVOIR,DOSE_LIMIT",
            out TelemetryRecord? r, out _));
        Assert.Equal(new TelemetryRecord(42, "123456", "1767225600", "RUNNING", "12.340", "1234", "19987.660", "1440.000", "LOW_RESERVOIR,DOSE_LIMIT"), r);
        Assert.Equal(60.0, r!.RateMicrolitersPerDay / 24, 1e-12);
    }

    [Theory]
    [InlineData("!TEL seq=1 t_ms=1 unix_s=0 state=RUNNING delivered_ul=0.000 steps=0 reservoir_ul=0.000 rate_ul_day=0.000", "missing alarms=")]
    [InlineData("!TEL seq=x t_ms=1 unix_s=0 state=RUNNING delivered_ul=0.000 steps=0 reservoir_ul=0.000 rate_ul_day=0.000 alarms=NONE", "seq=x is not a count")]
    [InlineData("!TEL seq=1 t_ms=1 unix_s=0 state=RUNNING delivered_ul=abc steps=0 reservoir_ul=0.000 rate_ul_day=0.000 alarms=NONE", "delivered_ul=abc is not a number")]
    [InlineData("!ALARM code=EMPTY state=RAISED t_ms=5", "not a !TEL line")]
    public void Refuses_malformed_lines_saying_why(string line, string why)
    {
        Assert.False(TelemetryRecord.TryParse(line, out _, out string error));
        Assert.Equal(why, error);
    }
}
