// The client side of PROTOCOL.md's framing: one status line per request, `!` lines before
// it collected in order, CRC appended and checked.
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Serial;

public class PumpClientTests
{
    [Fact]
    public void The_CRC_is_the_protocols_check_value()
    {
        // PROTOCOL.md: the check value of "123456789" is 29B1.
        Assert.Equal("123456789*29B1", ProtocolLine.WithCrc("123456789"));
    }

    [Fact]
    public void With_CRC_requests_carry_it_and_answers_are_checked()
    {
        var port = new ScriptedLine(_ => new[] { ProtocolLine.WithCrc("!TEL seq=1"), ProtocolLine.WithCrc("OK state=RUNNING") });
        DeviceReply reply = new PumpClient(port, useCrc: true).Request("STATUS?");
        Assert.Equal(ProtocolLine.WithCrc("STATUS?"), port.Written[0]);
        Assert.Equal("OK state=RUNNING", reply.Status);
        Assert.Equal(new[] { "!TEL seq=1" }, reply.AsyncLines);
        Assert.Equal("RUNNING", reply.Fields["state"]);
    }

    [Fact]
    public void A_status_line_with_a_wrong_CRC_is_an_error_and_a_bad_async_line_is_dropped()
    {
        var port = new ScriptedLine(_ => new[] { "!TEL seq=1*0000", "OK*0000" });
        var client = new PumpClient(port);
        var e = Assert.Throws<IOException>(() => client.Request("STATUS?"));
        Assert.Contains("failed its CRC check", e.Message);
        Assert.Equal(2, client.CorruptLines);
    }

    [Fact]
    public void ERR_is_a_reply_not_an_exception()
    {
        var port = new ScriptedLine(_ => new[] { "noise from a reconnect", "ERR 403 auth required" });
        DeviceReply reply = new PumpClient(port).Request("START");
        Assert.False(reply.IsOk);
        Assert.Equal("ERR 403 auth required", reply.Status);
    }

    [Fact]
    public void No_status_line_in_time_is_a_timeout_naming_the_request()
    {
        var client = new PumpClient(new ScriptedLine(_ => Array.Empty<string>())) { Timeout = TimeSpan.FromMilliseconds(5) };
        var e = Assert.Throws<DeviceTimeoutException>(() => client.Request("*IDN?"));
        Assert.Contains("no answer to '*IDN?'", e.Message);
    }

    [Theory]
    [InlineData("OK", true)]
    [InlineData("OK t_ms=5", true)]
    [InlineData("ERR 400 unknown command", true)]
    [InlineData("OKAY", false)]
    [InlineData("!TEL seq=1", false)]
    public void Status_lines_are_recognised(string line, bool status) => Assert.Equal(status, ProtocolLine.IsStatus(line));
}
