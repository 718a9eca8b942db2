using System.Text;
using PumpFirmware.Hal;
using PumpFirmware.Protocol.Tests.Fakes;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>A terminal that answers (PROTOCOL.md framing and "Decisions"): a request ends at LF, CR or CR LF;
/// <c>HELP [&lt;command&gt;]</c> lists the dispatcher's own table; <c>ECHO ON|OFF</c> echoes and erases for a person,
/// with CR LF line ends, off at boot; a machine client that asks for neither sees no change.</summary>
public class TerminalTests
{
    [Fact]
    public void HELP_sends_one_line_per_command_of_the_dispatchers_table_then_the_count_without_a_session()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        var lines = device.Send("HELP");
        Assert.Equal(CommandTable.Count + 1, lines.Count);
        for (int i = 0; i < CommandTable.Count; i++)
        {
            string args = CommandTable.Arguments(i);
            string expected = "!HELP " + CommandTable.Name(i) + (args.Length > 0 ? " " + args : "")
                + " auth=" + (CommandTable.NeedsAuth(i) ? "YES" : "NO");
            Assert.Equal(expected, lines[i]);
        }
        Assert.Equal("OK count=" + CommandTable.Count, lines[^1]);
        Assert.Contains("!HELP BOLUS <dose_ug> <duration_min> auth=YES", lines);
        Assert.Contains("!HELP PTM auth=NO", lines);
        Assert.Contains("!HELP HELP [<command>] auth=NO", lines);
        Assert.Contains("!HELP ECHO ON|OFF auth=NO", lines);
    }

    [Fact]
    public void HELP_of_one_command_any_case_sends_its_line_only()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal(new[] { "!HELP PROG:COMMIT <crc> [BRIDGE] [OVERRIDE=TITRATION] auth=YES", "OK count=1" }, device.Send("help prog:commit"));
        Assert.Equal(new[] { "ERR 400 unknown command (HELP lists them)" }, device.Send("HELP FOO"));
        Assert.StartsWith("ERR 400 wrong number of arguments: HELP [<command>]", device.Status("HELP A B"));
    }

    [Fact]
    public void Every_command_HELP_lists_is_one_the_dispatcher_knows_and_its_usage_is_the_tables()
    {
        // Twelve words is too many arguments for every command: each must answer with its own usage from the
        // table, never "unknown command". Signed in, so that auth does not answer first.
        var device = new TestDevice();
        device.Status("AUTH 0000");
        for (int i = 0; i < CommandTable.Count; i++)
        {
            string status = device.Status(CommandTable.Name(i) + " 1 2 3 4 5 6 7 8 9 10 11");
            Assert.Equal("ERR 400 wrong number of arguments: " + CommandTable.Usage(i), status);
        }
    }

    [Fact]
    public void A_request_ended_by_CR_alone_is_answered_as_picocom_minicom_and_screen_send_it()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        device.Link.Receive("*IDN?\rSTATUS?\r");
        device.App.Poll();
        var lines = device.Link.TakeLines();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("OK vendor=", lines[0]);
        Assert.StartsWith("OK state=STOPPED", lines[1]);
    }

    [Fact]
    public void A_line_of_only_spaces_or_tabs_gets_no_answer()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        device.Link.Receive("   \n\t\r \t \r\n*IDN?\n");
        device.App.Poll();
        var lines = device.Link.TakeLines();
        Assert.StartsWith("OK vendor=", Assert.Single(lines));
    }

    [Fact]
    public void ECHO_ON_echoes_erases_and_ends_lines_in_CR_LF_and_ECHO_OFF_restores_the_machine_form()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        string before = device.Link.SentText;
        device.Link.Receive("ECHO ON\r");
        device.App.Poll();
        Assert.Equal("OK\r\n", device.Link.SentText[before.Length..]);   // typed with echo off: not echoed

        int mark = device.Link.SentText.Length;
        device.Link.Receive("*IDX\u007F\bDN?\r");
        device.App.Poll();
        string session = device.Link.SentText[mark..];
        Assert.StartsWith("*IDX\b \b\b \bDN?\r\nOK vendor=", session);
        Assert.EndsWith("proto=1\r\n", session);

        mark = device.Link.SentText.Length;
        device.Link.Receive("ECHO OFF\r");
        device.App.Poll();
        Assert.Equal("ECHO OFF\r\nOK\n", device.Link.SentText[mark..]);

        mark = device.Link.SentText.Length;
        device.Link.Receive("X\b\n");
        device.App.Poll();
        Assert.Equal("ERR 400 unknown command\n", device.Link.SentText[mark..]);   // BS is a character again
    }

    [Fact]
    public void ECHO_is_off_after_a_reset()
    {
        var device = new TestDevice();
        Assert.Equal("OK", device.Status("ECHO ON").TrimEnd('\r'));
        var rebooted = device.PowerCycle(10);
        rebooted.Link.TakeLines();
        Assert.Equal(new[] { "OK state=STOPPED" }, rebooted.Send("STATUS?").Select(l => l[..16]));
        Assert.DoesNotContain("\r", rebooted.Link.SentText);
    }

    [Theory]
    [InlineData("ECHO", "ERR 400 wrong number of arguments: ECHO ON|OFF")]
    [InlineData("ECHO MAYBE", "ERR 400 malformed argument (ON or OFF)")]
    public void ECHO_refuses_anything_but_ON_or_OFF(string request, string expected)
    {
        var device = new TestDevice();
        Assert.Equal(expected, device.Status(request));
    }
}

