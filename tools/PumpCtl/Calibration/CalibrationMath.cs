// steps/mL from weighed runs. Per run: V = m / density, S = N / V. The mean's uncertainty
// combines (GUM) the scatter of the runs, s/√n, with the balance's resolution d: each mass
// is the difference of two readings, each rounded to d (uniform, u = d/√12), so
// u(m) = d/√6 and u(S)/S = u(m)/m per run, /√n for the mean. The density is taken as exact
// (state its temperature with the result).
namespace PumpCtl.Calibration;

/// <summary>Computes a calibration from its runs.</summary>
public static class CalibrationMath
{
    /// <summary>Computes steps/mL and its uncertainty.</summary>
    /// <param name="runs">At least one run with positive steps and mass.</param>
    /// <param name="densityGramsPerMl">Density of the liquid, g/mL.</param>
    /// <param name="resolutionGrams">The balance's readability d, g.</param>
    /// <exception cref="ArgumentException">No runs, or a run without steps or mass.</exception>
    public static CalibrationResult Compute(IReadOnlyList<CalibrationRun> runs, double densityGramsPerMl, double resolutionGrams)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("no runs");
        }
        var perRun = new List<double>();
        double resolutionSum = 0;
        foreach (CalibrationRun run in runs)
        {
            if (run.Steps <= 0 || !(run.MassGrams > 0))
            {
                throw new ArgumentException($"a run moved {run.Steps} steps and weighed {run.MassGrams:0.0000} g; both must be positive");
            }
            double s = run.Steps / (run.MassGrams / densityGramsPerMl);
            perRun.Add(s);
            double massU = resolutionGrams / Math.Sqrt(6);
            resolutionSum += Math.Pow(s * massU / run.MassGrams, 2);
        }
        int n = perRun.Count;
        double mean = perRun.Average();
        double sd = n > 1 ? Math.Sqrt(perRun.Sum(x => (x - mean) * (x - mean)) / (n - 1)) : 0;
        double typeA = sd / Math.Sqrt(n);
        double typeB = Math.Sqrt(resolutionSum) / n;
        return new CalibrationResult
        {
            RunStepsPerMl = perRun,
            MeanStepsPerMl = mean,
            StdDevStepsPerMl = sd,
            RepeatabilityUncertainty = typeA,
            ResolutionUncertainty = typeB,
            StandardUncertainty = Math.Sqrt(typeA * typeA + typeB * typeB),
        };
    }
}
