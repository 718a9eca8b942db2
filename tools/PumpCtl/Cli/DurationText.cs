// Durations as people write them: "45 s", "12 min", "3 h 05 min", "2 d 4 h", never
// "0.02:05:00" or "7200 s".
using System.Globalization;

namespace PumpCtl.Cli;

/// <summary>Formats durations for people.</summary>
public static class DurationText
{
    /// <summary>At most two units, the larger first; seconds keep one decimal below a minute when they have one.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Format(-span);
        }
        var c = CultureInfo.InvariantCulture;
        if (span.TotalSeconds < 60)
        {
            double s = Math.Round(span.TotalSeconds, 1);
            return s == Math.Floor(s) ? $"{s.ToString("0", c)} s" : $"{s.ToString("0.0", c)} s";
        }
        long seconds = (long)Math.Round(span.TotalSeconds);
        long days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60, secs = seconds % 60;
        if (days > 0)
        {
            return hours > 0 ? $"{days} d {hours} h" : $"{days} d";
        }
        if (hours > 0)
        {
            return minutes > 0 ? $"{hours} h {minutes:00} min" : $"{hours} h";
        }
        return secs > 0 ? $"{minutes} min {secs:00} s" : $"{minutes} min";
    }
}
