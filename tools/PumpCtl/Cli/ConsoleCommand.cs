// `pumpctl console`: a person's session with a pump. Type protocol lines with line editing and
// history; each answer is shown as `< OK ...` / `< ERR ...`, and the `!` lines the pump sends on
// its own (telemetry, alarms, boot) are indented below, so the two never blur. The PIN of
// AUTH and PIN is shown as '*' and kept out of the history. It works with the protocol's plain
// line framing (LF, no device echo): the editing happens here, so it needs neither the
// device's ECHO nor a terminal's line mode. With stdin redirected it reads one request per
// line, waits for each answer, and prints the same transcript (for scripts and tests).
using System.CommandLine;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl console</c>.</summary>
public static class ConsoleCommand
{
    /// <summary>When set, the session reads its lines from here instead of the keyboard (tests).</summary>
    internal static TextReader? TestInput { get; set; }

    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener opener)
    {
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var command = new Command("console",
            "An interactive session: type protocol lines (line editing, Up/Down history), see each answer and, apart from it, the ! lines " +
            "the pump sends. The PIN is never shown. 'exit' or Ctrl+D ends it.")
        {
            port, crc, timeout,
        };
        command.SetAction(r => Execute(opener, r.GetValue(port)!, r.GetValue(crc), TimeSpan.FromSeconds(r.GetValue(timeout)),
            TestInput != null || Console.IsInputRedirected ? null : new LineEditor(Console.Out, () => Console.ReadKey(intercept: true), "pump> "),
            TestInput ?? Console.In));
        return command;
    }

    /// <summary>Runs a session; <paramref name="editor"/> null reads plain lines from <paramref name="input"/>.</summary>
    public static int Execute(ISerialLineOpener opener, string portName, bool crc, TimeSpan timeout, LineEditor? editor, TextReader input)
    {
        ISerialLine port;
        try
        {
            port = opener.Open(portName);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl console: {e.Message}");
            return ExitCodes.Communication;
        }
        using (port)
        {
            var session = new Session(port, crc, editor);
            bool treatCtrlC = editor != null && !Console.IsInputRedirected;
            if (treatCtrlC)
            {
                Console.TreatControlCAsInput = true;
            }
            try
            {
                return session.Run(input, timeout, portName);
            }
            finally
            {
                if (treatCtrlC)
                {
                    Console.TreatControlCAsInput = false;
                }
            }
        }
    }

    private sealed class Session
    {
        private readonly ISerialLine _port;
        private readonly bool _crc;
        private readonly LineEditor? _editor;
        private readonly object _print = new();
        private readonly ManualResetEventSlim _answered = new(false);
        private volatile bool _stop;
        private volatile string? _lost;
        private volatile string? _lastStatus;
        private DateTime _lastLineUtc;

        public Session(ISerialLine port, bool crc, LineEditor? editor)
        {
            _port = port;
            _crc = crc;
            _editor = editor;
        }

        public int Run(TextReader input, TimeSpan timeout, string portName)
        {
            Print($"connected to {portName}; type a protocol line (HELP lists the commands), 'exit' or Ctrl+D ends", Style.Note);
            // What the port already holds (a !BOOT, the end of an earlier session) is shown
            // before the first prompt, so it is never mistaken for an answer to what is typed.
            DateTime giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            try
            {
                string? early;
                while (DateTime.UtcNow < giveUp && (early = _port.ReadLine(TimeSpan.FromMilliseconds(150))) != null)
                {
                    Show(early);
                }
            }
            catch (IOException e)
            {
                _lost = e.Message;
            }
            var reader = new Thread(Read) { IsBackground = true, Name = "console reader" };
            reader.Start();
            try
            {
                while (_lost == null)
                {
                    string? line = _editor != null ? _editor.ReadLine() : input.ReadLine();
                    if (line == null || line.Trim() is "exit" or "quit")
                    {
                        break;
                    }
                    line = line.Trim();
                    if (line.Length == 0)
                    {
                        continue;
                    }
                    if (_editor == null)
                    {
                        Print("> " + LineEditor.Mask(line), Style.Request);
                    }
                    _answered.Reset();
                    _lastLineUtc = DateTime.UtcNow;
                    try
                    {
                        _port.WriteLine(_crc ? ProtocolLine.WithCrc(line) : line);
                    }
                    catch (IOException e)
                    {
                        _lost = e.Message;
                        break;
                    }
                    // Wait for the answer while the device keeps talking; give up after a silence.
                    while (!_answered.Wait(50) && _lost == null)
                    {
                        if (DateTime.UtcNow - _lastLineUtc > timeout)
                        {
                            Print($"(no answer within {DurationText.Format(timeout)})", Style.Note);
                            break;
                        }
                    }
                    if (line.Equals("HELP", StringComparison.OrdinalIgnoreCase) && _lastStatus is string s && s.StartsWith("ERR 400", StringComparison.Ordinal))
                    {
                        Print("(this firmware has no HELP; the commands are listed in docs/PROTOCOL.md)", Style.Note);
                    }
                }
            }
            finally
            {
                _stop = true;
                reader.Join(1000);
            }
            if (_lost != null)
            {
                Console.Error.WriteLine($"pumpctl console: the link was lost: {_lost}");
                return ExitCodes.Communication;
            }
            return ExitCodes.Ok;
        }

        private void Read()
        {
            while (!_stop)
            {
                string? raw;
                try
                {
                    raw = _port.ReadLine(TimeSpan.FromMilliseconds(100));
                }
                catch (IOException e)
                {
                    _lost = e.Message;
                    _answered.Set();
                    return;
                }
                if (raw != null)
                {
                    Show(raw);
                }
            }
        }

        private void Show(string raw)
        {
            _lastLineUtc = DateTime.UtcNow;
            bool crcOk = ProtocolLine.TryStripCrc(raw, out string body);
            if (body.StartsWith('!'))
            {
                Print("    " + body + (crcOk ? "" : "   (bad CRC)"), Style.Async);
            }
            else if (ProtocolLine.IsStatus(body))
            {
                Print("< " + body + (crcOk ? "" : "   (bad CRC: do not trust this answer)"), body.StartsWith("ERR", StringComparison.Ordinal) ? Style.Error : Style.Reply);
                _lastStatus = body;
                _answered.Set();
            }
            else if (body.Length > 0)
            {
                Print("    ? " + LineEditor.Mask(body), Style.Note);
            }
        }

        private enum Style
        {
            Request,
            Reply,
            Error,
            Async,
            Note,
        }

        private void Print(string text, Style style)
        {
            if (_editor != null)
            {
                string color = style switch
                {
                    Style.Reply => "\u001b[32m",
                    Style.Error => "\u001b[31m",
                    Style.Async => "\u001b[36m",
                    Style.Note => "\u001b[2m",
                    _ => "",
                };
                _editor.PrintAbove(color.Length > 0 ? color + text + "\u001b[0m" : text);
                return;
            }
            lock (_print)
            {
                Console.Out.WriteLine(text);
                Console.Out.Flush();
            }
        }
    }
}
