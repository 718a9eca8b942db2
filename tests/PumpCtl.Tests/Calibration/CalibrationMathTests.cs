// steps/mL and its uncertainty from weighed runs, against numbers worked by hand.
using PumpCtl.Calibration;
using Xunit;

namespace PumpCtl.Tests.Calibration;

public sealed class CalibrationMathTests
{
    [Fact]
    public void One_run_is_steps_over_mass_over_density_with_only_the_resolution_as_uncertainty()
    {
        // 64000 steps, 1.0000 g of water at 0.998 g/mL = 1.002004 mL -> 63872 steps/mL.
        CalibrationResult r = CalibrationMath.Compute(new[] { new CalibrationRun(64000, 2.0, 3.0) }, 0.998, 0.0001);
        Assert.Equal(63872.0, r.MeanStepsPerMl, 6);
        Assert.Equal(0.0, r.StdDevStepsPerMl);
        // u(m) = 0.0001 / sqrt(6) g; u(S) = S * u(m) / m = 63872 * 4.0825e-5 = 2.6075.
        Assert.Equal(63872 * 0.0001 / Math.Sqrt(6), r.ResolutionUncertainty, 9);
        Assert.Equal(r.ResolutionUncertainty, r.StandardUncertainty, 12);
        Assert.Equal(2 * r.StandardUncertainty, r.ExpandedUncertainty, 12);
        Assert.Equal(63872, r.Proposed);
    }

    [Fact]
    public void Runs_combine_their_scatter_with_the_resolution()
    {
        // Density 1 and 1 g each: S = steps. Runs 100, 102, 104: mean 102, s = 2, s/sqrt(3) = 1.1547.
        var runs = new[] { new CalibrationRun(100, 0, 1), new CalibrationRun(102, 0, 1), new CalibrationRun(104, 0, 1) };
        CalibrationResult r = CalibrationMath.Compute(runs, 1.0, 0.0001);
        Assert.Equal(new[] { 100.0, 102.0, 104.0 }, r.RunStepsPerMl);
        Assert.Equal(102.0, r.MeanStepsPerMl, 12);
        Assert.Equal(2.0, r.StdDevStepsPerMl, 12);
        Assert.Equal(2.0 / Math.Sqrt(3), r.RepeatabilityUncertainty, 12);
        double typeB = Math.Sqrt((100 * 100 + 102 * 102 + 104 * 104) * 0.0001 * 0.0001 / 6) / 3;
        Assert.Equal(typeB, r.ResolutionUncertainty, 12);
        Assert.Equal(Math.Sqrt(4.0 / 3 + typeB * typeB), r.StandardUncertainty, 12);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(100, 0.0)]
    [InlineData(100, -0.1)]
    public void A_run_without_steps_or_mass_gives_no_calibration(long steps, double mass)
    {
        Assert.Throws<ArgumentException>(() => CalibrationMath.Compute(new[] { new CalibrationRun(steps, 1.0, 1.0 + mass) }, 0.998, 0.0001));
        Assert.Throws<ArgumentException>(() => CalibrationMath.Compute(Array.Empty<CalibrationRun>(), 0.998, 0.0001));
    }
}
