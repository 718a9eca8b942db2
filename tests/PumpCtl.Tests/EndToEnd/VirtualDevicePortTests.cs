// pumpctl against the virtual device over its pty, as a person uses it: a fixed name for the
// port (sim --link), send waiting through a long SIM:ADVANCE, a stale answer left on the port
// by someone else, and a console session.
using System.Diagnostics;
using System.Text.RegularExpressions;
using PumpCtl.Cli;
using PumpCtl.Serial;
using PumpCtl.Tests.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.EndToEnd;

[Collection("Console")]
public sealed class VirtualDevicePortTests
{
    [Fact]
    public void Sim_link_gives_the_pty_a_fixed_name_that_goes_away_with_the_device()
    {
        string link = Path.Combine(Path.GetTempPath(), "pumpctl-link-" + Guid.NewGuid().ToString("N"));
        File.CreateSymbolicLink(link, "/dev/pts/leftover-of-an-earlier-run");
        using (var sim = new SimProcess("--pty", "--clock", "manual", "--link", link))
        {
            Assert.Equal(link, sim.Announced["LINK"]);
            Assert.Equal(sim.Pty, new FileInfo(link).LinkTarget);
            var (exit, output, err) = ConsoleCapture.Run(new[] { "send", "STATUS?", "--port", link });
            Assert.True(exit == 0, err);
            // The reply, after any asynchronous line the device sent meanwhile: on a loaded machine the boot's !BOOT can
            // still be on its way when send starts reading, and send shows it, as it shows every ! line.
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.StartsWith("OK state=STOPPED", lines[^1]);
            Assert.All(lines[..^1], line => Assert.StartsWith("!", line));
            Assert.Equal(0, sim.Stop());
        }
        Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget != null);
    }

    [Fact]
    public void Sim_link_refuses_to_replace_a_file_that_is_not_a_link()
    {
        string file = Path.GetTempFileName();
        try
        {
            var (exit, _, err) = ConsoleCapture.Run(new[] { "sim", "--link", file });
            Assert.Equal(1, exit);
            Assert.Contains("it exists and is not a symbolic link; choose another path", err);
            Assert.True(File.Exists(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Send_waits_while_the_device_streams_a_long_SIM_ADVANCE_and_a_stale_answer_is_not_taken()
    {
        using var sim = new SimProcess("--pty", "--clock", "manual");
        Assert.Equal(0, ConsoleCapture.Run(new[] { "send", "TEL 1", "--port", sim.Pty }).Exit);

        // A day at one line a second: 86,400 lines, streamed for longer than the timeout, which
        // is the longest silence allowed, not the whole wait (PumpClientTimingTests pins that
        // rule on a clocked fake; here a loaded CI machine can pause the device for a second).
        var watch = Stopwatch.StartNew();
        var (exit, output, err) = ConsoleCapture.Run(new[] { "send", "SIM:ADVANCE 86400", "--port", sim.Pty, "--timeout", "2" });
        watch.Stop();
        Assert.True(exit == 0, err);
        string[] lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        // The device drops !TEL lines when its reader falls behind (their seq shows the gap);
        // every other line, and the status line, arrives.
        long[] seqs = lines.Where(l => l.StartsWith("!TEL ", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ')[1]["seq=".Length..])).ToArray();
        Assert.NotEmpty(seqs);
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal("OK t_ms=86400000", lines[^1]);
        Console.Error.WriteLine($"SIM:ADVANCE 86400 with TEL 1: {seqs.Length} !TEL lines read in {watch.Elapsed.TotalSeconds:0.0} s");

        ConsoleCapture.Run(new[] { "send", "TEL 0", "--port", sim.Pty });

        // Another program sends two requests and goes away after the first answer; the second
        // answer, left on the port, is not the answer to the next request.
        using (var other = new SerialPortLine(sim.Pty))
        {
            other.WriteLine("SIM:ADVANCE 60");
            other.WriteLine("*IDN?");
            var client = new PumpClient(other) { Timeout = TimeSpan.FromSeconds(10) };
            while (client.ReadAsync(TimeSpan.FromSeconds(10)) is string line && !line.StartsWith("OK t_ms=", StringComparison.Ordinal))
            {
            }
        }
        var status = ConsoleCapture.Run(new[] { "send", "STATUS?", "--port", sim.Pty });
        Assert.True(status.Exit == 0, status.Err);
        Assert.StartsWith("OK state=STOPPED", status.Out.TrimEnd().Split('\n')[^1]);
        Assert.DoesNotContain("vendor=", status.Out);
    }

    [Fact]
    public void A_console_session_on_the_virtual_device()
    {
        using var sim = new SimProcess("--pty", "--clock", "manual");
        TextWriter old = Console.Out;
        var screen = new StringWriter();
        Console.SetOut(screen);
        int exit;
        try
        {
            exit = ConsoleCommand.Execute(SerialPortOpener.Pump, sim.Pty, crc: false, TimeSpan.FromSeconds(5), editor: null,
                new StringReader("AUTH 0000\nSIM:FAULT LOW_BATTERY\nSTATUS?\n"));
        }
        finally
        {
            Console.SetOut(old);
        }
        string text = screen.ToString().Replace("\r\n", "\n");
        Assert.Equal(ExitCodes.Ok, exit);
        // The device's !BOOT may come before or after the first request; answers stay in order.
        int auth = text.IndexOf("> AUTH ****\n", StringComparison.Ordinal);
        Assert.True(auth >= 0, text);
        Assert.StartsWith("< OK session_s=600\n", Regex.Replace(text[(auth + "> AUTH ****\n".Length)..], "^(    !.*\n)*", ""));
        Assert.Contains("\n    !ALARM code=LOW_BATTERY state=RAISED", text);
        Assert.Contains("\n< OK state=", text);
        Assert.DoesNotContain("0000", text.Replace("t_ms=", "").Replace("=0", ""));
    }
}
