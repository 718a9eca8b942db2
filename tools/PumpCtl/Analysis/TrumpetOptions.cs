// The parameters of IEC 60601-2-24's trumpet method (DOMAIN.md), all explicit so that the
// summary can record exactly what was computed.
namespace PumpCtl.Analysis;

/// <summary>Parameters of a trumpet analysis.</summary>
public sealed record TrumpetOptions
{
    /// <summary>The observation windows P of the standard, min.</summary>
    public static readonly IReadOnlyList<int> StandardWindowsMinutes = new[] { 2, 5, 11, 19, 31 };

    /// <summary>Volume or mass.</summary>
    public FlowSource Source { get; init; } = FlowSource.Volume;

    /// <summary>The set rate r, µL/h; null = from the log's <c>rate_ul_day</c> over T2.</summary>
    public double? SetRateMicrolitersPerHour { get; init; }

    /// <summary>Sampling interval Δt, s (the standard's 0.5 min).</summary>
    public int DtSeconds { get; init; } = 30;

    /// <summary>Start of the analysis period T2, min after the first sample.</summary>
    public int T2StartMinutes { get; init; } = 60;

    /// <summary>Length of T2, min.</summary>
    public int T2Minutes { get; init; } = 60;

    /// <summary>Density for the mass source, g/mL (water at about 20 °C: 0.998).</summary>
    public double DensityGramsPerMilliliter { get; init; } = 0.998;

    /// <summary>The start-up curve's span, min (the standard's first 2 h).</summary>
    public int StartupMinutes { get; init; } = 120;

    /// <summary>The observation windows P, min.</summary>
    public IReadOnlyList<int> WindowsMinutes { get; init; } = StandardWindowsMinutes;

    /// <summary>The longest gap between log rows that resampling may bridge, as a multiple of Δt.</summary>
    public double MaxGapFactor { get; init; } = 1.5;
}
