namespace PumpFirmware.Benchmarks; public static class Program { public static int Main(string[] args) { Console.Error.WriteLine("benchmarks: none yet"); return 2; } }
