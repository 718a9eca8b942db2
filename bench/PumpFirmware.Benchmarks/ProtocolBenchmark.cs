// The protocol and application loop: how fast requests are answered, how much a status line
// and a telemetry line allocate, and how fast Service() runs a pump through virtual time.
// Prints figures; asserts nothing. Run:
//   dotnet run -c Release --project bench/PumpFirmware.Benchmarks -- protocol
using System.Diagnostics;
using PumpFirmware.App;
using PumpFirmware.Hal;

using PumpFirmware.Benchmarks.Micro;

namespace PumpFirmware.Benchmarks;

public static class ProtocolBenchmark
{
    public static int Run(string[] args)
    {
        Console.WriteLine("protocol benchmark (Release build recommended)");
        Requests("STATUS?", 200_000);
        Requests("PROG:REVIEW", 100_000);
        Requests("LOG? 0 100", 5_000);
        Requests("NOT A COMMAND 1.2345 \u00ff", 200_000);
        Telemetry();
        VirtualYear(telemetryPeriodSeconds: 0);
        VirtualYear(telemetryPeriodSeconds: 1);
        return 0;
    }

    private static void Requests(string line, int count)
    {
        var bench = new BenchDevice();
        byte[] request = System.Text.Encoding.Latin1.GetBytes(line + "\n");
        if (line.StartsWith("LOG?")) for (int i = 0; i < 1100; i++) bench.Send("PTM"); // a full log ring
        for (int i = 0; i < 1000; i++) { bench.Link.Feed(request); bench.App.Poll(); } // warm up
        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        long sentBefore = bench.Link.BytesSent;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            bench.Link.Feed(request);
            bench.App.Poll();
        }
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        Console.WriteLine($"  {line,-28} {count / watch.Elapsed.TotalSeconds,12:N0} requests/s  {(double)allocated / count,8:N1} B allocated/request  {(double)(bench.Link.BytesSent - sentBefore) / count,7:N0} B sent/request");
    }

    private static void Telemetry()
    {
        var bench = new BenchDevice();
        bench.Send("TEL 1");
        for (int i = 0; i < 1000; i++) { bench.Clock.NowMicros += 1_000_000; bench.App.Service(); }
        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        long lines = bench.Link.Writes;
        var watch = Stopwatch.StartNew();
        const int count = 200_000;
        for (int i = 0; i < count; i++)
        {
            bench.Clock.NowMicros += 1_000_000;
            bench.App.Service();
        }
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        long sent = bench.Link.Writes - lines;
        Console.WriteLine($"  !TEL lines                   {sent / watch.Elapsed.TotalSeconds,12:N0} lines/s     {(double)allocated / sent,8:N1} B allocated/line (RUNNING pump, 1 s period)");
    }

    private static void VirtualYear(int telemetryPeriodSeconds)
    {
        var bench = new BenchDevice();
        if (telemetryPeriodSeconds > 0) bench.Send("TEL " + telemetryPeriodSeconds);
        long year = 365L * 86_400_000_000L;
        long services = 0;
        long memoryBefore = GC.GetTotalMemory(true);
        var watch = Stopwatch.StartNew();
        long target = bench.Clock.NowMicros + year;
        long lastAuth = 0;
        while (bench.Clock.NowMicros < target)
        {
            long next = bench.App.NextWakeMicros;
            if (next > target) next = target;
            if (next > bench.Clock.NowMicros) bench.Clock.NowMicros = next;
            else bench.Clock.NowMicros += 1;
            bench.App.Service();
            services++;
            if (bench.Clock.NowMicros - lastAuth > 20L * 86_400_000_000L)
            {
                bench.Send("AUTH 0000");      // keep the session for the refills
                bench.Send("REFILL 20000");
                lastAuth = bench.Clock.NowMicros;
            }
        }
        watch.Stop();
        long memoryAfter = GC.GetTotalMemory(true);
        Console.WriteLine($"  a year of a 3-step program, TEL {telemetryPeriodSeconds}: {watch.Elapsed.TotalSeconds:N2} s wall, {services:N0} wake-ups, {bench.App.Controller.TotalSteps:N0} steps, {bench.Link.Writes:N0} lines, heap {memoryBefore / 1024:N0} -> {memoryAfter / 1024:N0} KiB (application loop on minimal fakes, no journal)");
    }
}
