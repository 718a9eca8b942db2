// A run log as read for the analysis: the usable rows, and what was left out and why, so the
// report can say which rows it used.
namespace PumpCtl.Analysis;

/// <summary>The rows of a log that carry the flow value.</summary>
public sealed record RunLog
{
    /// <summary>Usable rows in file order.</summary>
    public required List<LogSample> Samples { get; init; }

    /// <summary>Data rows in the file (without the header).</summary>
    public required int RowsRead { get; init; }

    /// <summary>File lines of rows left out for want of a value.</summary>
    public required List<int> SkippedLines { get; init; }

    /// <summary>Why those rows were left out (e.g. "an empty mass_g cell").</summary>
    public string SkipReason { get; init; } = "";

    /// <summary>Where the flow came from, for the report (e.g. "mass_g in g of run.csv").</summary>
    public required string ValueOrigin { get; init; }

    /// <summary>The mass column's resolution as its most decimals show it (0.0001 for 0.1 mg in g), in the column's unit; null when unknown.</summary>
    public double? MassResolution { get; init; }

    /// <summary>host_utc of the first row as written, if the log has that column.</summary>
    public string? FirstHostUtc { get; init; }
}
