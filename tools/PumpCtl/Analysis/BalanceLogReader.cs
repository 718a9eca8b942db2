// A balance logged on its own (another program, another machine's clock set to UTC) is merged
// into a pump log by time: each pump row's host_utc gets the mass interpolated between the
// balance readings just before and after it. A row whose neighbours are further apart than
// the analysis tolerates (MaxGapFactor × Δt), or that lies outside the balance log, gets no
// mass and is skipped, and the report says so.
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PumpCtl.Analysis;

/// <summary>One reading of a separately logged balance.</summary>
/// <param name="Utc">When it was read.</param>
/// <param name="Mass">The mass, in the column's unit.</param>
public readonly record struct BalanceReading(DateTimeOffset Utc, double Mass);

/// <summary>Reads a balance log and interpolates it at given times.</summary>
public static class BalanceLogReader
{
    /// <summary>Time columns tried in this order when none is named.</summary>
    public static readonly string[] TimeColumns = { "host_utc", "utc", "time", "timestamp", "datetime" };

    /// <summary>Reads <paramref name="text"/>: a time column (ISO 8601, or Unix seconds) and the mass column.</summary>
    /// <exception cref="AnalysisException">A column is missing, a cell is malformed, or time goes back.</exception>
    public static List<BalanceReading> Read(TextReader text, string name, string massColumn, string? timeColumn = null)
    {
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = false });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new AnalysisException($"the balance log {name} is empty: expected a CSV header with a time and a mass column");
        }
        string[] header = csv.HeaderRecord;
        string? time = timeColumn ?? TimeColumns.FirstOrDefault(header.Contains);
        if (time is null || !header.Contains(time))
        {
            throw new AnalysisException($"the balance log {name} has no time column ({(timeColumn ?? string.Join(", ", TimeColumns))}); its columns are: {string.Join(",", header)}");
        }
        if (!header.Contains(massColumn))
        {
            throw new AnalysisException($"the balance log {name} has no {massColumn} column (name it with --mass-col); its columns are: {string.Join(",", header)}");
        }
        var readings = new List<BalanceReading>();
        while (csv.Read())
        {
            int line = csv.Parser.RawRow;
            string? cell = csv.GetField(massColumn);
            if (string.IsNullOrWhiteSpace(cell))
            {
                continue;
            }
            DateTimeOffset at = ParseTime(csv.GetField(time), $"{name} line {line}: {time}");
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double mass) || !double.IsFinite(mass))
            {
                throw new AnalysisException($"{name} line {line}: {massColumn} '{cell}' is not a number");
            }
            if (readings.Count > 0 && at <= readings[^1].Utc)
            {
                throw new AnalysisException($"{name} line {line}: {time} does not increase ({readings[^1].Utc:O} then {at:O}); the balance log must be in time order");
            }
            readings.Add(new BalanceReading(at, mass));
        }
        if (readings.Count < 2)
        {
            throw new AnalysisException($"the balance log {name} has {readings.Count} reading(s) with a mass; merging needs at least 2");
        }
        return readings;
    }

    /// <summary>ISO 8601 (UTC if no offset is given) or Unix seconds.</summary>
    public static DateTimeOffset ParseTime(string? text, string where)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double unix) && double.IsFinite(unix))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(unix * 1000));
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t))
        {
            return t;
        }
        throw new AnalysisException($"{where} '{text}' is not a time (ISO 8601 such as 2026-01-01T00:00:00.000Z, or Unix seconds)");
    }

    /// <summary>The mass at <paramref name="at"/>, interpolated between its neighbours; null outside the log or across a gap longer than <paramref name="maxGapSeconds"/>.</summary>
    public static double? MassAt(IReadOnlyList<BalanceReading> readings, DateTimeOffset at, double maxGapSeconds)
    {
        int hi = LowerBound(readings, at);
        if (hi < readings.Count && readings[hi].Utc == at)
        {
            return readings[hi].Mass;
        }
        if (hi == 0 || hi == readings.Count)
        {
            return null;
        }
        BalanceReading a = readings[hi - 1], b = readings[hi];
        double span = (b.Utc - a.Utc).TotalSeconds;
        if (span > maxGapSeconds + 1e-9)
        {
            return null;
        }
        double f = (at - a.Utc).TotalSeconds / span;
        return a.Mass + f * (b.Mass - a.Mass);
    }

    private static int LowerBound(IReadOnlyList<BalanceReading> r, DateTimeOffset at)
    {
        int lo = 0, hi = r.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (r[mid].Utc < at) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
