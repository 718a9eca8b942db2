// `--duration` values a person types: "90s", "45m", "2h", "7d", "1.5h", "3600" (seconds) or
// "01:30:00". Anything else is a usage error naming the accepted forms.
using System.Globalization;

namespace PumpCtl.Cli;

/// <summary>Parses durations.</summary>
public static class DurationParser
{
    /// <summary>The accepted forms, for error messages.</summary>
    public const string Forms = "a number with s, m, h or d (90s, 45m, 2h, 1.5d), plain seconds (3600) or hh:mm:ss";

    /// <summary>Parses <paramref name="text"/>; false when it is not a positive duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }
        if (text.Contains(':'))
        {
            return TimeSpan.TryParseExact(text, new[] { @"h\:mm\:ss", @"hh\:mm\:ss", @"d\.hh\:mm\:ss" }, CultureInfo.InvariantCulture, out duration)
                && duration > TimeSpan.Zero;
        }
        double factor = char.ToLowerInvariant(text[^1]) switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        string number = factor == 0 ? text : text[..^1];
        if (factor == 0)
        {
            factor = 1;
        }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !(value > 0)
            || value * factor > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * factor);
        return true;
    }
}
