// The plant's battery: the truth the firmware's gauge estimates. It drains by a baseline current
// while the pump is powered, a charge per step pulse that reached the head and per byte on the
// serial link, and shows a terminal voltage on a discharge curve, read by the firmware through
// an ADC input (this class is that input). Its figures may differ from the firmware's profile
// (a weaker cell than nominal, a higher draw): then only the voltage can tell the firmware.
// The curve is the firmware profile's knee and steep end (BatteryProfile) with the flat part
// above it: 3.6 V full, 3.5 V at 12 % left, 3.0 V empty.
using PumpFirmware.Energy;

namespace PumpFirmware.Hal.Simulated;

/// <summary>The simulated cell and its voltage input (charge in nC, current in nA, voltage in terminal mV).</summary>
public sealed class SimBattery : IAnalogInput
{
    /// <summary>Terminal voltage of a full cell, mV (the flat part of the curve starts here).</summary>
    public const int FullMillivolts = 3600;

    private static readonly int[] CurveMillivolts = Concat(FullMillivolts, BatteryProfile.LithiumPrimaryCurveMillivolts());
    private static readonly int[] CurvePermille = Concat(1000, BatteryProfile.LithiumPrimaryCurvePermille());

    private readonly VirtualClock _clock;
    private readonly PumpPlant _plant;
    private readonly SimSerialLink _link;
    private long _fitWorldMicros;
    private long _offMicros;
    private long _pulsesAtFit;
    private long _bytesAtFit;
    private long _extraNc;

    /// <summary>A fresh cell, fitted now.</summary>
    public SimBattery(VirtualClock clock, PumpPlant plant, SimSerialLink link, long capacityNanocoulombs, long baselineNanoamps,
        long stepNanocoulombs, long byteNanocoulombs)
    {
        if (capacityNanocoulombs <= 0) throw new ArgumentOutOfRangeException(nameof(capacityNanocoulombs));
        _clock = clock;
        _plant = plant;
        _link = link;
        CapacityNanocoulombs = capacityNanocoulombs;
        BaselineNanoamps = baselineNanoamps;
        StepNanocoulombs = stepNanocoulombs;
        ByteNanocoulombs = byteNanocoulombs;
        Fit();
    }

    /// <summary>The cell's true usable charge, nC.</summary>
    public long CapacityNanocoulombs { get; set; }

    /// <summary>True draw while powered, nA.</summary>
    public long BaselineNanoamps { get; }

    /// <summary>True charge per step pulse, nC.</summary>
    public long StepNanocoulombs { get; }

    /// <summary>True charge per serial byte, nC.</summary>
    public long ByteNanocoulombs { get; }

    /// <summary>Injected: the ADC read fails (TryReadMillivolts returns false).</summary>
    public bool AdcFails { get; set; }

    /// <summary>World µs the pump was powered since this cell was fitted.</summary>
    public long PoweredMicros => _clock.WorldMicros - _fitWorldMicros - _offMicros;

    /// <summary>Charge drawn from this cell so far, nC.</summary>
    public long ConsumedNanocoulombs
    {
        get
        {
            long powered = PoweredMicros;
            long baseline = powered / 1_000_000 * BaselineNanoamps + powered % 1_000_000 * BaselineNanoamps / 1_000_000;
            long steps = (_plant.PulsesReceived - _pulsesAtFit) * StepNanocoulombs;
            long bytes = (_link.DeviceBytesRead + _link.DeviceBytesWritten - _bytesAtFit) * ByteNanocoulombs;
            return baseline + steps + bytes + _extraNc;
        }
    }

    /// <summary>Charge left, nC (0 when used up).</summary>
    public long RemainingNanocoulombs => Math.Max(0, CapacityNanocoulombs - ConsumedNanocoulombs);

    /// <summary>The terminal voltage now, mV (the curve, linear between points, rounded down).</summary>
    public int TerminalMillivolts
    {
        get
        {
            // Parts per million of the capacity left, against the curve's permille points scaled by 1000.
            long ppm = (long)((System.Int128)RemainingNanocoulombs * 1_000_000 / CapacityNanocoulombs);
            for (int i = 1; i < CurveMillivolts.Length; i++)
            {
                long low = CurvePermille[i] * 1000L;
                if (ppm < low) continue;
                long span = (CurvePermille[i - 1] - CurvePermille[i]) * 1000L;
                return (int)(CurveMillivolts[i] + (ppm - low) * (CurveMillivolts[i - 1] - CurveMillivolts[i]) / span);
            }
            return CurveMillivolts[^1];
        }
    }

    /// <summary>A fresh cell now (SIM:BATTERY NEW): nothing consumed.</summary>
    public void Fit()
    {
        _fitWorldMicros = _clock.WorldMicros;
        _offMicros = 0;
        _pulsesAtFit = _plant.PulsesReceived;
        _bytesAtFit = _link.DeviceBytesRead + _link.DeviceBytesWritten;
        _extraNc = 0;
    }

    /// <summary>Sets the charge used so far (SIM:BATTERY USED): an older cell than the firmware thinks.</summary>
    public void SetConsumed(long nanocoulombs) => _extraNc += nanocoulombs - ConsumedNanocoulombs;

    /// <summary>The pump was off for <paramref name="micros"/> (drawing nothing).</summary>
    public void PoweredOff(long micros) => _offMicros += micros;

    /// <inheritdoc/>
    public bool TryReadMillivolts(out int millivolts)
    {
        if (AdcFails)
        {
            millivolts = 0;
            return false;
        }
        millivolts = TerminalMillivolts;
        return true;
    }

    private static int[] Concat(int first, int[] rest)
    {
        var all = new int[rest.Length + 1];
        all[0] = first;
        rest.CopyTo(all, 1);
        return all;
    }
}
