// The line editor of `pumpctl console`: cursor keys, Home/End, Backspace/Delete, history with
// Up/Down, Ctrl+U to clear, Ctrl+D on an empty line or Ctrl+C to end. Lines that arrive from
// the device while a person types are printed above the line being edited, which is then drawn
// again. The arguments of AUTH and PIN are shown as '*' as they are typed and never enter the
// history, so a PIN is never on the screen, in the scrollback or a step of Up away.
//
// It reads keys through a function and writes ANSI sequences to a TextWriter, so the tests
// drive it with key lists and read what a terminal would show.
namespace PumpCtl.Cli;

/// <summary>A small readline for a terminal.</summary>
public sealed class LineEditor
{
    private readonly TextWriter _out;
    private readonly Func<ConsoleKeyInfo> _readKey;
    private readonly List<string> _history = new();
    private readonly object _screen = new();
    private readonly List<char> _buffer = new();
    private int _cursor;
    private bool _editing;

    /// <summary>An editor writing to <paramref name="output"/> and reading keys from <paramref name="readKey"/>.</summary>
    public LineEditor(TextWriter output, Func<ConsoleKeyInfo> readKey, string prompt)
    {
        _out = output;
        _readKey = readKey;
        Prompt = prompt;
    }

    /// <summary>Shown before the line.</summary>
    public string Prompt { get; }

    /// <summary>The lines entered, oldest first (without AUTH and PIN lines).</summary>
    public IReadOnlyList<string> History => _history;

    /// <summary>The most lines kept in the history.</summary>
    public int HistoryLimit { get; init; } = 500;

    /// <summary>True when <paramref name="line"/> carries a secret (<c>AUTH &lt;pin&gt;</c>, <c>PIN &lt;new&gt;</c>).</summary>
    public static bool IsSecret(string line)
    {
        string word = line.TrimStart().Split(' ', 2)[0];
        return word.Equals("AUTH", StringComparison.OrdinalIgnoreCase) || word.Equals("PIN", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><paramref name="line"/> as it may be shown: a secret's arguments replaced by '*'.</summary>
    public static string Mask(string line)
    {
        if (!IsSecret(line))
        {
            return line;
        }
        int start = line.Length - line.TrimStart().Length;
        int space = line.IndexOf(' ', start);
        if (space < 0)
        {
            return line;
        }
        var masked = line.ToCharArray();
        for (int i = space + 1; i < masked.Length; i++)
        {
            if (masked[i] != ' ')
            {
                masked[i] = '*';
            }
        }
        return new string(masked);
    }

    /// <summary>Prints <paramref name="text"/> on its own line(s) above the line being edited.</summary>
    public void PrintAbove(string text)
    {
        lock (_screen)
        {
            if (_editing)
            {
                _out.Write("\r\u001b[2K");
            }
            _out.Write(text);
            _out.Write("\r\n");
            if (_editing)
            {
                DrawLine();
            }
            _out.Flush();
        }
    }

    /// <summary>Reads one line; null at Ctrl+D on an empty line or Ctrl+C.</summary>
    public string? ReadLine()
    {
        lock (_screen)
        {
            _buffer.Clear();
            _cursor = 0;
            _editing = true;
            DrawLine();
            _out.Flush();
        }
        int historyIndex = _history.Count;
        string draft = "";
        while (true)
        {
            ConsoleKeyInfo key = _readKey();
            lock (_screen)
            {
                bool ctrl = (key.Modifiers & ConsoleModifiers.Control) != 0;
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        string line = new string(_buffer.ToArray());
                        _editing = false;
                        _out.Write("\r\n");
                        _out.Flush();
                        if (line.Trim().Length > 0 && !IsSecret(line) && (_history.Count == 0 || _history[^1] != line))
                        {
                            _history.Add(line);
                            if (_history.Count > HistoryLimit)
                            {
                                _history.RemoveAt(0);
                            }
                        }
                        return line;
                    case ConsoleKey.C when ctrl:
                    case ConsoleKey.D when ctrl && _buffer.Count == 0:
                        _editing = false;
                        _out.Write("\r\n");
                        _out.Flush();
                        return null;
                    case ConsoleKey.Backspace:
                        if (_cursor > 0)
                        {
                            _buffer.RemoveAt(--_cursor);
                        }
                        break;
                    case ConsoleKey.Delete:
                    case ConsoleKey.D when ctrl:
                        if (_cursor < _buffer.Count)
                        {
                            _buffer.RemoveAt(_cursor);
                        }
                        break;
                    case ConsoleKey.LeftArrow:
                    case ConsoleKey.B when ctrl:
                        _cursor = Math.Max(0, _cursor - 1);
                        break;
                    case ConsoleKey.RightArrow:
                    case ConsoleKey.F when ctrl:
                        _cursor = Math.Min(_buffer.Count, _cursor + 1);
                        break;
                    case ConsoleKey.Home:
                    case ConsoleKey.A when ctrl:
                        _cursor = 0;
                        break;
                    case ConsoleKey.End:
                    case ConsoleKey.E when ctrl:
                        _cursor = _buffer.Count;
                        break;
                    case ConsoleKey.U when ctrl:
                        _buffer.RemoveRange(0, _cursor);
                        _cursor = 0;
                        break;
                    case ConsoleKey.UpArrow:
                    case ConsoleKey.P when ctrl:
                        if (historyIndex > 0)
                        {
                            if (historyIndex == _history.Count)
                            {
                                draft = new string(_buffer.ToArray());
                            }
                            Replace(_history[--historyIndex]);
                        }
                        break;
                    case ConsoleKey.DownArrow:
                    case ConsoleKey.N when ctrl:
                        if (historyIndex < _history.Count)
                        {
                            historyIndex++;
                            Replace(historyIndex == _history.Count ? draft : _history[historyIndex]);
                        }
                        break;
                    default:
                        // The protocol is ASCII; anything else could not be sent anyway.
                        if (!ctrl && key.KeyChar >= ' ' && key.KeyChar < 127)
                        {
                            _buffer.Insert(_cursor++, key.KeyChar);
                        }
                        break;
                }
                DrawLine();
                _out.Flush();
            }
        }
    }

    private void Replace(string text)
    {
        _buffer.Clear();
        _buffer.AddRange(text);
        _cursor = _buffer.Count;
    }

    private void DrawLine()
    {
        string shown = Mask(new string(_buffer.ToArray()));
        _out.Write("\r\u001b[2K" + Prompt + shown);
        int back = _buffer.Count - _cursor;
        if (back > 0)
        {
            _out.Write($"\u001b[{back}D");
        }
    }
}
