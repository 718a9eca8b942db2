using PumpFirmware.Hal.Simulated;

namespace PumpFirmware.VirtualDevice.Device;

/// <summary>How a <see cref="VirtualPump"/> is built.</summary>
public sealed class VirtualPumpOptions
{
    /// <summary>Manual (deterministic; only SIM:ADVANCE moves time) or real.</summary>
    public ClockMode Clock { get; set; } = ClockMode.Manual;

    /// <summary>The persistent store; null for a fresh in-memory one.</summary>
    public FaultyRecordStore? Store { get; set; }

    /// <summary>The board's maximum step rate, steps/s (CAL? max_steps_s).</summary>
    public int MaxStepsPerSecond { get; set; } = 1000;

    /// <summary>The plant's true displacement, steps/mL (the firmware's CAL may differ).</summary>
    public long PlantStepsPerMl { get; set; } = 64000;

    /// <summary>The plant's volume error, ppm (e.g. -15000 = 1.5 % under).</summary>
    public int CalibrationErrorPpm { get; set; }

    /// <summary>Relative ripple of the volume per step within a revolution (0..1).</summary>
    public double Pulsation { get; set; }

    /// <summary>The plant's occlusion model: false (default) a pressure switch that asserts at once on a block;
    /// true a pressure sensor on an ADC pin and a compliance that a block fills (<c>--plant pressure</c>).</summary>
    public bool PressurePlant { get; set; }

    /// <summary>With <see cref="PressurePlant"/>: compliance of head and catheter, µL per 100 mmHg.</summary>
    public double ComplianceMicrolitersPer100MmHg { get; set; } = CatheterPressure.DefaultComplianceMicrolitersPer100MmHg;

    /// <summary>With <see cref="PressurePlant"/>: time constant of the held volume's leak back, s (0 = none).</summary>
    public double PressureLeakSeconds { get; set; }

    /// <summary>With <see cref="PressurePlant"/>: standard deviation of the pressure sensor's noise, mV.</summary>
    public double PressureNoiseMillivolts { get; set; }

    /// <summary>Seed of every random source (balance noise).</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Standard deviation of the simulated balance's noise, g.</summary>
    public double BalanceNoiseGrams { get; set; } = 0.00002;

    /// <summary>World time at construction, µs (a crash test boots a copy of a store "later").</summary>
    public long StartWorldMicros { get; set; }

    /// <summary>Commits compare the whole state image, as before the 24 h window wrote only what changed (the
    /// sim benchmark's baseline; the bytes stored are the same).</summary>
    public bool WholeImagePasses { get; set; }

    /// <summary>Run without persistence (benchmarks only: shows what the storage journal costs).</summary>
    public bool WithoutPersistence { get; set; }

    /// <summary>The host's wall clock, µs since 1970 (the battery-backed clock's file stamps it); null for the real one.</summary>
    public Func<long>? HostUtcMicros { get; set; }

    /// <summary>A battery of this nominal capacity powers the pump, mAh (the firmware's gauge runs with a
    /// SynchroMed II-class profile of this capacity, and the plant simulates the cell and its voltage); null: mains
    /// powered, no gauge (the default, so that every run without it is unchanged).</summary>
    public long? BatteryCapacityMah { get; set; }

    /// <summary>The simulated cell holds (1 + this / 10^6) times the nominal capacity (e.g. -100000 = 10 % weaker than
    /// the firmware assumes: only the voltage reveals it).</summary>
    public int BatteryCapacityErrorPpm { get; set; }

    /// <summary>*IDN? serial.</summary>
    public string Serial { get; set; } = "VIRT0001";
}
