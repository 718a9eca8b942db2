// One `!TEL` line. Quantities are kept as the device printed them (exactly 3 decimals), so the
// CSV carries the device's numbers verbatim, with no float round trip on the way to disk.
using System.Globalization;
using PumpCtl.Serial;

namespace PumpCtl.Telemetry;

/// <summary>A parsed telemetry line.</summary>
public sealed record TelemetryRecord(
    long Seq,
    string TMs,
    string UnixS,
    string State,
    string DeliveredUl,
    string Steps,
    string ReservoirUl,
    string RateUlDay,
    string Alarms)
{
    private static readonly string[] Required =
        { "seq", "t_ms", "unix_s", "state", "delivered_ul", "steps", "reservoir_ul", "rate_ul_day", "alarms" };

    /// <summary>Parses <c>!TEL seq=.. t_ms=.. ..</c>.</summary>
    /// <param name="error">What is wrong with the line, when false is returned.</param>
    public static bool TryParse(string line, out TelemetryRecord? record, out string error)
    {
        record = null;
        if (!line.StartsWith("!TEL ", StringComparison.Ordinal))
        {
            error = "not a !TEL line";
            return false;
        }
        Dictionary<string, string> f = ProtocolLine.Fields(line);
        foreach (string key in Required)
        {
            if (!f.ContainsKey(key))
            {
                error = $"missing {key}=";
                return false;
            }
        }
        if (!long.TryParse(f["seq"], NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
        {
            error = $"seq={f["seq"]} is not a count";
            return false;
        }
        foreach (string key in new[] { "t_ms", "unix_s", "delivered_ul", "steps", "reservoir_ul", "rate_ul_day" })
        {
            if (!decimal.TryParse(f[key], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                error = $"{key}={f[key]} is not a number";
                return false;
            }
        }
        record = new TelemetryRecord(seq, f["t_ms"], f["unix_s"], f["state"], f["delivered_ul"], f["steps"],
            f["reservoir_ul"], f["rate_ul_day"], f["alarms"]);
        error = "";
        return true;
    }

    /// <summary>The total rate as a number, µL/day.</summary>
    public double RateMicrolitersPerDay => double.Parse(RateUlDay, CultureInfo.InvariantCulture);
}
