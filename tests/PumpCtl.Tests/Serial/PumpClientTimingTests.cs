// A request's answer is its own: the wait lasts as long as the device keeps sending (a long
// SIM:ADVANCE streams telemetry for many seconds before its OK), and lines that were already
// on the port, or the late answer to a request that timed out, are never taken for it.
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Serial;

public sealed class PumpClientTimingTests
{
    private static IEnumerable<(TimeSpan, string)> Streaming(int lines, int everyMs, string status)
    {
        for (int i = 1; i <= lines; i++)
        {
            yield return (TimeSpan.FromMilliseconds(i * everyMs), $"!TEL seq={i}");
        }
        yield return (TimeSpan.FromMilliseconds((lines + 1) * everyMs), status);
    }

    [Fact]
    public void The_wait_for_the_status_line_goes_on_while_the_device_keeps_streaming()
    {
        // 20 lines 60 ms apart: 1.26 s in all, with a timeout of 0.3 s between lines.
        var port = new TimedLine(l => l == "SIM:ADVANCE 3600" ? Streaming(20, 60, "OK t_ms=3600000") : Array.Empty<(TimeSpan, string)>());
        var client = new PumpClient(port) { Timeout = TimeSpan.FromMilliseconds(300) };

        DeviceReply reply = client.Request("SIM:ADVANCE 3600");

        Assert.Equal("OK t_ms=3600000", reply.Status);
        Assert.Equal(20, reply.AsyncLines.Count);
    }

    [Fact]
    public void A_silence_longer_than_the_timeout_still_ends_the_wait()
    {
        var port = new TimedLine(_ => new[] { (TimeSpan.FromMilliseconds(50), "!TEL seq=1"), (TimeSpan.FromMilliseconds(800), "OK") });
        var client = new PumpClient(port) { Timeout = TimeSpan.FromMilliseconds(300) };
        Assert.Throws<DeviceTimeoutException>(() => client.Request("SIM:ADVANCE 60"));
    }

    [Fact]
    public void Lines_already_waiting_on_the_port_are_discarded_before_the_first_request()
    {
        var port = new TimedLine(l => l == "STATUS?" ? new[] { (TimeSpan.FromMilliseconds(10), "OK state=RUNNING") } : Array.Empty<(TimeSpan, string)>());
        port.Leftover("!TEL seq=86400");
        port.Leftover("OK t_ms=86400000");     // the end of an earlier session's SIM:ADVANCE
        var client = new PumpClient(port);

        Assert.Equal(2, client.DiscardStale(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)));
        DeviceReply reply = client.Request("STATUS?");

        Assert.Equal("OK state=RUNNING", reply.Status);
        Assert.Empty(reply.AsyncLines);
        Assert.Equal(2, client.StaleLines);
    }

    [Fact]
    public void The_late_answer_to_a_request_that_timed_out_is_not_the_next_requests_answer()
    {
        var port = new TimedLine(l => l switch
        {
            "SIM:ADVANCE 86400" => new[] { (TimeSpan.FromMilliseconds(400), "OK t_ms=86400000") },
            "STATUS?" => new[] { (TimeSpan.FromMilliseconds(10), "OK state=RUNNING") },
            _ => Array.Empty<(TimeSpan, string)>(),
        });
        var client = new PumpClient(port) { Timeout = TimeSpan.FromMilliseconds(200) };
        Assert.Throws<DeviceTimeoutException>(() => client.Request("SIM:ADVANCE 86400"));

        DeviceReply reply = client.Request("STATUS?");

        Assert.Equal("OK state=RUNNING", reply.Status);
        Assert.Equal(1, client.StaleLines);
    }

    [Fact]
    public void A_device_still_streaming_an_earlier_answer_is_reported_not_mistaken()
    {
        var port = new TimedLine(_ => Array.Empty<(TimeSpan, string)>());
        for (int i = 0; i < 400; i++)
        {
            port.Leftover($"!TEL seq={i}");
        }
        var client = new PumpClient(port);
        // The lines keep coming for longer than the drain may last.
        var e = Assert.Throws<IOException>(() => client.DiscardStale(TimeSpan.FromMilliseconds(50), TimeSpan.Zero));
        Assert.Contains("still sending the answer to an earlier request", e.Message);
    }
}
