// The dosing core's benchmark. TODO(core): lands with the delivery engine.
namespace PumpFirmware.Benchmarks;

public static class CoreBenchmark
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("core benchmark: not implemented yet (lands with the delivery engine)");
        return 1;
    }
}
