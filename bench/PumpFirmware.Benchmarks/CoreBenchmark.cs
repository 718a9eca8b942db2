// The dosing core's benchmark: how fast the core schedules steps, what a step allocates in steady
// state, and how long a simulated year of a 4-step program takes when the caller jumps straight to
// NextWakeMicros (as the virtual device does). Plain Stopwatch and allocation counters; prints a table.
using System.Diagnostics;
using PumpFirmware.Dosing;
using PumpFirmware.Therapy;

namespace PumpFirmware.Benchmarks;

public static class CoreBenchmark
{
    private const long Day = 86_400_000_000L;

    public static int Run(string[] args)
    {
        Console.WriteLine("core: dosing core (TherapyController), jumping to NextWakeMicros");
        Console.WriteLine($"{"case",-44} {"steps",12} {"wakes",10} {"wall ms",9} {"steps/s",14} {"bytes/step",11}");
        // Warm up the JIT on a short run of every case.
        Measure("warm-up", FourStep(), 64000, 2, print: false);
        Measure("warm-up", Continuous(), 64000, 2, print: false);

        Measure("4-step program, 1 year (64000 steps/mL)", FourStep(), 64000, 365);
        Measure("300 ug/day at 2000 ug/mL, 1 year", Continuous(), 64000, 365);
        Measure("4-step + PTM every 4 h + min rate, 1 year", FourStepWithPtm(), 64000, 365, ptmEveryHours: 4);
        Measure("fast: 500 steps/s continuous, 1 day", Fast(), 1_000_000, 1, maxStepsPerSecond: 1000);
        return 0;
    }

    private static Prescription FourStep()
    {
        var p = new Prescription();
        p.SetDrug("baclofen", 2_000_000);
        p.SetLimit(600_000);
        p.SetStep(0, 200_000);
        p.SetStep(6 * 60, 300_000);
        p.SetStep(12 * 60, 450_000);
        p.SetStep(18 * 60, 250_000);
        p.SetReservoir(Prescription.MaxCapacityNl, 0);
        return p;
    }

    private static Prescription FourStepWithPtm()
    {
        var p = FourStep();
        p.SetLimit(1_000_000);
        p.SetPtm(20_000, 10, 60, 6);
        p.SetMinRate(10_000);
        return p;
    }

    private static Prescription Continuous()
    {
        var p = new Prescription();
        p.SetDrug("baclofen", 2_000_000);
        p.SetLimit(400_000);
        p.SetStep(0, 300_000);
        p.SetReservoir(Prescription.MaxCapacityNl, 0);
        return p;
    }

    private static Prescription Fast()
    {
        // 500 steps/s at 10^6 steps/mL: 43.2 mL/day of 1 ug/mL = 43.2 ug/day.
        var p = new Prescription();
        p.SetDrug("saline", 1_000);
        p.SetLimit(50_000);
        p.SetStep(0, 43_200);
        p.SetReservoir(Prescription.MaxCapacityNl, 0);
        return p;
    }

    private static void Measure(string name, Prescription program, long stepsPerMl, int days, bool print = true,
        int ptmEveryHours = 0, int maxStepsPerSecond = 1000)
    {
        var c = new TherapyController(maxStepsPerSecond);
        c.Boot(0);
        Check(c.SetCalibration(stepsPerMl, 0));
        Check(c.Commit(program, false, 0));
        Check(c.Refill(program.CapacityNl, 0));
        Check(c.Start(0));
        var e = new TherapyEvent();
        long end = days * Day;
        long nextPtm = ptmEveryHours > 0 ? ptmEveryHours * 3_600_000_000L : long.MaxValue;
        long wakes = 0;
        long refillEvery = Day * 30;
        long nextRefill = refillEvery;
        long startSteps = c.TotalSteps;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            long now = c.NextWakeMicros;
            if (now > end) break;
            if (now >= nextPtm)
            {
                // Commands are not the step path: they may allocate a result (PTM) and are counted apart.
                long a = GC.GetAllocatedBytesForCurrentThread();
                c.RequestPatientBolus(nextPtm);
                allocated += GC.GetAllocatedBytesForCurrentThread() - a;
                nextPtm += ptmEveryHours * 3_600_000_000L;
            }
            if (now >= nextRefill)
            {
                long a = GC.GetAllocatedBytesForCurrentThread();
                c.Refill(program.CapacityNl, now);
                allocated += GC.GetAllocatedBytesForCurrentThread() - a;
                nextRefill += refillEvery;
            }
            c.Advance(now);
            while (c.TryTakeEvent(e)) { }
            wakes++;
        }
        watch.Stop();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        long steps = c.TotalSteps - startSteps;
        if (!print) return;
        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{name,-44} {steps,12:N0} {wakes,10:N0} {watch.Elapsed.TotalMilliseconds,9:F1} {steps / seconds,14:N0} {(double)bytes / Math.Max(1, steps),11:F3}");
    }

    private static void Check(TherapyResult r)
    {
        if (!r.IsOk) throw new InvalidOperationException($"{r.Code} {r.Detail}");
    }
}
