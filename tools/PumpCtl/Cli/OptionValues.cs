// Typed options whose parser does both the conversion and the range check, so a bad value
// becomes one parse error naming the option, the value and what is accepted, and nothing
// ever calls GetValue on a value that did not convert (System.CommandLine throws
// InvalidOperationException there, which used to end pumpctl with exit 134).
//
// Every command builds its options from these factories; a new command (or option) gets the
// same behaviour by using them, and OptionTableTests finds it by walking the command tree.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PumpCtl.Cli;

/// <summary>Factories for options whose values are checked while parsing.</summary>
public static class OptionValues
{
    /// <summary>The one-line message for a refused value.</summary>
    public static string Refused(string option, string value, string accepted) =>
        $"{option} '{value}' is not accepted; expected {accepted}";

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    /// <param name="unit">Said after the range in the message, e.g. "s" (may be empty).</param>
    public static Option<int> Integer(string name, string description, int min, int max, string unit, int? defaultValue = null, params string[] aliases)
    {
        string accepted = $"a whole number from {min} to {max}{Unit(unit)}";
        var option = new Option<int>(name, aliases) { Description = description, HelpName = unit.Length > 0 ? unit : "n" };
        if (defaultValue is int d)
        {
            option.DefaultValueFactory = _ => d;
        }
        option.CustomParser = r => ParseInteger(r, name, min, max, accepted);
        return option;
    }

    /// <summary>A decimal number in (<paramref name="min"/>, <paramref name="max"/>] or [min, max] (see <paramref name="minInclusive"/>).</summary>
    /// <param name="maxInclusive">False: the value must stay below <paramref name="max"/>.</param>
    public static Option<double> Number(string name, string description, double min, double max, bool minInclusive, string unit, double defaultValue, bool maxInclusive = true)
    {
        string accepted = Range(min, max, minInclusive, unit, maxInclusive);
        var option = new Option<double>(name) { Description = description, HelpName = unit.Length > 0 ? unit : "x", DefaultValueFactory = _ => defaultValue };
        option.CustomParser = r => ParseNumber(r, name, min, max, minInclusive, accepted, maxInclusive) ?? 0;
        return option;
    }

    /// <summary>Like <see cref="Number"/>, but optional: null when not given.</summary>
    public static Option<double?> OptionalNumber(string name, string description, double min, double max, bool minInclusive, string unit, string helpName)
    {
        string accepted = Range(min, max, minInclusive, unit);
        var option = new Option<double?>(name) { Description = description, HelpName = helpName };
        option.CustomParser = r => ParseNumber(r, name, min, max, minInclusive, accepted);
        return option;
    }

    /// <summary>A duration as people type it (<see cref="DurationParser.Forms"/>); null when not given.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, params string[] aliases)
    {
        var option = new Option<TimeSpan?>(name, aliases) { Description = description, HelpName = "time" };
        option.CustomParser = r =>
        {
            string text = Single(r);
            if (DurationParser.TryParse(text, out TimeSpan d))
            {
                return d;
            }
            r.AddError(Refused(name, text, DurationParser.Forms));
            return null;
        };
        return option;
    }

