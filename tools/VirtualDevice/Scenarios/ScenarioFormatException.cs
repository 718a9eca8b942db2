namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>A malformed scenario: the message is <c>file:line:column: why</c>, then the line and a
/// caret under the column, like a compiler's.</summary>
public sealed class ScenarioFormatException : FormatException
{
    /// <summary>Creates the error.</summary>
    /// <param name="file">The file as named to the user.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column (0: the whole line).</param>
    /// <param name="why">What is wrong and what would be right.</param>
    /// <param name="text">The line as written (null: not shown).</param>
    public ScenarioFormatException(string file, int line, int column, string why, string? text = null)
        : base(Format(file, line, column, why, text))
    {
        File = file;
        Line = line;
        Column = column;
        Why = why;
    }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column (0: the whole line).</summary>
    public int Column { get; }

    /// <summary>The reason alone.</summary>
    public string Why { get; }

    private static string Format(string file, int line, int column, string why, string? text)
    {
        string head = column > 0 ? $"{file}:{line}:{column}: {why}" : $"{file}:{line}: {why}";
        if (text == null) return head;
        string shown = text.Replace('\t', ' ').TrimEnd();
        return head + "\n  " + shown + (column > 0 ? "\n  " + new string(' ', column - 1) + "^" : "");
    }
}
