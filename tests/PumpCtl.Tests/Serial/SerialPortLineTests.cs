// System.IO.Ports on a real pseudo-terminal: the path a user takes to a pump's tty or the
// virtual device's pty.
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Serial;

public class SerialPortLineTests
{
    [Fact]
    public void Requests_and_async_lines_cross_a_real_pty()
    {
        using var device = new PtyDevice(line => line == "STATUS?" ? new[] { "!ALARM code=LOW_RESERVOIR state=RAISED t_ms=1", "OK state=RUNNING\r" } : new[] { "ERR 400 unknown command" });
        using var port = new SerialPortLine(device.SlavePath);
        var client = new PumpClient(port) { Timeout = TimeSpan.FromSeconds(5) };

        DeviceReply reply = client.Request("STATUS?");

        Assert.Equal("OK state=RUNNING", reply.Status);
        Assert.Equal(new[] { "!ALARM code=LOW_RESERVOIR state=RAISED t_ms=1" }, reply.AsyncLines);
        Assert.False(client.Request("BOGUS").IsOk);
        Assert.Null(port.ReadLine(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void A_missing_port_is_an_IOException_naming_it()
    {
        var e = Assert.ThrowsAny<IOException>(() => new SerialPortLine("/dev/pts/pumpctl-none"));
        Assert.Contains("/dev/pts/pumpctl-none", e.Message);
    }

    [Fact]
    public void A_device_that_vanishes_is_an_IOException_not_a_hang()
    {
        // Closing the pty's master side is what a pulled USB cable looks like to the host:
        // reads and writes must fail with IOException so the logger reconnects.
        var device = new PtyDevice(_ => new[] { "OK" });
        using var port = new SerialPortLine(device.SlavePath);
        Assert.Equal("OK", new PumpClient(port).Request("STATUS?").Status);
        device.Dispose();

        // At most 20 reads of 100 ms: if neither call ever fails, the assertion does.
        Assert.ThrowsAny<IOException>(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                port.ReadLine(TimeSpan.FromMilliseconds(100));
                port.WriteLine("STATUS?");
            }
        });
    }
}
