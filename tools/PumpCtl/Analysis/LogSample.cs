// One usable row of a run log, reduced to what the trumpet method needs.
namespace PumpCtl.Analysis;

/// <summary>A cumulative volume at a time.</summary>
/// <param name="TimeSeconds">Device time of the row, s (from <c>t_ms</c>).</param>
/// <param name="VolumeMicroliters">Cumulative volume, µL (delivered, or weighed mass / density).</param>
/// <param name="RateMicrolitersPerDay">The logged set rate at that row, µL/day; null if the log has none.</param>
/// <param name="FileLine">The row's line number in the CSV file, for error messages (0 when made in memory).</param>
public readonly record struct LogSample(double TimeSeconds, double VolumeMicroliters, double? RateMicrolitersPerDay, int FileLine = 0);
