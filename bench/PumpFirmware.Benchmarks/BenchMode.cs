// BenchmarkDotNet runs of the hot paths (Micro/), with bytes allocated per operation.
//   -- bench    a short in-process run (BenchmarkDotNet ShortRun job: 1 launch, 3 warm-ups, 3 iterations)
//               that prints the table, then a direct count of bytes allocated over 1,000,000 steps
//   -- bdn      the full BenchmarkDotNet run (default job, out of process); extra args go to
//               BenchmarkSwitcher, e.g. `-- bdn --filter *Scheduling*`
// Run from the repository root: dotnet run -c Release --project bench/PumpFirmware.Benchmarks -- bench
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PumpFirmware.Benchmarks.Micro;
using PumpFirmware.Dosing;
using PumpFirmware.Therapy;

namespace PumpFirmware.Benchmarks;

public static class BenchMode
{
    private static readonly Type[] Suites = { typeof(SchedulingBenchmarks), typeof(DeliveryEngineBenchmarks), typeof(ProtocolBenchmarks) };

    private static string ArtifactsPath => Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "benchmarks");

    /// <summary>The short run: in process (no child project to build), ShortRun iteration counts.</summary>
    public static int Short(string[] args)
    {
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(ArtifactsPath)
            .WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkRunner.Run(Suites, config);
        StepAllocations();
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }

    /// <summary>The full BenchmarkDotNet run (default job, out of process; build with -c Release).</summary>
    public static int Full(string[] args)
    {
        // The child project's build can take minutes on a busy 2-core machine (the default timeout is 2 min).
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithBuildTimeout(TimeSpan.FromMinutes(15))
            .WithArtifactsPath(ArtifactsPath)
            .WithOptions(ConfigOptions.JoinSummary);
        if (args.Length == 0) args = new[] { "--filter", "*" };
        var summaries = BenchmarkSwitcher.FromTypes(Suites).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }

    /// <summary>Zero bytes per step, counted directly: GC.GetAllocatedBytesForCurrentThread around
    /// 1,000,000 wake-ups of a RUNNING controller in steady state (after 10,000 warm-up wake-ups).</summary>
    private static void StepAllocations()
    {
        foreach (var (name, program) in new[] { ("single rate, 86,400 steps/day", BenchPrograms.Single()), ("12 flex steps", BenchPrograms.TwelveSteps()) })
        {
            var c = new TherapyController(1000);
            var e = new TherapyEvent();
            c.Boot(0);
            if (!c.Commit(program, false, 0).IsOk || !c.Refill(Prescription.MaxCapacityNl, 0).IsOk || !c.Start(0).IsOk)
                throw new InvalidOperationException("setup failed");
            long steps = 0;
            void Run(int wakeUps)
            {
                for (int i = 0; i < wakeUps; i++)
                {
                    long wake = c.NextWakeMicros;
                    steps += c.Advance(wake);
                    while (c.TryTakeEvent(e)) { }
                    if (c.ReservoirNl < Prescription.MaxCapacityNl / 2) c.Refill(Prescription.MaxCapacityNl, wake);
                }
            }
            Run(10_000);
            long stepsBefore = steps;
            long before = GC.GetAllocatedBytesForCurrentThread();
            const int wakeUps = 1_000_000;
            Run(wakeUps);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine($"steady state, {name}: {wakeUps:N0} wake-ups, {steps - stepsBefore:N0} steps, {allocated:N0} bytes allocated = {(double)allocated / (steps - stepsBefore):N3} B/step (state {c.State})");
        }
    }
}
