// The pressure model of a blocked catheter (issue 18; `pumpctl sim --plant pressure`). The pump
// head keeps displacing volume against a block; with nowhere to go, that volume is held in the
// compliance of the head, the tubing and the catheter (they swell), and the line pressure rises:
//     P = baseline + held / C x 100,   C in µL per 100 mmHg.
// The held volume may leak back slowly (past the rollers of a peristaltic head, back to the
// reservoir: not delivered), exponentially with a time constant; 0 = no leak, the default. When
// the block is released, the held volume leaves the catheter at once: the unintended bolus that
// IEC 60601-2-24's occlusion test collects (here onto the simulated balance).
// The sensor: a gauge pressure transducer whose output at the ADC pin is zero + slope x P (mV),
// with seeded Gaussian noise, rounded to 1 mV and clamped to the pin's range; it can be made
// unreadable (an unplugged sensor, a dead ADC) to test that the firmware fails closed.
// Figures (docs/BENCH.md "Figures"): syringe-pump set-ups measure 9.0e-9 to 2.1e-8 L/Pa, i.e.
// 120 to 280 µL per 100 mmHg (Snijder et al., Biomed Eng 2015, doi:10.1515/bmt-2014-0148); a
// peristaltic head with a short stiff catheter is assumed an order of magnitude stiffer: 10 µL per
// 100 mmHg by default (assumed, not measured).
namespace PumpFirmware.Hal.Simulated;

/// <summary>Held-back volume to line pressure, and the pressure sensor the firmware reads.</summary>
public sealed class CatheterPressure : IAnalogInput
{
    /// <summary>Default compliance, µL per 100 mmHg (assumed; see the file's header).</summary>
    public const double DefaultComplianceMicrolitersPer100MmHg = 10;

    /// <summary>The sensor's output at 0 mmHg, mV (matches the firmware's default calibration).</summary>
    public const double DefaultZeroMillivolts = 200;

    /// <summary>The sensor's slope, mV per mmHg (matches the firmware's default calibration).</summary>
    public const double DefaultMillivoltsPerMmHg = 2;

    private readonly VirtualClock _clock;
    private readonly Random _noise;
    private double _heldNanoliters;
    private long _heldAtWorldMicros;

    /// <summary>Creates the model.</summary>
    /// <param name="clock">World time, for the leak.</param>
    /// <param name="seed">Seed of the sensor noise.</param>
    public CatheterPressure(VirtualClock clock, int seed)
    {
        _clock = clock;
        _noise = new Random(seed);
    }

    /// <summary>Compliance of head, tubing and catheter, µL per 100 mmHg (&gt; 0).</summary>
    public double ComplianceMicrolitersPer100MmHg { get; set; } = DefaultComplianceMicrolitersPer100MmHg;

    /// <summary>Pressure at the outlet when nothing is held, mmHg (the bench's open outlet: 0; an intrathecal catheter
    /// sees the CSF pressure).</summary>
    public double BaselineMmHg { get; set; }

    /// <summary>Time constant of the leak back of the held volume, s; 0 = no leak.</summary>
    public double LeakTimeConstantSeconds { get; set; }

    /// <summary>Sensor output at 0 mmHg, mV.</summary>
    public double ZeroMillivolts { get; set; } = DefaultZeroMillivolts;

    /// <summary>Sensor slope, mV per mmHg.</summary>
    public double MillivoltsPerMmHg { get; set; } = DefaultMillivoltsPerMmHg;

    /// <summary>Standard deviation of the sensor's noise, mV (0 = none).</summary>
    public double NoiseMillivolts { get; set; }

    /// <summary>Highest voltage the ADC pin reads, mV (a reading above it is clamped).</summary>
    public int FullScaleMillivolts { get; set; } = 3300;

    /// <summary>Injected: the sensor gives no reading.</summary>
    public bool Unreadable { get; set; }

    /// <summary>Volume held in the compliance now, nL (after the leak up to now).</summary>
    public double HeldNanoliters
    {
        get { Leak(_clock.WorldMicros); return _heldNanoliters; }
    }

    /// <summary>Volume that leaked back so far, nL (not delivered).</summary>
    public double LeakedNanoliters { get; private set; }

    /// <summary>Volume released as unintended boluses so far, nL (delivered).</summary>
    public double ReleasedNanoliters { get; private set; }

    /// <summary>The line pressure now, mmHg.</summary>
    public double PressureMmHg => BaselineMmHg + HeldNanoliters / (ComplianceMicrolitersPer100MmHg * 1000) * 100;

    /// <summary>The pump pushed <paramref name="nanoliters"/> against the block at world time <paramref name="worldMicros"/>.</summary>
    public void Hold(double nanoliters, long worldMicros)
    {
        Leak(worldMicros);
        _heldNanoliters += nanoliters;
    }

    /// <summary>The block is released now: the held volume leaves the catheter.</summary>
    /// <returns>The bolus, nL.</returns>
    public double Release()
    {
        Leak(_clock.WorldMicros);
        double bolus = _heldNanoliters;
        _heldNanoliters = 0;
        ReleasedNanoliters += bolus;
        return bolus;
    }

    /// <inheritdoc/>
    public bool TryReadMillivolts(out int millivolts)
    {
        millivolts = 0;
        if (Unreadable) return false;
        double mv = ZeroMillivolts + MillivoltsPerMmHg * PressureMmHg;
        if (NoiseMillivolts > 0)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - _noise.NextDouble())) * Math.Cos(2 * Math.PI * _noise.NextDouble());
            mv += gaussian * NoiseMillivolts;
        }
        millivolts = (int)Math.Clamp(Math.Round(mv), 0, FullScaleMillivolts);
        return true;
    }

    // Brings the held volume to worldMicros: exponential decay with the leak's time constant.
    private void Leak(long worldMicros)
    {
        if (worldMicros <= _heldAtWorldMicros) return;
        if (LeakTimeConstantSeconds > 0 && _heldNanoliters > 0)
        {
            double kept = _heldNanoliters * Math.Exp(-(worldMicros - _heldAtWorldMicros) / 1e6 / LeakTimeConstantSeconds);
            LeakedNanoliters += _heldNanoliters - kept;
            _heldNanoliters = kept;
        }
        _heldAtWorldMicros = worldMicros;
    }
}
