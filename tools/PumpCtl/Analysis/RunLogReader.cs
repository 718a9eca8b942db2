// Reads a `pumpctl log` CSV into samples for the analysis. Only the columns the method needs
// are required, so a log written by another tool with the same header names works too.
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
    public static List<LogSample> Read(TextReader text, string name, FlowSource source, double densityGramsPerMl)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = false };
        using var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new AnalysisException($"{name} is empty: expected a CSV header such as written by 'pumpctl log'");
        }
        string[] header = csv.HeaderRecord;
        string valueColumn = source == FlowSource.Mass ? "mass_g" : "delivered_ul";
        foreach (string column in new[] { "t_ms", valueColumn })
        {
            if (!header.Contains(column))
            {
                string hint = column == "mass_g" ? " (log with --balance, or analyse with --source volume)" : "";
                throw new AnalysisException($"{name} has no {column} column{hint}; its columns are: {string.Join(",", header)}");
            }
        }
        bool hasRate = header.Contains("rate_ul_day");
        var samples = new List<LogSample>();
        while (csv.Read())
        {
            int line = csv.Parser.RawRow;
            string? cell = csv.GetField(valueColumn);
            if (string.IsNullOrWhiteSpace(cell))
            {
                // A missing balance reading: the row is unusable for the mass source only.
                continue;
            }
            double tMs = Number(csv.GetField("t_ms"), "t_ms", name, line);
            double value = Number(cell, valueColumn, name, line);
            double volume = source == FlowSource.Mass ? value / densityGramsPerMl * 1000.0 : value;
            double? rate = hasRate && !string.IsNullOrWhiteSpace(csv.GetField("rate_ul_day"))
                ? Number(csv.GetField("rate_ul_day"), "rate_ul_day", name, line)
                : null;
            samples.Add(new LogSample(tMs / 1000.0, volume, rate, line));
        }
        return samples;
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