    /// <summary>One of <paramref name="words"/> (case-insensitive), returned in the case given here.</summary>
    public static Option<string> OneOf(string name, string description, string defaultValue, params string[] words)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = string.Join("|", words) };
        option.CustomParser = r =>
        {
            string text = Single(r);
            foreach (string w in words)
            {
                if (string.Equals(w, text, StringComparison.OrdinalIgnoreCase))
                {
                    return w;
                }
            }
            r.AddError(Refused(name, text, "one of " + string.Join(", ", words)));
            return defaultValue;
        };
        option.CompletionSources.Add(words);
        return option;
    }

    /// <summary>An argument that takes one of <paramref name="words"/>.</summary>
    public static Argument<string> OneOfArgument(string name, string description, params string[] words)
    {
        var argument = new Argument<string>(name) { Description = description, HelpName = string.Join("|", words) };
        argument.CustomParser = r =>
        {
            string text = Single(r);
            if (!words.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                r.AddError(Refused(name, text, "one of " + string.Join(", ", words)));
                return words[0];
            }
            return words.First(w => w.Equals(text, StringComparison.OrdinalIgnoreCase));
        };
        argument.CompletionSources.Add(words);
        return argument;
    }

    /// <summary>One of <paramref name="words"/> (case-insensitive) or, when the option is absent, null.</summary>
    public static Option<string?> OptionalOneOf(string name, string description, params string[] words)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join("|", words) };
        option.CustomParser = r =>
        {
            string text = Single(r);
            string? word = words.FirstOrDefault(w => w.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (word == null)
            {
                r.AddError(Refused(name, text, "one of " + string.Join(", ", words)));
            }
            return word;
        };
        option.CompletionSources.Add(words);
        return option;
    }

    /// <summary>A text that <paramref name="valid"/> accepts, described by <paramref name="accepted"/>.</summary>
    public static Option<string> Checked(string name, string description, string helpName, string defaultValue, Func<string, bool> valid, string accepted)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = r =>
        {
            string text = Single(r);
            if (!valid(text))
            {
                r.AddError(Refused(name, text, accepted));
            }
            return text;
        };
        return option;
    }

    /// <summary>An optional input file that must exist when given.</summary>
    public static Option<FileInfo?> OptionalExistingFile(string name, string description, string helpName)
    {
        var option = new Option<FileInfo?>(name) { Description = description, HelpName = helpName };
        option.CustomParser = r =>
        {
            string text = Single(r);
            if (text.Trim().Length == 0 || !File.Exists(text))
            {
                r.AddError(Refused(name, text, Directory.Exists(text) ? "a file, not a folder" : "an existing file"));
                return null;
            }
            return new FileInfo(text);
        };
        return option;
    }

    /// <summary>An on/off flag that takes no value: <c>--crc=maybe</c> is then an unknown word naming itself.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A file to write: any non-empty path.</summary>
    public static Option<FileInfo> OutputFile(string name, string description, string helpName, params string[] aliases)
    {
        var option = new Option<FileInfo>(name, aliases) { Description = description, HelpName = helpName, Required = true };
        option.CustomParser = r => Path(r, name, "a file path, e.g. run.csv", p => new FileInfo(p))!;
        return option;
    }

    /// <summary>A folder to write into: any non-empty path (created if needed).</summary>
    public static Option<DirectoryInfo> OutputFolder(string name, string description, string helpName, params string[] aliases)
    {
        var option = new Option<DirectoryInfo>(name, aliases) { Description = description, HelpName = helpName, Required = true };
        option.CustomParser = r => Path(r, name, "a folder path, e.g. results", p => new DirectoryInfo(p))!;
        return option;
    }

    /// <summary>An input file that must exist.</summary>
    public static Argument<FileInfo> ExistingFile(string name, string description)
    {
        var argument = new Argument<FileInfo>(name) { Description = description };
        argument.CustomParser = r =>
        {
            string text = Single(r);
            if (text.Trim().Length == 0 || !File.Exists(text))
            {
                r.AddError(Directory.Exists(text)
                    ? $"{name} '{text}' is a folder; expected a file"
                    : $"{name} '{text}' does not exist; expected an existing file");
                return null!;
            }
            return new FileInfo(text);
        };
        return argument;
    }

    private static T? Path<T>(ArgumentResult r, string name, string accepted, Func<string, T> make)
        where T : class
    {
        string text = Single(r);
        if (text.Trim().Length == 0 || text.IndexOf('\0') >= 0)
        {
            r.AddError(Refused(name, text, accepted));
            return null;
        }
        try
        {
            return make(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            r.AddError(Refused(name, text, accepted));
            return null;
        }
    }

    /// <summary>A non-empty text (a port, a folder).</summary>
    public static Option<string> Text(string name, string description, string helpName, bool required, string accepted, params string[] aliases)
    {
        var option = new Option<string>(name, aliases) { Description = description, HelpName = helpName, Required = required };
        option.CustomParser = r =>
        {
            string text = Single(r);
            if (text.Trim().Length == 0)
            {
                r.AddError(Refused(name, text, accepted));
            }
            return text;
        };
        return option;
    }

    private static int ParseInteger(ArgumentResult r, string name, int min, int max, string accepted)
    {
        string text = Single(r);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max)
        {
            return v;
        }
        r.AddError(Refused(name, text, accepted));
        return min;
    }

    private static double? ParseNumber(ArgumentResult r, string name, double min, double max, bool minInclusive, string accepted, bool maxInclusive = true)
    {
        string text = Single(r);
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double v)
            && double.IsFinite(v) && (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max))
        {
            return v;
        }
        r.AddError(Refused(name, text, accepted));
        return null;
    }

    // An option given twice, or with no value, is reported by System.CommandLine itself; here
    // only the last token counts.
    private static string Single(ArgumentResult r) => r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;

    private static string Unit(string unit) => unit.Length == 0 ? "" : " " + unit;

    private static string Range(double min, double max, bool minInclusive, string unit, bool maxInclusive = true)
    {
        var c = CultureInfo.InvariantCulture;
        string low = minInclusive ? $"from {min.ToString(c)}" : $"more than {min.ToString(c)}";
        string high = maxInclusive ? $"up to {max.ToString(c)}" : $"below {max.ToString(c)}";
        return $"a number {low} {high}{Unit(unit)}";
    }
}
