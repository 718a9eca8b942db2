using System.IO.Pipes;
using System.Text;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Hosting;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Hosting;

/// <summary>PROTOCOL.md: every request line gets exactly one status line, in order, however fast lines arrive; the
/// virtual device paces its reader and never drops input; when the client stops reading, the device stops reading
/// requests and may drop `!TEL` lines, never a status line. The device server runs in-process here on two OS pipes,
/// which block a writer when full, like a pty.</summary>
public sealed class DeviceServerPacingTests : IDisposable
{
    private readonly AnonymousPipeServerStream _toDevice = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _deviceIn;
    private readonly AnonymousPipeServerStream _fromDevice = new(PipeDirection.In);
    private readonly AnonymousPipeClientStream _deviceOut;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Thread _serverThread;
    private readonly StreamReader _replies;

    public DeviceServerPacingTests()
    {
        _deviceIn = new AnonymousPipeClientStream(PipeDirection.In, _toDevice.ClientSafePipeHandle);
        _deviceOut = new AnonymousPipeClientStream(PipeDirection.Out, _fromDevice.ClientSafePipeHandle);
        var pump = new VirtualPump(new VirtualPumpOptions());
        Server = new DeviceServer(pump, _deviceIn.Read, bytes => _deviceOut.Write(bytes));
        _serverThread = new Thread(() => Server.Run(_cancel.Token)) { IsBackground = true };
        _serverThread.Start();
        _replies = new StreamReader(_fromDevice, Encoding.ASCII);
        Assert.StartsWith("!BOOT", ReadLine());
    }

    private DeviceServer Server { get; }

    public void Dispose()
    {
        _cancel.Cancel();
        _serverThread.Join(TimeSpan.FromSeconds(10));
        _toDevice.Dispose();
        _fromDevice.Dispose();
    }

    private string ReadLine()
    {
        var task = _replies.ReadLineAsync();
        if (!task.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("no line from the device in 60 s");
        return task.Result ?? throw new EndOfStreamException();
    }

    /// <summary>Writes <paramref name="text"/> in one burst from another thread (the pipe blocks it when full).</summary>
    private Task Burst(string text) => Task.Run(() =>
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        _toDevice.Write(bytes, 0, bytes.Length);
        _toDevice.Flush();
    });

    private static readonly string[] Program =
    {
        "AUTH 0000", "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 500", "PROG:STEP 00:00 480",
    };

    [Fact]
    public void Twenty_thousand_requests_in_one_burst_each_get_their_status_line_in_order_and_the_final_STOP_is_not_lost()
    {
        var setup = Burst(string.Join("\n", Program) + "\nPROG:REVIEW\n");
        var statuses = new List<string>();
        while (statuses.Count < Program.Length + 1)
        {
            string line = ReadLine();
            if (!line.StartsWith('!')) statuses.Add(line);
        }
        setup.Wait();
        string crc = statuses[^1].Substring("OK crc=".Length, 4);

        var burst = new StringBuilder();
        burst.Append("PROG:COMMIT ").Append(crc).Append("\nREFILL 20000\nSTART\n");
        for (int i = 0; i < 20_000; i++) burst.Append(i % 2 == 0 ? "STATUS?\n" : "STATUS?\r\n");
        burst.Append("AUTH 0000\nSTOP\nSTATUS?\n");
        int expected = 3 + 20_000 + 3;
        var writer = Burst(burst.ToString());

        statuses.Clear();
        while (statuses.Count < expected)
        {
            string line = ReadLine();
            if (!line.StartsWith('!')) statuses.Add(line);
        }
        writer.Wait();
        Assert.Equal("OK crc=" + crc, statuses[0]);
        Assert.Equal("OK", statuses[1]);
        Assert.Equal("OK", statuses[2]);
        for (int i = 3; i < 3 + 20_000; i++)
        {
            Assert.StartsWith("OK state=RUNNING ", statuses[i]);
        }
        Assert.Equal("OK session_s=600", statuses[^3]);
        Assert.Equal("OK", statuses[^2]);
        Assert.StartsWith("OK state=SUSPENDED ", statuses[^1]);    // STOP was read and run
    }

    [Fact]
    public void A_client_that_stops_reading_loses_only_telemetry_lines_never_a_status_line()
    {
        // A day of telemetry every second (86400 !TEL lines) while the client reads nothing, then two more
        // requests, then five more seconds whose !TEL lines arrive after the backlog, so the seq gap is visible
        // to the client (lines dropped at the very end of the backlog would otherwise show no gap yet).
        var writer = Burst("TEL 1\nSIM:ADVANCE 86400\n*IDN?\nTIME?\nSIM:ADVANCE 5\n");
        writer.Wait();
        Thread.Sleep(2000);                                          // nobody reads: output backs up

        var statuses = new List<string>();
        long lastSeq = 0;
        int telemetry = 0;
        bool gap = false;
        while (statuses.Count < 5)
        {
            string line = ReadLine();
            if (line.StartsWith("!TEL seq=", StringComparison.Ordinal))
            {
                long seq = long.Parse(line.Split(' ')[1]["seq=".Length..]);
                Assert.True(seq > lastSeq, "telemetry out of order");
                if (seq != lastSeq + 1) gap = true;
                lastSeq = seq;
                telemetry++;
                continue;
            }
            if (!line.StartsWith('!')) statuses.Add(line);
        }
        Assert.Equal("OK", statuses[0]);
        Assert.Equal("OK t_ms=86400000", statuses[1]);
        Assert.StartsWith("OK vendor=", statuses[2]);
        Assert.StartsWith("OK unix_s=", statuses[3]);
        Assert.Equal("OK t_ms=86405000", statuses[4]);
        // Every line is either delivered or counted as dropped, and only !TEL lines are dropped.
        Assert.True(telemetry < 86_400 && Server.DroppedTelemetryLines > 0,
            $"{telemetry} !TEL lines arrived, {Server.DroppedTelemetryLines} dropped");
        Assert.Equal(86_405L, telemetry + Server.DroppedTelemetryLines);

        // The client sees the loss as a seq gap at the latest at the next !TEL line it reads: on a loaded machine even
        // the five seconds after the backlog may have been dropped, so ask for more now that the output is drained.
        if (!gap)
        {
            Burst("SIM:ADVANCE 2\n").Wait();
            while (true)
            {
                string line = ReadLine();
                if (line.StartsWith("!TEL seq=", StringComparison.Ordinal))
                {
                    long seq = long.Parse(line.Split(' ')[1]["seq=".Length..]);
                    gap = seq != lastSeq + 1;
                    break;
                }
                Assert.True(line.StartsWith('!'), "unexpected status line " + line);
            }
        }
        Assert.True(gap, "the dropped !TEL lines left no gap in seq");
    }
}