/// <summary>PROTOCOL.md "Decisions": on a real UART, an overrun that tears a line is answered
/// <c>ERR 400 input overrun</c> for that line, never spliced. The link here says where its receive buffer reached
/// capacity, as the ESP32's does.</summary>
public class InputOverrunTests
{
    /// <summary>Received text in pieces; a piece may end where bytes were lost.</summary>
    private sealed class LossyLink : ISerialLink, ISerialInputLoss
    {
        private readonly Queue<(byte[] Bytes, bool GapAfter)> _pieces = new();
        private readonly FakeSerialLink _sent = new();
        public bool InputLostAfterLastRead { get; private set; }
        public void Receive(string text, bool gapAfter) => _pieces.Enqueue((Encoding.Latin1.GetBytes(text), gapAfter));
        public int Read(byte[] buffer, int offset, int count)
        {
            InputLostAfterLastRead = false;
            if (_pieces.Count == 0) return 0;
            var (bytes, gap) = _pieces.Dequeue();
            if (bytes.Length > count) throw new InvalidOperationException("test pieces must fit one read");
            bytes.CopyTo(buffer, offset);
            InputLostAfterLastRead = gap;
            return bytes.Length;
        }
        public void Write(byte[] buffer, int offset, int count) => _sent.Write(buffer, offset, count);
        public List<string> TakeLines() => _sent.TakeLines();
    }

    [Fact]
    public void A_line_torn_by_a_receive_overrun_is_answered_input_overrun_and_the_next_line_runs()
    {
        // "AUTH 0000" then "STOP" were sent; the link lost "00\nST" (the end of one line and the head of the next).
        var link = new LossyLink();
        var device = new TestDevice(boot: false);
        device.Hardware.Serial = link;
        var app = new PumpFirmware.App.PumpApplication(device.Hardware, new PumpFirmware.App.DeviceIdentity("v", "m", "s", "f"));
        app.Boot(ResetCause.Power, 0);
        link.TakeLines();
        link.Receive("*IDN?\nAUTH 00", gapAfter: true);
        link.Receive("OP\n*IDN?\n", gapAfter: false);
        app.Poll();
        var lines = link.TakeLines();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("OK vendor=", lines[0]);
        Assert.Equal("ERR 400 input overrun", lines[1]);              // never run as "AUTH 00OP"
        Assert.StartsWith("OK vendor=", lines[2]);
        Assert.False(app.Auth.IsAuthorized);
    }
}
