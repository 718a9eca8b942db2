// Reads a `pumpctl log` CSV into samples for the analysis. Only the columns the method needs
// are required, so a log written by another tool with the same header names works too, and
// the mass column can be any column in g, mg, µg or kg (LogColumns). A balance logged
// separately is merged by time (BalanceLogReader).
// The time axis is the device's t_ms (not host_utc): it is the pump's own clock, free of
// USB latency, and in virtual time it is the only meaningful one.
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PumpCtl.Analysis;

/// <summary>Reads run logs.</summary>
public static class RunLogReader
{
    /// <summary>Reads <paramref name="path"/>; rows without the source's value (an empty mass cell) are skipped.</summary>
    /// <exception cref="AnalysisException">A required column is missing or a cell is not a number.</exception>
    public static List<LogSample> Read(string path, FlowSource source, double densityGramsPerMl)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path, source, densityGramsPerMl);
    }

    /// <summary>Reads a log from <paramref name="text"/>; <paramref name="name"/> is used in messages.</summary>
    public static List<LogSample> Read(TextReader text, string name, FlowSource source, double densityGramsPerMl) =>
        ReadLog(text, name, new LogColumns { Source = source, DensityGramsPerMilliliter = densityGramsPerMl }).Samples;

    /// <summary>Reads a log with a column mapping and, for the mass source, optionally a separately logged balance.</summary>
    /// <param name="balance">Balance readings to merge by <c>host_utc</c> (mass in <paramref name="columns"/>' unit), or null.</param>
    /// <param name="balanceName">The balance log's name, for messages.</param>
    /// <param name="maxBalanceGapSeconds">The longest interval between balance readings a pump row may be interpolated across, s.</param>
    public static RunLog ReadLog(TextReader text, string name, LogColumns columns, IReadOnlyList<BalanceReading>? balance = null,
        string balanceName = "", double maxBalanceGapSeconds = double.PositiveInfinity)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = false };
        using var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new AnalysisException($"{name} is empty: expected a CSV header such as written by 'pumpctl log'");
        }
        string[] header = csv.HeaderRecord;
        bool mass = columns.Source == FlowSource.Mass;
        bool merge = mass && balance != null;
        string valueColumn = merge ? "host_utc" : mass ? columns.MassColumn : "delivered_ul";
        foreach (string column in new[] { "t_ms", valueColumn })
        {
            if (!header.Contains(column))
            {
                string hint = merge ? " (merging a balance log matches its times to the run log's host_utc)"
                    : column == "mass_g" ? " (log with --balance, name another column with --mass-col, or analyse with --source volume)"
                    : mass && column == columns.MassColumn ? " (name the mass column with --mass-col)" : "";
                throw new AnalysisException($"{name} has no {column} column{hint}; its columns are: {string.Join(",", header)}");
            }
        }
        bool hasRate = header.Contains("rate_ul_day");
        bool hasHostUtc = header.Contains("host_utc");
        double toMicroliters = columns.MicrolitersPerMassUnit;
        var samples = new List<LogSample>();
        var skipped = new List<int>();
        int rows = 0;
        int decimals = -1;
        string? firstHostUtc = null;
        while (csv.Read())
        {
            rows++;
            int line = csv.Parser.RawRow;
            if (hasHostUtc && firstHostUtc == null)
            {
                firstHostUtc = csv.GetField("host_utc");
            }
            double? value;
            if (merge)
            {
                DateTimeOffset at = BalanceLogReader.ParseTime(csv.GetField("host_utc"), $"{name} line {line}: host_utc");
                double? m = BalanceLogReader.MassAt(balance!, at, maxBalanceGapSeconds);
                value = m * toMicroliters;
            }
            else
            {
                string? cell = csv.GetField(valueColumn);
                // A missing balance reading: the row is unusable for the mass source only.
                value = string.IsNullOrWhiteSpace(cell) ? null : Number(cell, valueColumn, name, line) * (mass ? toMicroliters : 1.0);
                if (mass && value != null)
                {
                    int dot = cell!.IndexOf('.');
                    decimals = Math.Max(decimals, dot < 0 ? 0 : cell.Trim().Length - cell.Trim().IndexOf('.') - 1);
                }
            }
            if (value is not double volume)
            {
                skipped.Add(line);
                continue;
            }
            double tMs = Number(csv.GetField("t_ms"), "t_ms", name, line);
            double? rate = hasRate && !string.IsNullOrWhiteSpace(csv.GetField("rate_ul_day"))
                ? Number(csv.GetField("rate_ul_day"), "rate_ul_day", name, line)
                : null;
            samples.Add(new LogSample(tMs / 1000.0, volume, rate, line));
        }
        string file = Path.GetFileName(name);
        return new RunLog
        {
            Samples = samples,
            RowsRead = rows,
            SkippedLines = skipped,
            SkipReason = merge
                ? $"no reading of {Path.GetFileName(balanceName)} within {maxBalanceGapSeconds:0.#} s on both sides of its host_utc"
                : $"an empty {valueColumn} cell",
            ValueOrigin = merge
                ? $"{columns.MassColumn} ({columns.MassUnit}) of {Path.GetFileName(balanceName)}, merged by time into {file}"
                : mass ? $"{columns.MassColumn} ({columns.MassUnit}) of {file}" : $"delivered_ul of {file}",
            FirstHostUtc = firstHostUtc,
            MassResolution = decimals >= 0 && decimals <= 9 ? Math.Pow(10, -decimals) : null,
        };
    }

    private static double Number(string? text, string column, string name, int line)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }
        throw new AnalysisException($"{name} line {line}: {column} '{text}' is not a number");
    }
}
