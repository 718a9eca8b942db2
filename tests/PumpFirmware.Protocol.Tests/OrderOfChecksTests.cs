using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>PROTOCOL.md: 401, then 400 for an unknown command, then 403, then 400 for the
/// arguments, then 409, then 422/423. Each row breaks two rules at once; the earlier one wins.</summary>
public class OrderOfChecksTests
{
    private const string Huge = "1234567890123456789012345";

    private static string Crc(string line) => line + "*" + Crc16.ToHex(Crc16.Compute(line));

    [Theory]
    // 401 before everything.
    [InlineData("none", "FOO*0000", "ERR 401")]
    [InlineData("none", "BOLUS 1.2345 5*0000", "ERR 401")]
    // 400 unknown before 403.
    [InlineData("none", "BOLUSX 1 5", "ERR 400 unknown command")]
    // 403 before bad arguments.
    [InlineData("none", "BOLUS 1.2345 5", "ERR 403")]
    [InlineData("none", "PROG:STEP 24:00 1", "ERR 403")]
    [InlineData("none", "CAL", "ERR 403")]
    // Bad arguments before the state.
    [InlineData("stopped", "BOLUS 1.2345 5", "ERR 400")]
    [InlineData("stopped", "BOLUS 1", "ERR 400")]
    [InlineData("running", "PRIME -1", "ERR 400")]
    [InlineData("stopped", "PROG:COMMIT XYZW", "ERR 400")]
    [InlineData("stopped", "PTM now", "ERR 400")]
    // The state before values and limits.
    [InlineData("stopped", "BOLUS " + Huge + " 5", "ERR 409")]
    [InlineData("stopped", "BOLUS 1 5", "ERR 409")]
    [InlineData("running", "PRIME " + Huge, "ERR 409")]
    [InlineData("stopped", "PTM", "ERR 409")]
    [InlineData("empty", "PROG:COMMIT ABCD", "ERR 409 program incomplete")]
    // Values and limits last.
    [InlineData("running", "BOLUS " + Huge + " 5", "ERR 422")]
    [InlineData("stopped", "PRIME " + Huge, "ERR 422")]
    [InlineData("stopped", "PRIME 150.001", "ERR 422")]
    [InlineData("running", "REFILL 20000.001", "ERR 422")]
    public void The_first_broken_rule_answers(string state, string request, string expectedPrefix)
    {
        TestDevice device = state switch
        {
            "running" => BadInputTests.RunningDevice(),
            "none" => new TestDevice(),
            _ => new TestDevice(),
        };
        if (state == "stopped")
        {
            foreach (string line in new[] { "AUTH 0000", "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100", "PROG:CATHETER 150" })
                Assert.StartsWith("OK", device.Status(line));
            Assert.StartsWith("OK", device.Status("PROG:COMMIT " + device.Status("PROG:REVIEW").Substring(7, 4)));
        }
        if (state == "empty") Assert.StartsWith("OK", device.Status("AUTH 0000"));
        Assert.StartsWith(expectedPrefix, device.Status(request));
    }

    [Fact]
    public void A_CRC_covers_every_byte_before_the_star_including_spaces()
    {
        var device = new TestDevice();
        Assert.StartsWith("OK", device.Status(Crc("  TIME?  ")));
        Assert.StartsWith("ERR 401", device.Status(Crc("TIME?") .Replace("TIME?", "TIME? ")));
    }
}
