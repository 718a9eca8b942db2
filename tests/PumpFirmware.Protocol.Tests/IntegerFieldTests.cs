using PumpFirmware.Protocol.Tests.Fakes;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>PROTOCOL.md "Decisions": counts (<c>CAL</c>, <c>max_per_day</c>, <c>TEL</c>, <c>LOG?</c>) and whole minutes
/// and seconds (<c>BOLUS</c> and <c>PROG:PTM</c> minutes, <c>TIME</c>) are plain integers: a fraction there is
/// malformed (400), whatever its digits, and they print without decimals in the canonical text; a well-formed number
/// out of range, however large, is 422. Each row runs on a RUNNING pump with a session, and changes nothing.</summary>
public class IntegerFieldTests
{
    private const string Huge = "99999999999999999999999999";

    [Theory]
    [InlineData("BOLUS 1 2.5", "ERR 400 malformed number: duration_min (whole number, digits only)")]
    [InlineData("BOLUS 1 2.0", "ERR 400 malformed number: duration_min (whole number, digits only)")]
    [InlineData("BOLUS 1 2.000", "ERR 400 malformed number: duration_min (whole number, digits only)")]
    [InlineData("TIME 1700000000.000", "ERR 400 malformed number: unix_s (whole number, digits only)")]
    [InlineData("PROG:PTM 10 5.0 60 4", "ERR 400 malformed number: duration_min (whole number, digits only)")]
    [InlineData("PROG:PTM 10 5 60.0 4", "ERR 400 malformed number: lockout_min (whole number, digits only)")]
    [InlineData("PROG:PTM 10 5 60 4.0", "ERR 400 malformed count: max_per_day (digits only)")]
    [InlineData("CAL 64000.0", "ERR 400 malformed count: steps_per_ml (digits only)")]
    [InlineData("TEL 1.0", "ERR 400 malformed count: period_s (digits only)")]
    [InlineData("LOG? 1 5.0", "ERR 400 malformed count: count (digits only)")]
    public void A_fraction_in_an_integer_field_is_malformed(string request, string expected)
    {
        var device = BadInputTests.RunningDevice();
        byte[] before = BadInputTests.StateWithoutLog(device);
        Assert.Equal(expected, device.Status(request));
        Assert.Equal(before, BadInputTests.StateWithoutLog(device));
    }

    [Theory]
    [InlineData("BOLUS 1 " + Huge)]
    [InlineData("TIME " + Huge)]
    [InlineData("PROG:PTM 10 " + Huge + " 60 4")]
    [InlineData("PROG:PTM 10 5 " + Huge + " 4")]
    [InlineData("PROG:PTM 10 5 60 " + Huge)]
    [InlineData("CAL " + Huge)]
    [InlineData("TEL " + Huge)]
    [InlineData("LOG? 1 " + Huge)]
    public void A_well_formed_integer_out_of_range_however_large_is_422(string request)
    {
        var device = BadInputTests.RunningDevice();
        byte[] before = BadInputTests.StateWithoutLog(device);
        Assert.StartsWith("ERR 422 ", device.Status(request));
        Assert.Equal(before, BadInputTests.StateWithoutLog(device));
    }

    [Fact]
    public void Whole_minutes_and_counts_print_without_decimals_in_the_canonical_text()
    {
        var device = BadInputTests.RunningDevice();
        string program = device.Status("PROG?");
        Assert.Contains(" ptm_duration_min=5 ptm_lockout_min=60 ptm_max_per_day=4 ", program);
    }
}
