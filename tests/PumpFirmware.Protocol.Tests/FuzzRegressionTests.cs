using PumpFirmware.Protocol.Tests.Fakes;

namespace PumpFirmware.Protocol.Tests;

/// <summary>
/// Inputs that the coverage-guided fuzzer (fuzz/PumpFirmware.Fuzz, SharpFuzz + AFL++) flagged,
/// written as the request bytes they boil down to. See docs/TESTING-EVIDENCE.md for each finding.
/// </summary>
public class FuzzRegressionTests
{
    /// <summary>
    /// Finding 1 (AFL++ run 2, 2026-11-25): a 207-byte chunk holding no LF got a status line.
    /// The firmware was right and the fuzz oracle wrong: PROTOCOL.md says a line over 200
    /// characters "gets ERR 400 line too long once and is discarded up to the next LF", and the
    /// firmware answers as the 201st character arrives, not at the LF. This pins that timing:
    /// 200 characters are still a line, the 201st gets the one ERR at once, the rest of the line
    /// and its LF get nothing, and the next line is answered normally.
    /// </summary>
    [Fact]
    public void A_line_over_200_characters_is_answered_once_when_its_201st_character_arrives()
    {
        var device = new TestDevice();
        device.Link.TakeLines();

        device.Link.Receive(new string('Y', 200));
        device.App.Poll();
        Assert.Empty(device.Link.TakeLines());               // 200 characters: still a request line

        device.Link.Receive("Y");
        device.App.Poll();
        Assert.Equal(new[] { "ERR 400 line too long" }, device.Link.TakeLines());

        device.Link.Receive(new string('Y', 300) + "\r\n");
        device.App.Poll();
        Assert.Empty(device.Link.TakeLines());               // discarded up to the LF, answered once

        Assert.Equal("OK crc=NONE", device.Status("PROG?"));
    }

    /// <summary>A CR ends a line (PROTOCOL.md framing: LF, CR or CR LF), so it never counts toward the 200:
    /// 200 characters and a CR are one request line, 199 characters, a CR and one more character are two.</summary>
    [Fact]
    public void A_CR_ends_a_line_and_never_counts_toward_the_200()
    {
        var device = new TestDevice();
        device.Link.TakeLines();

        var exact = device.Send(new string('Y', 200) + "\r");  // Send appends the LF: the pair ends one line
        Assert.Equal(new[] { "ERR 400 unknown command" }, exact);

        var two = device.Send(new string('Y', 199) + "\rY");
        Assert.Equal(new[] { "ERR 400 unknown command", "ERR 400 unknown command" }, two);
    }
}
