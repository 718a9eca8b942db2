using PumpFirmware.Protocol.Tests.Fakes;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>PROTOCOL.md "Decisions", over the wire: during a bridge, a commit that keeps the drug and concentration
/// leaves it running; one that changes either gets <c>ERR 409 bridge in progress</c> and changes nothing.</summary>
public class BridgeCommitTests
{
    private static string Commit(TestDevice device, string suffix = "")
    {
        string review = device.Status("PROG:REVIEW");
        Assert.StartsWith("OK crc=", review);
        return device.Status("PROG:COMMIT " + review.Substring(7, 4) + suffix);
    }

    [Fact]
    public void During_a_bridge_a_new_PTM_commits_and_a_new_concentration_is_refused()
    {
        var device = BadInputTests.RunningDevice();                   // baclofen 500 ug/mL, catheter 150 uL
        Assert.Equal("OK", device.Status("PROG:LOAD"));
        Assert.Equal("OK", device.Status("PROG:DRUG baclofen 1000"));
        Assert.StartsWith("OK crc=", Commit(device, " BRIDGE"));
        Assert.Contains(" bolus=BRIDGE ", device.Status("STATUS?"));

        Assert.Equal("OK", device.Status("PROG:PTM 10 5 30 4"));      // same drug and concentration
        Assert.StartsWith("OK crc=", Commit(device));
        Assert.Contains(" bolus=BRIDGE ", device.Status("STATUS?"));
        string program = device.Status("PROG?");

        Assert.Equal("OK", device.Status("PROG:DRUG baclofen 2000"));
        byte[] before = BadInputTests.StateWithoutLog(device);
        Assert.Equal("ERR 409 bridge in progress", Commit(device));
        Assert.Equal(before, BadInputTests.StateWithoutLog(device));
        Assert.Equal(program, device.Status("PROG?"));
        Assert.Contains(" bolus=BRIDGE ", device.Status("STATUS?"));
    }
}
