// The parameters of `pumpctl bench bolus` (docs/BENCH.md).
namespace PumpCtl.Bench;

/// <summary>How to run the bolus accuracy test.</summary>
public sealed record BolusOptions
{
    /// <summary>The bolus volumes, µL: the smallest, a middle and the largest.</summary>
    public IReadOnlyList<double> SizesMicroliters { get; init; } = new double[] { 5, 50, 500 };

    /// <summary>Boluses per size.</summary>
    public int Repeats { get; init; } = 25;

    /// <summary>Density of the liquid, g/mL.</summary>
    public double DensityGramsPerMilliliter { get; init; } = 0.998;

    /// <summary>Seconds the liquid settles after a bolus before the stable reading.</summary>
    public double SettleSeconds { get; init; } = 3;

    /// <summary>The PIN for AUTH.</summary>
    public string Pin { get; init; } = "0000";

    /// <summary>REFILL with this volume, µL, when the reservoir holds too little; null = refuse instead.</summary>
    public int? RefillMicroliters { get; init; }
}
