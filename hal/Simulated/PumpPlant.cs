// The mechanism the firmware drives: steps in, volume out. The firmware's idea of volume
// comes from its calibration; the plant's truth may differ by a calibration error and
// pulsates within a revolution (a peristaltic head delivers unevenly per step but exactly per
// revolution), which is what a balance on the bench sees and the trumpet curve measures.
// Stall (the motor does not turn, steps are not confirmed) and occlusion (the motor turns but
// nothing flows; the pressure switch asserts its input, or, with the pressure model, the volume
// pushed builds pressure: CatheterPressure) can be injected.
namespace PumpFirmware.Hal.Simulated;

/// <summary>The simulated pump head: moves on steps, confirms them via <see cref="IStepFeedback"/>.</summary>
public sealed class PumpPlant : IStepFeedback
{
    private readonly SimMotorDriver _driver;
    private VirtualStepGenerator? _generator;
    private long _confirmedSteps;

    /// <summary>Creates a plant driven through <paramref name="driver"/>.</summary>
    /// <param name="driver">Steps move the head only while the driver is enabled.</param>
    /// <param name="nominalStepsPerMl">The head's true displacement, steps per mL, before the error.</param>
    public PumpPlant(SimMotorDriver driver, long nominalStepsPerMl)
    {
        if (nominalStepsPerMl <= 0) throw new ArgumentOutOfRangeException(nameof(nominalStepsPerMl));
        _driver = driver;
        NominalStepsPerMl = nominalStepsPerMl;
    }

    /// <summary>The head's nominal displacement in steps per mL.</summary>
    public long NominalStepsPerMl { get; set; }

    /// <summary>The head delivers (1 + this / 1e6) times its nominal volume (e.g. -20000 = 2 % under).</summary>
    public int CalibrationErrorPpm { get; set; }

    /// <summary>Relative amplitude of the per-step volume's sinusoidal ripple within a revolution (0 = smooth; 0.3 = ±30 %).</summary>
    public double PulsationAmplitude { get; set; }

    /// <summary>Steps per revolution of the head (the pulsation's period).</summary>
    public int StepsPerRevolution { get; set; } = 200;

    /// <summary>Injected: the motor does not turn (steps are neither confirmed nor delivered).</summary>
    public bool Stalled { get; set; }

    /// <summary>Injected: the catheter is blocked (the motor turns, nothing flows). Without a <see cref="Pressure"/>
    /// model the <see cref="OcclusionSensor"/> switch asserts at once; with one, the volume pushed builds pressure
    /// and clearing the block delivers it (the unintended bolus).</summary>
    public bool Occluded
    {
        get => _occluded;
        set
        {
            if (value == _occluded) return;
            // Pulses already emitted belong to the state before the change.
            _generator?.Sync();
            _occluded = value;
            if (Pressure == null)
            {
                OcclusionSensor.IsAsserted = value;
            }
            else if (!value)
            {
                double bolus = Pressure.Release();
                _deliveredNanoliters += bolus;
                if (bolus > 0 && _clock != null) _lastMoveMicros = _clock.NowMicros;
            }
        }
    }

    private bool _occluded;
    private VirtualClock? _clock;

    /// <summary>The pressure model (<c>--plant pressure</c>), or null for the switch model (the default).</summary>
    public CatheterPressure? Pressure { get; private set; }

    /// <summary>Chooses the pressure model: a block builds pressure in <paramref name="pressure"/> instead of
    /// asserting <see cref="OcclusionSensor"/>.</summary>
    public void UsePressureModel(CatheterPressure pressure, VirtualClock clock)
    {
        Pressure = pressure;
        _clock = clock;
    }

    /// <summary>The occlusion pressure switch the firmware reads.</summary>
    public SimDigitalInput OcclusionSensor { get; } = new();

    /// <summary>Step pulses that reached the plant (whether or not the head moved).</summary>
    public long PulsesReceived
    {
        get { _generator?.Sync(); return _pulsesReceived; }
    }

    private long _pulsesReceived;

    /// <summary>Steps the head made (driver enabled, not stalled). Never decreases.</summary>
    public long MovedSteps
    {
        get { _generator?.Sync(); return _movedSteps; }
    }

    private long _movedSteps;

    /// <summary>Pulses lost because the driver was disabled.</summary>
    public long PulsesWhileDisabled
    {
        get { _generator?.Sync(); return _pulsesWhileDisabled; }
    }

    private long _pulsesWhileDisabled;

    /// <summary>Volume that actually left the catheter, in nL (pulsation and error included).</summary>
    public double DeliveredNanoliters
    {
        get { _generator?.Sync(); return _deliveredNanoliters; }
    }

    private double _deliveredNanoliters;

    /// <summary>Volume pushed against an occlusion (not delivered), in nL.</summary>
    public double HeldBackNanoliters
    {
        get { _generator?.Sync(); return _heldBackNanoliters; }
    }

    private double _heldBackNanoliters;

    /// <summary>Pump clock µs of the last movement of the head; -1 before any.</summary>
    public long LastMoveMicros
    {
        get { _generator?.Sync(); return _lastMoveMicros; }
    }

    private long _lastMoveMicros = -1;

    /// <inheritdoc/>
    public long ConfirmedSteps
    {
        get
        {
            _generator?.Sync();
            return _confirmedSteps;
        }
    }

    /// <summary>Connects the generator whose emitted pulses drive this plant.</summary>
    internal void Attach(VirtualStepGenerator generator) => _generator = generator;

    /// <summary>A boot: the feedback counter restarts at 0 like the hardware's.</summary>
    public void ResetFeedbackCounter() => _confirmedSteps = 0;

    /// <summary>Pulses emitted by the generator at pump time <paramref name="atMicros"/>.</summary>
    internal void OnPulses(long count, long atMicros)
    {
        _pulsesReceived += count;
        if (!_driver.IsEnabled)
        {
            _pulsesWhileDisabled += count;
            return;
        }
        if (Stalled) return;
        double perStep = 1e6 / NominalStepsPerMl * (1.0 + CalibrationErrorPpm / 1e6);
        double volume;
        if (PulsationAmplitude == 0 || StepsPerRevolution <= 0)
        {
            volume = perStep * count;
        }
        else
        {
            // Integral of perStep * (1 + a*sin(2*pi*phase)) over the steps, exact per revolution.
            double w = 2 * Math.PI / StepsPerRevolution;
            double a = PulsationAmplitude;
            double p0 = _movedSteps, p1 = _movedSteps + count;
            volume = perStep * (count + a / w * (Math.Cos(w * p0) - Math.Cos(w * p1)));
        }
        _movedSteps += count;
        _confirmedSteps += count;
        _lastMoveMicros = atMicros;
        if (_occluded)
        {
            _heldBackNanoliters += volume;
            Pressure?.Hold(volume, atMicros + (_clock?.BootWorldMicros ?? 0));
        }
        else
        {
            _deliveredNanoliters += volume;
        }
    }
}
