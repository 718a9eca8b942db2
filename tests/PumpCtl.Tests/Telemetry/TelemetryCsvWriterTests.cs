// The log format: the exact header, RFC 4180 quoting and CRLF, flushed per row.
using PumpCtl.Telemetry;
using Xunit;

namespace PumpCtl.Tests.Telemetry;

public class TelemetryCsvWriterTests
{
    private static readonly DateTime Host = new(2026, 11, 25, 18, 0, 1, 250, DateTimeKind.Utc);

    private static TelemetryRecord Record(string alarms = "NONE", string state = "RUNNING") =>
        new(7, "60000", "1767225600", state, "12.345", "1234", "19987.655", "1440.000", alarms);

    [Fact]
    public void Header_is_exactly_the_agreed_one()
    {
        var text = new StringWriter();
        using (new TelemetryCsvWriter(text, withMass: false))
        {
        }
        Assert.Equal("host_utc,seq,t_ms,unix_s,state,delivered_ul,steps,reservoir_ul,rate_ul_day,alarms\r\n", text.ToString());
    }

    [Fact]
    public void With_a_balance_the_header_ends_in_mass_g()
    {
        var text = new StringWriter();
        using (new TelemetryCsvWriter(text, withMass: true))
        {
        }
        Assert.EndsWith(",alarms,mass_g\r\n", text.ToString());
    }

    [Fact]
    public void A_plain_row_is_unquoted_with_crlf()
    {
        var text = new StringWriter();
        using var csv = new TelemetryCsvWriter(text, withMass: true);
        csv.Write(Host, Record(), 12.3456m);
        string row = text.ToString().Split("\r\n")[1];
        Assert.Equal("2026-11-25T18:00:01.250Z,7,60000,1767225600,RUNNING,12.345,1234,19987.655,1440.000,NONE,12.3456", row);
        Assert.Equal(1, csv.Rows);
    }

    [Theory]
    // RFC 4180: a field with a comma, a quote or a line break is enclosed in quotes, and a
    // quote inside is doubled.
    [InlineData("LOW_RESERVOIR,DOSE_LIMIT", "\"LOW_RESERVOIR,DOSE_LIMIT\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("NONE", "NONE")]
    public void Fields_are_quoted_as_RFC_4180_says(string alarms, string expected)
    {
        var text = new StringWriter();
        using var csv = new TelemetryCsvWriter(text, withMass: false);
        csv.Write(Host, Record(alarms));
        Assert.EndsWith("," + expected + "\r\n", text.ToString());
    }

    [Fact]
    public void A_missing_balance_reading_is_an_empty_last_cell()
    {
        var text = new StringWriter();
        using var csv = new TelemetryCsvWriter(text, withMass: true);
        csv.Write(Host, Record(), null);
        Assert.EndsWith(",NONE,\r\n", text.ToString());
    }

    [Fact]
    public void Each_row_reaches_the_file_before_the_next_one_is_written()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
            using var writer = new StreamWriter(stream);
            using var csv = new TelemetryCsvWriter(writer, withMass: false);
            csv.Write(Host, Record());
            // Read while the writer is still open: both lines must already be on disk.
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            Assert.Equal(2, reader.ReadToEnd().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
