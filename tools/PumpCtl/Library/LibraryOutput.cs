// The drug library for people (a table) and for programs (CSV in RFC 4180 with CRLF, like
// `pumpctl hist`, and JSON). CSV keeps the pump's text; JSON gives numbers as numbers with the
// pump's 3 decimals and a limit that does not limit (NONE) as null.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace PumpCtl.Library;

/// <summary>Renders drug library entries.</summary>
public static class LibraryOutput
{
    private static readonly (string Key, string Header)[] Columns =
    {
        ("drug", "drug"),
        ("source", "source"),
        ("max_conc_ug_ml", "max conc\nµg/mL"),
        ("max_ug_day", "max dose\nµg/day"),
        ("max_step_ug_day", "max rise\nµg/day"),
        ("max_increases_7d", "max rises\nin 7 d"),
        ("max_increase_7d_ug_day", "max total rise\nin 7 d, µg/day"),
        ("drug_crc", "drug_crc"),
    };

    private static readonly (string Key, string Header)[] RiseColumns =
    {
        ("increases_7d", "rises\nin 7 d"),
        ("increase_7d_ug_day", "total rise\nin 7 d, µg/day"),
    };

    /// <summary>The CSV/JSON keys: the pump's field names, the rises only when <paramref name="withRises"/>.</summary>
    public static string[] Keys(bool withRises) =>
        Columns.Select(c => c.Key).Concat(withRises ? RiseColumns.Select(c => c.Key) : Array.Empty<string>()).ToArray();

    /// <summary>A table of <paramref name="entries"/>; the rises of the last 7 days as two more columns when the entries carry them.</summary>
    public static Table Table(IReadOnlyList<LibraryEntry> entries, string title)
    {
        bool withRises = entries.Any(e => e.HasRises);
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        (string Key, string Header)[] columns = Columns.Concat(withRises ? RiseColumns : Array.Empty<(string Key, string Header)>()).ToArray();
        foreach (var (key, header) in columns)
        {
            var column = new TableColumn(Markup.Escape(header));
            if (key.StartsWith("max", StringComparison.Ordinal) || key.StartsWith("increase", StringComparison.Ordinal))
            {
                column.RightAligned();
            }
            table.AddColumn(column);
        }
        foreach (LibraryEntry e in entries)
        {
            table.AddRow(columns.Select(c => Cell(e, c.Key)).ToArray());
        }
        if (entries.Count == 0)
        {
            table.Caption("no entries: no drug is checked");
        }
        else
        {
            table.Caption("NONE: no limit · DEFAULT: compiled in · PUMP: set on this pump, replaces a DEFAULT of its name");
        }
        return table;
    }

    private static string Cell(LibraryEntry e, string key)
    {
        string text = e.Get(key);
        if (key == "source")
        {
            return text switch { "PUMP" => "[yellow]PUMP[/]", "NONE" => "[grey]NONE (no entry)[/]", _ => Markup.Escape(text) };
        }
        if (text == "NONE" || (text.Length == 0 && e.Source == "NONE" && key.StartsWith("max", StringComparison.Ordinal)))
        {
            return "[grey]NONE[/]";
        }
        return Markup.Escape(text);
    }

    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/> (colours only on a terminal; 160 columns wide when redirected, so no cell wraps in a file).</summary>
    public static void Write(TextWriter writer, Table table)
    {
        bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }
        console.Write(table);
    }

    /// <summary>RFC 4180 CSV (CRLF): a header of the pump's keys, one row per entry, values as the pump printed them.</summary>
    public static string Csv(IReadOnlyList<LibraryEntry> entries)
    {
        string[] keys = Keys(entries.Any(e => e.HasRises));
        var s = new StringBuilder(string.Join(",", keys) + "\r\n");
        foreach (LibraryEntry e in entries)
        {
            // Drug names are [A-Za-z0-9_-] and values numbers or words: nothing needs quoting.
            s.Append(string.Join(",", keys.Select(e.Get))).Append("\r\n");
        }
        return s.ToString();
    }

    /// <summary>A JSON array of objects keyed by the pump's field names; numbers with the pump's decimals, NONE as null.</summary>
    public static string Json(IReadOnlyList<LibraryEntry> entries)
    {
        string[] keys = Keys(entries.Any(e => e.HasRises));
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (LibraryEntry e in entries)
            {
                w.WriteStartObject();
                foreach (string key in keys)
                {
                    string text = e.Get(key);
                    if (key is "drug" or "source" or "drug_crc")
                    {
                        w.WriteString(key, text);
                    }
                    else if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
                    {
                        w.WriteNumber(key, value);
                    }
                    else
                    {
                        w.WriteNull(key); // NONE, or no entry at all
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
