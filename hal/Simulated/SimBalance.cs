// A lab balance under the pump's outlet, speaking the common subset of Mettler Toledo MT-SICS
// (level 0): `SI` (weight now), `S` (stable weight), `Z` (zero), `@` (reset), `I4` (serial
// number). Its reading is the plant's true delivered volume (calibration error and pulsation
// included) times the density of water, plus zero-mean noise from a seed and a 0.1 mg
// resolution, so `pumpctl analyze` on its log sees what a real bench would. It reports
// `S D` (dynamic, unstable) for 2 s after the head last moved by more than a trickle.
using System.Globalization;

namespace PumpFirmware.Hal.Simulated;

/// <summary>A simulated MT-SICS balance fed by a <see cref="PumpPlant"/>.</summary>
public sealed class SimBalance
{
    /// <summary>Density of water at 20 °C, g/mL (IEC 60601-2-24 uses 0.998).</summary>
    public const double DensityGramsPerMl = 0.998;

    private readonly PumpPlant _plant;
    private readonly IMonotonicClock _clock;
    private readonly Random _noise;
    private double _tareGrams;

    /// <summary>Creates a balance.</summary>
    /// <param name="plant">Its input.</param>
    /// <param name="clock">For stability: the pump's clock.</param>
    /// <param name="seed">Seed of the noise.</param>
    /// <param name="noiseGrams">Standard deviation of the reading's noise (g).</param>
    public SimBalance(PumpPlant plant, IMonotonicClock clock, int seed, double noiseGrams = 0.00002)
    {
        _plant = plant;
        _clock = clock;
        _noise = new Random(seed);
        NoiseGrams = noiseGrams;
    }

    /// <summary>Standard deviation of the noise, g.</summary>
    public double NoiseGrams { get; set; }

    /// <summary>Readings are rounded to this, g.</summary>
    public double ResolutionGrams { get; set; } = 0.0001;

    /// <summary>The mass on the pan now, without noise, g.</summary>
    public double TrueMassGrams => _plant.DeliveredNanoliters / 1e6 * DensityGramsPerMl - _tareGrams;

    /// <summary>One reading: the true mass plus noise, rounded to the resolution.</summary>
    public double ReadGrams()
    {
        double gaussian = Math.Sqrt(-2 * Math.Log(1 - _noise.NextDouble())) * Math.Cos(2 * Math.PI * _noise.NextDouble());
        double value = TrueMassGrams + gaussian * NoiseGrams;
        return Math.Round(value / ResolutionGrams) * ResolutionGrams;
    }

    /// <summary>True when the pan has been still for 2 s.</summary>
    public bool IsStable => _plant.LastMoveMicros < 0 || _clock.NowMicros - _plant.LastMoveMicros >= 2_000_000;

    /// <summary>Answers one MT-SICS command line (without its CR LF).</summary>
    public string Respond(string line)
    {
        string command = line.Trim().ToUpperInvariant();
        switch (command)
        {
            case "SI":
                return Format(IsStable ? "S" : "D", ReadGrams());
            case "S":
                // A real balance waits for stability; a simulated one answers with the settled value.
                return Format("S", TrueMassGrams);
            case "Z":
                _tareGrams += TrueMassGrams;
                return "Z A";
            case "@":
                return "I4 A \"PF-SIMBAL-0001\"";
            case "I4":
                return "I4 A \"PF-SIMBAL-0001\"";
            case "":
                return "ES";
            default:
                return "ES";
        }
    }

    private static string Format(string stability, double grams) =>
        // As in the MT-SICS manual's example `S S      12.3456 g`: the value right-aligned after the status.
        "S " + stability + grams.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(13) + " g";
}
