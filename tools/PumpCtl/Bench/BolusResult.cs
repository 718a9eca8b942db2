// What `pumpctl bench bolus` measured: every weighed bolus, and per size the mean and the worst
// error as the standards report bolus accuracy (IEC 60601-2-24: the mean deviation and the
// largest single deviation from the set volume, in percent).
namespace PumpCtl.Bench;

/// <summary>One weighed bolus.</summary>
/// <param name="SizeMicroliters">The set volume, µL.</param>
/// <param name="Index">1..repeats.</param>
/// <param name="DurationMinutes">The BOLUS duration it was given, min.</param>
/// <param name="MassGrams">The mass it added on the balance, g.</param>
/// <param name="VolumeMicroliters">That mass as volume, µL.</param>
/// <param name="ErrorPercent">100 (volume - set) / set.</param>
public sealed record BolusShot(double SizeMicroliters, int Index, int DurationMinutes, double MassGrams, double VolumeMicroliters, double ErrorPercent);

/// <summary>The figures of one size.</summary>
/// <param name="SizeMicroliters">The set volume, µL.</param>
/// <param name="Count">Boluses weighed.</param>
/// <param name="MeanMicroliters">Their mean volume, µL.</param>
/// <param name="MeanErrorPercent">100 (mean - set) / set.</param>
/// <param name="WorstErrorPercent">The single error of largest magnitude, signed, %.</param>
/// <param name="StdDevMicroliters">Sample standard deviation of the volumes, µL (0 for one bolus).</param>
public sealed record BolusSizeSummary(double SizeMicroliters, int Count, double MeanMicroliters, double MeanErrorPercent, double WorstErrorPercent, double StdDevMicroliters)
{
    /// <summary>Summarises the shots of one size.</summary>
    public static BolusSizeSummary Of(double size, IReadOnlyList<BolusShot> shots)
    {
        double mean = shots.Average(s => s.VolumeMicroliters);
        double worst = shots.OrderByDescending(s => Math.Abs(s.ErrorPercent)).First().ErrorPercent;
        double sd = shots.Count > 1 ? Math.Sqrt(shots.Sum(s => (s.VolumeMicroliters - mean) * (s.VolumeMicroliters - mean)) / (shots.Count - 1)) : 0;
        return new BolusSizeSummary(size, shots.Count, mean, 100 * (mean - size) / size, worst, sd);
    }
}

/// <summary>The test's result.</summary>
public sealed record BolusResult(IReadOnlyList<BolusSizeSummary> Sizes, IReadOnlyList<BolusShot> Shots);
