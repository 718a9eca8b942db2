// Everything the analysis computed, in the units the outputs print.
namespace PumpCtl.Analysis;

/// <summary>The result of a trumpet analysis.</summary>
public sealed record TrumpetResult
{
    /// <summary>The set rate r used, µL/h.</summary>
    public required double SetRateMicrolitersPerHour { get; init; }

    /// <summary>"option" when given on the command line, "log" when taken from <c>rate_ul_day</c>.</summary>
    public required string SetRateOrigin { get; init; }

    /// <summary>Mean flow over T2, µL/h.</summary>
    public required double MeanFlowMicrolitersPerHour { get; init; }

    /// <summary>Mean error A = 100 (Q̄ − r) / r over T2, %.</summary>
    public required double MeanErrorPercent { get; init; }

    /// <summary>Ep(max)/Ep(min) per window, in the order of the options.</summary>
    public required IReadOnlyList<WindowResult> Windows { get; init; }

    /// <summary>Start-up curve: end time of each Δt interval, min.</summary>
    public required double[] StartupTimeMinutes { get; init; }

    /// <summary>Start-up curve: flow Qi in each Δt interval, µL/h.</summary>
    public required double[] StartupFlowMicrolitersPerHour { get; init; }

    /// <summary>Start-up curve: cumulative volume at each grid point k·Δt from 0, µL (one more than the flows).</summary>
    public double[] StartupVolumeMicroliters { get; init; } = Array.Empty<double>();

    /// <summary>Rows of the log that were used.</summary>
    public required int SampleCount { get; init; }

    /// <summary>Points after resampling to Δt.</summary>
    public required int ResampledCount { get; init; }

    /// <summary>Time from the first to the last row, min.</summary>
    public required double LogSpanMinutes { get; init; }

    /// <summary>Largest gap between rows within the analysed span, s.</summary>
    public required double MaxGapSeconds { get; init; }

    /// <summary>File line of the first row used (0 for rows made in memory).</summary>
    public int FirstLine { get; init; }

    /// <summary>File line of the last row used.</summary>
    public int LastLine { get; init; }

    /// <summary>The analysed span from the first row, min (the later of T2's end and the start-up period, within the run).</summary>
    public double UsedMinutes { get; init; }

    /// <summary>Why the analysed span ends where it does.</summary>
    public string UsedEndReason { get; init; } = "";

    /// <summary>Where the log's first run ends, min after its first row.</summary>
    public double RunEndMinutes { get; init; }

    /// <summary>Why the run ends there: the log ends, a power cycle, or a gap.</summary>
    public string RunEndReason { get; init; } = "";
}
