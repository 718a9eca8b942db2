using System.IO.Ports;
using System.Text;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.EndToEnd;

/// <summary>A person at a terminal program with its default settings gets answers from `pumpctl sim --pty`.
/// With their defaults picocom, minicom and screen all send CR for Enter and DEL (0x7F) for Backspace, and show
/// what comes back as it is (no local echo, no LF to CR LF mapping); pyserial scripts send LF. Each profile types a
/// request, turns ECHO ON, types a request with a typo corrected by Backspace, and reads echo and CR LF replies.</summary>
public class TerminalPtyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("picocom", "\r", "\u007F")]
    [InlineData("minicom", "\r", "\u007F")]
    [InlineData("screen", "\r", "\u007F")]
    [InlineData("script with LF", "\n", "\b")]
    [InlineData("terminal sending CR LF", "\r\n", "\b")]
    public void A_terminal_with_its_default_settings_gets_answers(string profile, string enter, string backspace)
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual");
        string path = pumpctl.ReadStdoutLine(Timeout)[4..];
        using (var port = new SerialPort(path, 115200) { ReadTimeout = 20_000, WriteTimeout = 20_000, Encoding = Encoding.Latin1 })
        {
            port.Open();
            port.Write("*IDN?" + enter);
            string answer = ReadUntil(port, "proto=1\n");
            Assert.Matches("OK vendor=\\S+ model=PF-VIRTUAL serial=\\S+ fw=\\S+ proto=1\n$", answer);
            Assert.DoesNotContain("ERR", answer);                        // a CR LF pair is one line end, not two

            port.Write("ECHO ON" + enter);
            Assert.EndsWith("OK\r\n", ReadUntil(port, "OK\r\n"));

            port.Write("STATUZ" + backspace + "S?" + enter);
            string typed = ReadUntil(port, "pin_default=YES\r\n");
            Assert.StartsWith("STATUZ\b \bS?\r\nOK state=STOPPED ", typed);
            Assert.Contains("\r\n", typed);

            port.Write("ECHO OFF" + enter);
            ReadUntil(port, "OK\n");
        }
        Assert.Equal(0, pumpctl.Terminate(Timeout));
    }

    private static string ReadUntil(SerialPort port, string end)
    {
        var text = new StringBuilder();
        var deadline = DateTime.UtcNow + Timeout;
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited for '{end}', got '{text}'");
            text.Append((char)port.ReadByte());
        }
        return text.ToString();
    }
}
