// The parameters of `pumpctl calibrate`.
namespace PumpCtl.Calibration;

/// <summary>How to run a gravimetric calibration.</summary>
public sealed record CalibrationOptions
{
    /// <summary>The PIN for AUTH.</summary>
    public string Pin { get; init; } = "0000";

    /// <summary>Volume of each prime, µL (at most the program's catheter volume).</summary>
    public int VolumeMicroliters { get; init; } = 1000;

    /// <summary>Number of weighed primes.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>Density of the liquid, g/mL (water at 20 °C: 0.998).</summary>
    public double DensityGramsPerMilliliter { get; init; } = 0.998;

    /// <summary>The balance's readability d, g (0.0001 = 0.1 mg).</summary>
    public double ResolutionGrams { get; init; } = 0.0001;

    /// <summary>REFILL the reservoir with this volume, µL, when it holds too little for the runs; null = refuse instead.</summary>
    public int? RefillMicroliters { get; init; }

    /// <summary>Virtual device with a manual clock: move time with SIM:ADVANCE instead of waiting.</summary>
    public bool SimAdvance { get; init; }

    /// <summary>Send CAL without asking.</summary>
    public bool AssumeYes { get; init; }

    /// <summary>Seconds the liquid is left to settle after a prime before the stable reading.</summary>
    public double SettleSeconds { get; init; } = 3;
}
