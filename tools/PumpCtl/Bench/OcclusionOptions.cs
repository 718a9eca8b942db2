// The parameters of `pumpctl bench occlusion` (docs/BENCH.md).
namespace PumpCtl.Bench;

/// <summary>How to run the occlusion test.</summary>
public sealed record OcclusionOptions
{
    /// <summary>The set rate, µL/h.</summary>
    public double RateMicrolitersPerHour { get; init; } = 10;

    /// <summary>PRESSURE:LIMIT to set first, mmHg; null keeps the pump's.</summary>
    public double? LimitMmHg { get; init; }

    /// <summary>Flow before the block, min (the standard: until the flow is constant).</summary>
    public double SettleMinutes { get; init; } = 10;

    /// <summary>Time between two samples of the time series, s.</summary>
    public double SampleSeconds { get; init; } = 30;

    /// <summary>Longest wait for the alarm after the block, min.</summary>
    public double MaxMinutes { get; init; } = 1440;

    /// <summary>Time the bolus is collected after the release, s.</summary>
    public double CollectSeconds { get; init; } = 60;

    /// <summary>Density of the liquid, g/mL.</summary>
    public double DensityGramsPerMilliliter { get; init; } = 0.998;

    /// <summary>The PIN for AUTH.</summary>
    public string Pin { get; init; } = "0000";

    /// <summary>REFILL with this volume, µL, when the reservoir holds too little; null = refuse instead.</summary>
    public int? RefillMicroliters { get; init; }
}
