// Benchmarks print figures; they never assert. Run: dotnet run -c Release --project bench/PumpFirmware.Benchmarks -- <mode>
// To add a mode: put it in its own file (a static class with `int Run(string[] args)`) and add one line to Modes.
namespace PumpFirmware.Benchmarks;

public static class Program
{
    private static readonly (string Name, string Help, Func<string[], int> Run)[] Modes =
    {
        ("core", "dosing core: steps scheduled per second, bytes per step, a simulated year", CoreBenchmark.Run),
        ("bench", "BenchmarkDotNet, short in-process run of the hot paths: table with bytes allocated per op, then bytes per step counted", BenchMode.Short),
        ("bdn", "BenchmarkDotNet, full run (out of process); extra args go to BenchmarkSwitcher, e.g. --filter *Scheduling*", BenchMode.Full),
        ("protocol", "requests/s and bytes allocated per request and per !TEL line; a virtual year through PumpApplication", ProtocolBenchmark.Run),
        ("sim", "virtual device: simulated days per wall second, telemetry off and at 1 s, GC heap start/end", SimBenchmark.Run),
    };

    public static int Main(string[] args)
    {
        if (args.Length > 0)
        {
            foreach (var mode in Modes)
            {
                if (string.Equals(mode.Name, args[0], StringComparison.OrdinalIgnoreCase))
                {
                    return mode.Run(args[1..]);
                }
            }
        }
        Console.Error.WriteLine("usage: PumpFirmware.Benchmarks <mode> [args]   (build with -c Release)");
        foreach (var mode in Modes) Console.Error.WriteLine($"  {mode.Name,-10} {mode.Help}");
        return 2;
    }
}
