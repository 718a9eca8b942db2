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
    public long NominalStepsPerMl
    {
        get => _nominalStepsPerMl;
        set { SettleVolume(); _nominalStepsPerMl = value; }
    }

    private long _nominalStepsPerMl;

    /// <summary>The head delivers (1 + this / 1e6) times its nominal volume (e.g. -20000 = 2 % under).</summary>
    public int CalibrationErrorPpm
    {
        get => _calibrationErrorPpm;
        set { SettleVolume(); _calibrationErrorPpm = value; }
    }

    private int _calibrationErrorPpm;

    /// <summary>Relative amplitude of the per-step volume's sinusoidal ripple within a revolution (0 = smooth; 0.3 = ±30 %).</summary>
    public double PulsationAmplitude
    {
        get => _pulsationAmplitude;
        set { SettleVolume(); _pulsationAmplitude = value; }
    }

    private double _pulsationAmplitude;

    /// <summary>Steps per revolution of the head (the pulsation's period).</summary>
    public int StepsPerRevolution
    {
        get => _stepsPerRevolution;
        set { SettleVolume(); _stepsPerRevolution = value; }
    }

    private int _stepsPerRevolution = 200;

    /// <summary>Injected: the motor does not turn (steps are neither confirmed nor delivered).</summary>
    public bool Stalled
    {
        get => _stalled;
        set => _stalled = value;
    }

    private bool _stalled;

    /// <summary>Injected: the catheter is blocked (the motor turns, nothing flows). Without a <see cref="Pressure"/>
    /// model the <see cref="OcclusionSensor"/> switch asserts at once; with one, the volume pushed builds pressure
    /// and clearing the block delivers it (the unintended bolus).</summary>
    public bool Occluded
    {
        get => _occluded;
        set
        {
            if (value == _occluded) return;
            // Pulses already emitted belong to the state before the change. Without the pressure model nothing else is
            // added to the volumes here and each pending run carries its own occlusion, so the runs stay pending (a
            // year of weekly occlusions computes nothing until someone reads the volume); with it, the released bolus
            // is added to the delivered volume, so the moves before it are added first (the sums add in the order
            // the moves happened).
            _generator?.Sync();
            if (Pressure != null) SettleVolume();
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
        get { _generator?.Sync(); SettleVolume(); return _deliveredNanoliters; }
    }

    private double _deliveredNanoliters;

    /// <summary>Volume pushed against an occlusion (not delivered), in nL.</summary>
    public double HeldBackNanoliters
    {
        get { _generator?.Sync(); SettleVolume(); return _heldBackNanoliters; }
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
        if (!MoveAlongLastRun(count, atMicros)) OnPulsesAnyCase(count, atMicros);
    }

    // The common move (driver on, no stall, no occlusion against the pressure model, the same count and occlusion as the
    // last run's moves): one more of that run, with nothing that calls out, so it stays a few instructions. What the
    // general case below does for such a move, exactly; false (nothing done) for any other.
    private bool MoveAlongLastRun(long count, long atMicros)
    {
        int last = _runCount - 1;
        if (last < 0 || !_driver.IsEnabled || _stalled || (_occluded && Pressure != null)) return false;
        ref Run run = ref _runs[last];
        if (run.Count != count || run.Occluded != _occluded || run.Moves == MaxRunMoves) return false;
        _pulsesReceived += count;
        run.Moves++;
        _movedSteps += count;
        _confirmedSteps += count;
        _lastMoveMicros = atMicros;
        return true;
    }

    private void OnPulsesAnyCase(long count, long atMicros)
    {
        _pulsesReceived += count;
        if (!_driver.IsEnabled)
        {
            _pulsesWhileDisabled += count;
            return;
        }
        if (_stalled) return;
        // The volume is what no one sees until it is read (a balance, a scenario's mass_g): the moves are kept as runs of
        // equal moves and their volume is summed when read, move by move in the same order and with the same arithmetic
        // as at each move, so the figure is the same to the last bit. The steps count at once. A move against an
        // occlusion under the pressure model is seen at once (it builds the pressure the firmware reads).
        if (_occluded && Pressure != null)
        {
            SettleVolume();
            double volume = MoveVolume(_movedSteps, count, PerStepNanoliters());
            _heldBackNanoliters += volume;
            Pressure.Hold(volume, atMicros + (_clock?.BootWorldMicros ?? 0));
        }
        else
        {
            int last = _runCount - 1;
            if (last < 0 || _runs[last].Count != count || _runs[last].Occluded != _occluded || _runs[last].Moves == MaxRunMoves)
            {
                if (_runCount == _runs.Length) SettleVolume();
                _runs[_runCount++] = new Run { Start = _movedSteps, Count = count, Occluded = _occluded };
                last = _runCount - 1;
            }
            _runs[last].Moves++;
        }
        _movedSteps += count;
        _confirmedSteps += count;
        _lastMoveMicros = atMicros;
    }

    // Moves not yet added to the volumes: runs of Moves moves of Count steps each from step Start, all into the delivered
    // or all into the held-back volume. What changes how a move's volume is computed (the error, the pulsation, the
    // occlusion) settles them first.
    private struct Run
    {
        public long Start;
        public long Count;
        public long Moves;
        public bool Occluded;
    }

    private const long MaxRunMoves = 1L << 40;
    private readonly Run[] _runs = new Run[4096]; // a bolus or an occlusion starts a few runs; a year of therapy fits
    private int _runCount;

    // cos(2 pi / StepsPerRevolution * _cosPhase), kept from the last pulsating move (the next one starts there).
    private long _cosPhase = -1;
    private double _cosAtPhase;
    private int _cosStepsPerRevolution;

    private double PerStepNanoliters() => 1e6 / NominalStepsPerMl * (1.0 + CalibrationErrorPpm / 1e6);

    // Adds the pending moves' volume, move by move (the arithmetic of a move, unchanged).
    private void SettleVolume()
    {
        for (int r = 0; r < _runCount; r++)
        {
            Run run = _runs[r];
            double perStep = PerStepNanoliters();
            long position = run.Start;
            for (long k = 0; k < run.Moves; k++)
            {
                double volume = MoveVolume(position, run.Count, perStep);
                position += run.Count;
                if (run.Occluded) _heldBackNanoliters += volume;
                else _deliveredNanoliters += volume;
            }
        }
        _runCount = 0;
    }

    // The volume of one move of count steps from step position.
    private double MoveVolume(long position, long count, double perStep)
    {
        if (PulsationAmplitude == 0 || StepsPerRevolution <= 0) return perStep * count;
        // Integral of perStep * (1 + a*sin(2*pi*phase)) over the steps, exact per revolution.
        double w = 2 * Math.PI / StepsPerRevolution;
        double a = PulsationAmplitude;
        double p0 = position, p1 = position + count;
        // cos(w * p0) is the previous move's cos(w * p1) (the same inputs, so the same value): computed once.
        double cos0 = _cosPhase == position && _cosStepsPerRevolution == StepsPerRevolution ? _cosAtPhase : Math.Cos(w * p0);
        double cos1 = Math.Cos(w * p1);
        _cosPhase = position + count;
        _cosAtPhase = cos1;
        _cosStepsPerRevolution = StepsPerRevolution;
        return perStep * (count + a / w * (cos0 - cos1));
    }
}
