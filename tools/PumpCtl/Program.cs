namespace PumpCtl; public static class Program { public static int Main(string[] args) { Console.Error.WriteLine("pumpctl: not built yet"); return 2; } }
