// What a gravimetric calibration measured: steps per mL with its uncertainty (GUM style:
// the repeatability of the runs and the balance's resolution, combined, then expanded k = 2).
namespace PumpCtl.Calibration;

/// <summary>The outcome of <see cref="CalibrationMath.Compute"/>.</summary>
public sealed record CalibrationResult
{
    /// <summary>steps/mL of each run.</summary>
    public required IReadOnlyList<double> RunStepsPerMl { get; init; }

    /// <summary>Mean steps/mL.</summary>
    public required double MeanStepsPerMl { get; init; }

    /// <summary>Sample standard deviation of the runs, steps/mL (0 for one run).</summary>
    public required double StdDevStepsPerMl { get; init; }

    /// <summary>Standard uncertainty of the mean from the runs' scatter (type A), steps/mL.</summary>
    public required double RepeatabilityUncertainty { get; init; }

    /// <summary>Standard uncertainty of the mean from the balance's resolution (type B), steps/mL.</summary>
    public required double ResolutionUncertainty { get; init; }

    /// <summary>Combined standard uncertainty u, steps/mL.</summary>
    public required double StandardUncertainty { get; init; }

    /// <summary>Expanded uncertainty U = 2u (about 95 %), steps/mL.</summary>
    public double ExpandedUncertainty => 2 * StandardUncertainty;

    /// <summary>The integer to send with CAL.</summary>
    public long Proposed => (long)Math.Round(MeanStepsPerMl, MidpointRounding.AwayFromZero);
}
