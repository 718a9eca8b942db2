// BenchmarkDotNet: the dosing core's hot paths, with bytes allocated per operation.
using BenchmarkDotNet.Attributes;
using PumpFirmware.Dosing;
using PumpFirmware.Therapy;

namespace PumpFirmware.Benchmarks.Micro;

/// <summary>
/// Scheduling a step: TherapyController.Advance at its own NextWakeMicros, as the application
/// loop calls it, on a RUNNING pump in steady state (the warm-up has passed every start-up
/// path). Events are drained into one preallocated TherapyEvent; the reservoir is refilled when
/// it falls below half so that a long run never leaves steady state.
/// </summary>
[MemoryDiagnoser]
public class SchedulingBenchmarks
{
    private const long Second = 1_000_000;
    private TherapyController _single = null!;
    private TherapyController _flex = null!;
    private readonly TherapyEvent _event = new();

    [GlobalSetup]
    public void Setup()
    {
        // 86,400 steps a day (one a second) at 1000 ng/mL and 64000 steps/mL: 1,350,000 ng/day.
        _single = Running(BenchPrograms.Single());
        // 12 flex steps of 2 h each: a rate change every 2 h of the timeline.
        _flex = Running(BenchPrograms.TwelveSteps());
    }

    private TherapyController Running(Prescription program)
    {
        var c = new TherapyController(1000);
        c.Boot(0);
        Expect(c.Commit(program, false, 0));
        Expect(c.Refill(Prescription.MaxCapacityNl, 0));
        Expect(c.Start(0));
        for (int i = 0; i < 10_000; i++) Step(c);
        if (c.State != TherapyState.Running) throw new InvalidOperationException("not RUNNING after warm-up: " + c.State);
        return c;
    }

    private static void Expect(TherapyResult r)
    {
        if (!r.IsOk) throw new InvalidOperationException("setup: " + r.Code + " " + r.Detail);
    }

    private int Step(TherapyController c)
    {
        long wake = c.NextWakeMicros;
        int steps = c.Advance(wake);
        while (c.TryTakeEvent(_event)) { }
        if (c.ReservoirNl < Prescription.MaxCapacityNl / 2) c.Refill(Prescription.MaxCapacityNl, wake);
        return steps;
    }

    /// <summary>One wake-up of a single-rate program: one motor step scheduled.</summary>
    [Benchmark(Description = "TherapyController.Advance, one step (steady state)")]
    public int AdvanceOneStep() => Step(_single);

    /// <summary>One wake-up of a 12-step flex program: steps and, every 2 h, a rate change.</summary>
    [Benchmark(Description = "TherapyController.Advance, 12-step flex program")]
    public int AdvanceFlex() => Step(_flex);
}
