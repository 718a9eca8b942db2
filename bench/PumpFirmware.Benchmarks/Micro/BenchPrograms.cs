using PumpFirmware.Dosing;

namespace PumpFirmware.Benchmarks.Micro;

/// <summary>Programs for the micro-benchmarks, built with the same setters PROG: uses.</summary>
internal static class BenchPrograms
{
    /// <summary>One step a second all day: 1000 ng/mL, 1,350,000 ng/day (1.35 mL/day x 64000 steps/mL = 86,400 steps).</summary>
    public static Prescription Single()
    {
        var p = Base();
        Check(p.SetStep(0, 1_350_000));
        return p;
    }

    /// <summary>12 flex steps, every 2 h, rates 100,000 .. 1,200,000 ng/day.</summary>
    public static Prescription TwelveSteps()
    {
        var p = Base();
        for (int i = 0; i < 12; i++) Check(p.SetStep(i * 120, 100_000L * (i + 1)));
        return p;
    }

    private static Prescription Base()
    {
        var p = new Prescription();
        Check(p.SetDrug("bench", 1000));
        Check(p.SetLimit(Prescription.MaxDoseNg));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        return p;
    }

    private static void Check(string? error)
    {
        if (error != null) throw new InvalidOperationException(error);
    }
}
