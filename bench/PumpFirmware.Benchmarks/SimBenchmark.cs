// `sim` mode: the virtual device's speed, i.e. simulated time per wall second for the whole
// firmware (protocol, therapy, storage journal on an in-memory store, simulated plant), with
// telemetry off and at 1 s, and the managed heap at the start and the end (flat = no growth
// per simulated day). Prints figures; asserts nothing.
// Run: dotnet run -c Release --project bench/PumpFirmware.Benchmarks -- sim [days] [tel-days]
using System.Diagnostics;
using System.Globalization;
using PumpFirmware.VirtualDevice.Device;

namespace PumpFirmware.Benchmarks;

public static class SimBenchmark
{
    // A 3-step baclofen flex program at 500 ug/mL (the higher-volume case: 9.6 to 19.2 k steps a day).
    private static readonly string[] Program =
    {
        "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 400",
        "PROG:STEP 00:00 120", "PROG:STEP 08:00 240", "PROG:STEP 18:00 180",
        "PROG:PTM 20 10 240 3", "PROG:RESERVOIR 20000 2000", "PROG:CATHETER 150", "PROG:MINRATE 10",
    };

    public static int Run(string[] args)
    {
        int days = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 365;
        int telemetryDays = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        Console.WriteLine($"sim benchmark: 3-step program, 500 ug/mL, 64000 steps/mL, in-memory store; {Environment.ProcessorCount} cores");
        Measure("telemetry off", days, 0, true);
        Measure("telemetry 1 s", telemetryDays, 1, true);
        Measure("telemetry off, storage journal off (its cost)", Math.Min(days, 30), 0, false);
        return 0;
    }

    private static void Measure(string label, int days, int telemetrySeconds, bool persistence)
    {
        var pump = new VirtualPump(new VirtualPumpOptions { WithoutPersistence = !persistence });
        long bytesOut = 0;
        long linesOut = 0;
        var sink = new byte[65536];
        pump.AfterService = () =>
        {
            int n;
            while ((n = pump.Link.HostRead(sink, 0, sink.Length)) > 0)
            {
                bytesOut += n;
                for (int i = 0; i < n; i++) if (sink[i] == '\n') linesOut++;
            }
        };
        pump.PowerOn();
        Send(pump, "AUTH 0000");
        Send(pump, "TIME 1767225600");
        foreach (string line in Program) Send(pump, line);
        // The review's crc: read it back from the device's own answer.
        string crc = ReviewCrc(pump);
        Send(pump, "PROG:COMMIT " + crc);
        Send(pump, "REFILL 20000");
        Send(pump, "START");
        if (telemetrySeconds > 0) Send(pump, "TEL " + telemetrySeconds.ToString(CultureInfo.InvariantCulture));

        // Warm up one day (JIT), then measure.
        pump.Advance(86_400_000_000);
        long heapStart = GC.GetTotalMemory(true);
        long allocStart = GC.GetTotalAllocatedBytes(true);
        long stepsStart = pump.App.Controller.TotalSteps;
        long writesStart = pump.Store.WriteCount;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (int day = 0; day < days; day++)
        {
            // Keep the reservoir from running dry, as a clinic would.
            if (day % 30 == 29)
            {
                Send(pump, "AUTH 0000");
                Send(pump, "REFILL 20000");
            }
            pump.Advance(86_400_000_000);
        }
        watch.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        long heapEnd = GC.GetTotalMemory(true);
        long allocated = GC.GetTotalAllocatedBytes(true) - allocStart;
        long steps = pump.App.Controller.TotalSteps - stepsStart;
        long writes = pump.Store.WriteCount - writesStart;
        double wall = watch.Elapsed.TotalSeconds;
        double simSeconds = days * 86_400.0;
        Console.WriteLine($"{label}: {days} simulated days in {wall:0.00} s wall ({cpu:0.00} s CPU) = {simSeconds / wall / 86_400:0.0} simulated days per wall second ({simSeconds / wall:0} x real time)");
        Console.WriteLine($"  steps {steps:N0} ({steps / wall:N0}/s), storage writes {writes:N0} ({pump.Persistence.Durable.Snapshots:N0} snapshots, {pump.Store.BytesWritten / 1e6:0.0} MB), output {linesOut:N0} lines / {bytesOut / 1e6:0.0} MB");
        Console.WriteLine($"  GC heap after warm-up {heapStart / 1024.0:0} KiB, at end {heapEnd / 1024.0:0} KiB; allocated during the run {allocated / 1e6:0.0} MB ({(steps == 0 ? 0 : allocated / (double)steps):0.0} B/step)");
        Console.WriteLine($"  a year at this speed: {wall * 365 / days:0.0} s wall, {cpu * 365 / days:0.0} s CPU (load average now {LoadAverage()})");
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; } catch (IOException) { return "?"; }
    }

    private static void Send(VirtualPump pump, string line)
    {
        pump.Send(line);
        pump.Poll();
    }

    private static string ReviewCrc(VirtualPump pump)
    {
        // Review with our own reader to get its crc (the sink above discards output).
        var saved = pump.AfterService;
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        pump.AfterService = () =>
        {
            int n;
            while ((n = pump.Link.HostRead(buffer, 0, buffer.Length)) > 0) text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        };
        pump.Send("PROG:REVIEW");
        pump.Poll();
        pump.AfterService = saved;
        string answer = text.ToString();
        int at = answer.IndexOf("OK crc=", StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException("review failed: " + answer);
        return answer.Substring(at + 7, 4);
    }
}
