// `pumpctl console`: a person's session. Answers are `< ...`, the pump's own `!` lines are
// indented apart from them, the PIN is never shown or kept, and the line editor edits and
// recalls lines the way readline does.
using PumpCtl.Cli;
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class ConsoleTests
{
    private sealed class Opener : ISerialLineOpener
    {
        private readonly ISerialLine _line;

        public Opener(ISerialLine line) => _line = line;

        public ISerialLine Open(string portName) => _line;
    }

    private static IEnumerable<(TimeSpan, string)> Pump(string line) => line switch
    {
        "AUTH 4711" => new[] { (TimeSpan.FromMilliseconds(5), "OK session_s=600") },
        "STATUS?" => new[] { (TimeSpan.FromMilliseconds(5), "!ALARM code=LOW_RESERVOIR state=RAISED t_ms=5"), (TimeSpan.FromMilliseconds(10), "OK state=RUNNING") },
        "HELP" => new[] { (TimeSpan.FromMilliseconds(5), "ERR 400 unknown command") },
        _ => new[] { (TimeSpan.FromMilliseconds(5), "ERR 400 unknown command") },
    };

    [Fact]
    public void A_session_shows_answers_and_bang_lines_apart_and_never_the_PIN()
    {
        var port = new TimedLine(Pump);
        var (exit, output) = Run(port, "AUTH 4711\nSTATUS?\nexit\n");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(new[] { "AUTH 4711", "STATUS?" }, port.Written);
        string[] lines = output.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        Assert.Equal(new[]
        {
            "> AUTH ****",
            "< OK session_s=600",
            "> STATUS?",
            "    !ALARM code=LOW_RESERVOIR state=RAISED t_ms=5",
            "< OK state=RUNNING",
        }, lines.Skip(1));
        Assert.DoesNotContain("4711", output);
    }

    [Fact]
    public void HELP_on_a_firmware_without_it_points_to_the_protocol()
    {
        var (_, output) = Run(new TimedLine(Pump), "HELP\n");
        Assert.Contains("< ERR 400 unknown command", output);
        Assert.Contains("this firmware has no HELP; the commands are listed in docs/PROTOCOL.md", output);
    }

    [Fact]
    public void A_silent_device_is_reported_and_the_session_goes_on()
    {
        var port = new TimedLine(l => l == "STATUS?" ? new[] { (TimeSpan.FromMilliseconds(5), "OK") } : Array.Empty<(TimeSpan, string)>());
        var (exit, output) = Run(port, "PING\nSTATUS?\n", timeout: TimeSpan.FromMilliseconds(300));
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("(no answer within 0.3 s)", output);
        Assert.Contains("< OK", output);
    }

    private static (int Exit, string Output) Run(ISerialLine port, string input, TimeSpan? timeout = null)
    {
        TextWriter old = Console.Out;
        var o = new StringWriter();
        Console.SetOut(o);
        try
        {
            int exit = ConsoleCommand.Execute(new Opener(port), "/dev/timed", crc: false, timeout ?? TimeSpan.FromSeconds(2), editor: null, new StringReader(input));
            return (exit, o.ToString());
        }
        finally
        {
            Console.SetOut(old);
        }
    }

    private static ConsoleKeyInfo Key(char c) => new(c, c >= 'a' && c <= 'z' ? (ConsoleKey)char.ToUpperInvariant(c) : c == ' ' ? ConsoleKey.Spacebar : 0, false, false, false);

    private static ConsoleKeyInfo Key(ConsoleKey key, bool ctrl = false) => new(key == ConsoleKey.Enter ? '\r' : '\0', key, false, false, ctrl);

    private static Func<ConsoleKeyInfo> Keys(params object[] keys)
    {
        var queue = new Queue<ConsoleKeyInfo>();
        foreach (object k in keys)
        {
            if (k is string text)
            {
                foreach (char c in text)
                {
                    queue.Enqueue(Key(c));
                }
            }
            else
            {
                queue.Enqueue((ConsoleKeyInfo)k);
            }
        }
        return queue.Dequeue;
    }

    [Fact]
    public void The_editor_moves_inserts_and_deletes_like_readline()
    {
        var screen = new StringWriter();
        var editor = new LineEditor(screen, Keys("STAUS?", Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), "T",
            Key(ConsoleKey.End), "x", Key(ConsoleKey.Backspace), Key(ConsoleKey.Home), Key(ConsoleKey.Delete), "S", Key(ConsoleKey.Enter)), "pump> ");
        Assert.Equal("STATUS?", editor.ReadLine());
    }

    [Fact]
    public void Up_and_down_recall_earlier_lines_but_never_a_PIN()
    {
        var screen = new StringWriter();
        var editor = new LineEditor(screen, Keys(
            "STATUS?", Key(ConsoleKey.Enter),
            "AUTH 4711", Key(ConsoleKey.Enter),
            "PIN 1234", Key(ConsoleKey.Enter),
            "TEL 1", Key(ConsoleKey.Enter),
            Key(ConsoleKey.UpArrow), Key(ConsoleKey.UpArrow), Key(ConsoleKey.Enter),
            "LOG", Key(ConsoleKey.UpArrow), Key(ConsoleKey.DownArrow), "? 1 3", Key(ConsoleKey.Enter)), "pump> ");
        string?[] lines = { editor.ReadLine(), editor.ReadLine(), editor.ReadLine(), editor.ReadLine(), editor.ReadLine(), editor.ReadLine() };

        Assert.Equal(new[] { "STATUS?", "AUTH 4711", "PIN 1234", "TEL 1", "STATUS?", "LOG? 1 3" }, lines);
        Assert.Equal(new[] { "STATUS?", "TEL 1", "STATUS?", "LOG? 1 3" }, editor.History);
        Assert.DoesNotContain("4711", screen.ToString());
        Assert.DoesNotContain("1234", screen.ToString());
        Assert.Contains("AUTH ****", screen.ToString());
    }

    [Fact]
    public void A_line_from_the_device_is_printed_above_the_line_being_typed_which_is_drawn_again()
    {
        var screen = new StringWriter();
        LineEditor? editor = null;
        int calls = 0;
        editor = new LineEditor(screen, () =>
        {
            if (++calls == 4)
            {
                editor!.PrintAbove("    !TEL seq=7");
            }
            return calls <= 5 ? Key("STATU"[calls - 1]) : Key(ConsoleKey.Enter);
        }, "pump> ");
        Assert.Equal("STATU", editor.ReadLine());
        string text = screen.ToString();
        int tel = text.IndexOf("    !TEL seq=7\r\n", StringComparison.Ordinal);
        Assert.True(tel > 0);
        Assert.Contains("pump> STA", text.Substring(tel));   // the half-typed line comes back under it
    }

    [Fact]
    public void Ctrl_D_on_an_empty_line_ends_the_session()
    {
        var editor = new LineEditor(new StringWriter(), Keys(Key(ConsoleKey.D, ctrl: true)), "pump> ");
        Assert.Null(editor.ReadLine());
    }

    [Theory]
    [InlineData("AUTH 4711", "AUTH ****")]
    [InlineData("auth  12345678", "auth  ********")]
    [InlineData("PIN 2468", "PIN ****")]
    [InlineData("AUTH", "AUTH")]
    [InlineData("STATUS?", "STATUS?")]
    [InlineData("PROG:DRUG baclofen 2000", "PROG:DRUG baclofen 2000")]
    public void Secrets_are_masked(string line, string shown) => Assert.Equal(shown, LineEditor.Mask(line));
}
