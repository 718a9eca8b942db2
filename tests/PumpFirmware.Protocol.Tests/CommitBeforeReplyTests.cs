using PumpFirmware.App;
using PumpFirmware.Protocol.Tests.Fakes;

namespace PumpFirmware.Protocol.Tests;

/// <summary>A status line is a promise: what it reports must already be durable when the host
/// reads it. Otherwise a power cut between the "OK" and the commit could erase a granted PTM
/// from the history and let the next request through inside its lockout.</summary>
public class CommitBeforeReplyTests
{
    /// <summary>Records, at each commit, how much the device had already sent on the link.</summary>
    private sealed class RecordingHook(FakeSerialLink link) : IPersistenceHook
    {
        public List<string> SentAtCommit { get; } = new();
        public bool OnStateChanged(PumpApplication app, int reasons) { SentAtCommit.Add(link.SentText); return true; }
    }

    [Theory]
    [InlineData("PTM")]
    [InlineData("BOLUS 5 10")]
    [InlineData("STOP")]
    [InlineData("REFILL 15000")]
    public void A_state_changing_request_is_committed_before_its_status_line_is_sent(string request)
    {
        var device = new TestDevice();
        foreach (string line in new[] { "AUTH 0000", "PROG:DRUG baclofen 500", "PROG:LIMIT 2000", "PROG:STEP 00:00 1000",
                     "PROG:PTM 10 5 60 4", "PROG:CATHETER 150", "REFILL 20000" })
            Assert.StartsWith("OK", device.Status(line));
        string crc = device.Status("PROG:REVIEW").Substring(7, 4);
        Assert.StartsWith("OK", device.Status("PROG:COMMIT " + crc));
        Assert.StartsWith("OK", device.Status("START"));
        device.Link.TakeLines();

        var hook = new RecordingHook(device.Link);
        device.App.SetPersistence(hook);
        string before = device.Link.SentText;

        string status = device.Status(request);

        Assert.StartsWith("OK", status);
        Assert.NotEmpty(hook.SentAtCommit);
        // The first commit after the request happened while the OK was not yet on the wire.
        Assert.DoesNotContain(status, hook.SentAtCommit[0].Substring(before.Length));
    }
}
