// One weighed prime of a gravimetric calibration.
namespace PumpCtl.Calibration;

/// <summary>The steps a prime commanded and the mass the balance gained.</summary>
/// <param name="Steps">Steps commanded by the prime (STATUS? steps after minus before).</param>
/// <param name="MassBeforeGrams">Stable balance reading before the prime, g.</param>
/// <param name="MassAfterGrams">Stable balance reading after it, g.</param>
public sealed record CalibrationRun(long Steps, double MassBeforeGrams, double MassAfterGrams)
{
    /// <summary>The mass delivered, g.</summary>
    public double MassGrams => MassAfterGrams - MassBeforeGrams;
}
