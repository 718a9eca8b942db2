// `sim` mode: the virtual device's cost for the whole firmware (protocol, therapy, storage journal
// on an in-memory store, simulated plant) over a simulated year of the README's baclofen week
// (scenarios/baclofen-week.scn, its program and its actions repeated week after week), and what
// the journal writes to flash per simulated day. Each case runs twice in the same invocation:
// "before" (every commit compares the whole 12 KiB state image, as the journal did before issue
// 13) and "after" (what a component knows did not change since the last pass is stepped over: the 24 h window's
// other buckets, the programs, the histories, the drug library and the titration history). Prints figures; asserts
// nothing. How the figures in docs/STORAGE.md were taken is described there.
// Run: dotnet run -c Release --project bench/PumpFirmware.Benchmarks -- sim [days] [tel-days] [baseline-tel-days] [cases]
//   cases: a comma list of week, tel, off, high, stress (default all); "after" or "before" limits the runs to one mode,
//   e.g. `sim 365 0 0 week,after` for a callgrind count of the after mode alone.
using System.Diagnostics;
using System.Globalization;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Scenarios;

namespace PumpFirmware.Benchmarks;

public static class SimBenchmark
{
    private const long Day = 86_400_000_000;

    // The flash projection's assumptions (docs/STORAGE.md): littlefs with 4 KiB blocks on nanoFramework's 256 KiB config
    // partition, 47 of its 64 blocks rotating (56 less the 9 a full event log's sealed segment files may hold still,
    // storage format 2); a CTZ data block holds 4,088 bytes past its pointer; a metadata block takes about 28 commits
    // before it is compacted; SPI NOR flash rated for 100,000 erase cycles.
    private const double FlashCtzBytesPerBlock = 4088;
    private const int FlashCommitsPerCompaction = 28;
    private const int FlashWearBlocks = 47;
    private const int FlashWearBlocksLarge = 239;
    private const double FlashEraseCycles = 100_000;
    private const long Week = 7 * Day;

    // The high-volume case of the sim benchmark before issue 13: a 3-step baclofen flex program at 500 ug/mL
    // (9.6 to 19.2 k steps, 150 to 300 uL, a day), no bolus, no reset.
    private static readonly string[] HighVolumeProgram =
    {
        "PROG:DRUG baclofen 500", "PROG:LIMIT 400",
        "PROG:STEP 00:00 120", "PROG:STEP 08:00 240", "PROG:STEP 18:00 180",
        "PROG:PTM 20 10 240 3", "PROG:RESERVOIR 20000 2000", "PROG:CATHETER 150", "PROG:MINRATE 10",
    };

    // A stress case beyond it: 2 mL a day on a flat program (the top of intrathecal volumes; 1 mL/day = 41.7 uL/h),
    // a commit every uL: about 2,000 a day.
    private static readonly string[] StressProgram =
    {
        "PROG:DRUG morphine 500", "PROG:LIMIT 1100",
        "PROG:STEP 00:00 1000",
        "PROG:RESERVOIR 40000 4000", "PROG:CATHETER 150",
    };

    public static int Run(string[] args)
    {
        int days = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 365;
        int telemetryDays = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 365;
        int baselineTelemetryDays = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        string cases = args.Length > 3 ? args[3] : "week,tel,off,high,stress";
        bool before = !cases.Contains("after", StringComparison.Ordinal);
        bool after = !cases.Contains("before", StringComparison.Ordinal);
        Scenario week = Scenario.Load(FindScenario("baclofen-week.scn"));
        Console.WriteLine($"sim benchmark: {week.Name} (its program and actions repeated weekly), in-memory store, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine("  before = every commit compares the whole state image; after = what did not change since the last pass is stepped over (24 h window, programs, histories, drug library, titration)");
        if (cases.Contains("week", StringComparison.Ordinal))
        {
            if (before) Measure("baclofen week, telemetry off, before", week, null, days, 0, Mode.Before);
            if (after) Measure("baclofen week, telemetry off, after", week, null, days, 0, Mode.After);
        }
        if (cases.Contains("off", StringComparison.Ordinal))
        {
            Measure("baclofen week, telemetry off, storage journal off (the rest of the firmware)", week, null, days, 0, Mode.NoPersistence);
        }
        if (cases.Contains("tel", StringComparison.Ordinal))
        {
            if (before && baselineTelemetryDays > 0) Measure("baclofen week, telemetry 1 s, before", week, null, baselineTelemetryDays, 1, Mode.Before);
            if (after && telemetryDays > 0) Measure("baclofen week, telemetry 1 s, after", week, null, telemetryDays, 1, Mode.After);
        }
        if (cases.Contains("high", StringComparison.Ordinal))
        {
            if (before) Measure("high volume (3-step, 500 ug/mL), telemetry off, before", null, HighVolumeProgram, days, 0, Mode.Before);
            if (after) Measure("high volume (3-step, 500 ug/mL), telemetry off, after", null, HighVolumeProgram, days, 0, Mode.After);
        }
        if (cases.Contains("stress", StringComparison.Ordinal))
        {
            if (before) Measure("stress (2 mL/day flat), telemetry off, before", null, StressProgram, Math.Min(days, 60), 0, Mode.Before);
            if (after) Measure("stress (2 mL/day flat), telemetry off, after", null, StressProgram, Math.Min(days, 60), 0, Mode.After);
        }
        return 0;
    }

    private enum Mode { Before, After, NoPersistence }

    private sealed class SimRun
    {
        public required VirtualPump Pump;
        public long BytesOut;
        public long LinesOut;
        public long TelBytes;
        public long TelLines;
        public bool LineIsTel;
        public bool AtLineStart = true;
        public int PrefixSeen;
        public long LineBytes;
        public bool Persisting;
        public string RefillUl = "20000";
        public long CommitsBeforeReset;
        public long Commits => CommitsBeforeReset + Pump.Persistence.Durable.Commits;
        public long Writes, WriteBytes, Appends, AppendBytes, Deletes, SegmentWrites, SegmentBytes, WriteBlocks;
        // Bytes this thread allocated in the scenario's requests and in its power cycles (each a new firmware instance
        // with its buffers, as on a real reset), counted apart from the advancing of time, which is what "per step"
        // means: the firmware's main loop and the simulated hardware between requests.
        public long RequestAllocated, ResetAllocated, Resets;
        // The pump's link and the drain's buffer, for AfterService: a delegate over this instance's method (no closure
        // and no shuffle thunk), returning at once when the link holds nothing (the common pass).
        public SimSerialLink Link = null!;
        public byte[] Sink = null!;

        public void AfterService()
        {
            if (Link.PendingToHost != 0) Drain(this, Sink);
        }
    }

    private static void Measure(string label, Scenario? scenario, string[]? program, int days, int telemetrySeconds, Mode mode)
    {
        var pump = new VirtualPump(new VirtualPumpOptions
        {
            WithoutPersistence = mode == Mode.NoPersistence,
            WholeImagePasses = mode == Mode.Before,
            Seed = scenario?.Seed ?? 1,
            PlantStepsPerMl = scenario?.PlantStepsPerMl ?? 64000,
            CalibrationErrorPpm = scenario?.CalibrationErrorPpm ?? 0,
            Pulsation = scenario?.Pulsation ?? 0,
            BalanceNoiseGrams = scenario?.NoiseGrams ?? 0.00002,
        });
        var run = new SimRun { Pump = pump, Persisting = mode != Mode.NoPersistence, RefillUl = program == StressProgram ? "40000" : "20000" };
        run.Link = pump.Link;
        run.Sink = new byte[65536];
        pump.AfterService = run.AfterService;
        pump.Store.BeforeWrite += (index, kind, fileId, buffer, offset, count) =>
        {
            switch (kind)
            {
                case StoreWriteKind.Write:
                    // Each rewritten file erases its own blocks (a log segment file one, a snapshot four).
                    run.WriteBlocks += (long)Math.Ceiling(count / FlashCtzBytesPerBlock);
                    if (fileId >= PumpPersistence.FirstLogFileId) { run.SegmentWrites++; run.SegmentBytes += count; }
                    else { run.Writes++; run.WriteBytes += count; }
                    break;
                case StoreWriteKind.Append: run.Appends++; run.AppendBytes += count; break;
                default: run.Deletes++; break;
            }
        };
        pump.PowerOn();
        Send(pump, "AUTH " + (scenario?.Pin ?? "0000"));
        Send(pump, "TIME " + (scenario?.StartUnixSeconds ?? Scenario.DefaultStartUnixSeconds).ToString(CultureInfo.InvariantCulture));
        Send(pump, "PROG:NEW");
        foreach (string line in scenario != null ? scenario.ProgramLines : (IEnumerable<string>)program!) Send(pump, line);
        Send(pump, "PROG:COMMIT " + ReviewCrc(pump));
        if (telemetrySeconds > 0) Send(pump, "TEL " + telemetrySeconds.ToString(CultureInfo.InvariantCulture));
        if (scenario == null)
        {
            Send(pump, "REFILL " + (program == StressProgram ? "40000" : "20000"));
            Send(pump, "START");
        }

        // Warm up one week (JIT, the window filled), then measure `days` from there.
        long end = Week + days * Day;
        long from = 0;
        RunUntil(run, scenario, Week, telemetrySeconds, ref from);
        var counters = (run.BytesOut, run.LinesOut, run.TelBytes, run.TelLines, run.Writes, run.WriteBytes, run.Appends, run.AppendBytes, run.Deletes,
            run.SegmentWrites, run.SegmentBytes, run.WriteBlocks);
        var allocations = (run.RequestAllocated, run.ResetAllocated, run.Resets);
        long commitsStart = run.Commits;
        long heapStart = GC.GetTotalMemory(true);
        long allocStart = GC.GetTotalAllocatedBytes(true);
        long stepsStart = pump.App.Controller.TotalSteps;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        RunUntil(run, scenario, end, telemetrySeconds, ref from);
        watch.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        long heapEnd = GC.GetTotalMemory(true);
        long allocated = GC.GetTotalAllocatedBytes(true) - allocStart;
        long steps = pump.App.Controller.TotalSteps - stepsStart;
        double wall = watch.Elapsed.TotalSeconds;
        double perDay = 1.0 / days;
        long writes = run.Writes - counters.Writes, writeBytes = run.WriteBytes - counters.WriteBytes;
        long appends = run.Appends - counters.Appends, appendBytes = run.AppendBytes - counters.AppendBytes;
        long deletes = run.Deletes - counters.Deletes;
        long segmentWrites = run.SegmentWrites - counters.SegmentWrites, segmentBytes = run.SegmentBytes - counters.SegmentBytes;
        long writeBlocks = run.WriteBlocks - counters.WriteBlocks;
        Console.WriteLine($"{label}: {days} simulated days in {cpu:0.000} s CPU ({wall:0.000} s wall); a year: {cpu * 365 / days:0.00} s CPU, {wall * 365 / days:0.00} s wall");
        long commits = run.Commits - commitsStart;
        Console.WriteLine($"  steps {steps:N0}, commit passes {commits:N0} ({commits * perDay:N1}/day; {run.Commits:N0} since the first power-on, for instruction counts per commit), output {run.LinesOut - counters.LinesOut:N0} lines / {run.BytesOut - counters.BytesOut:N0} B, of which !TEL {run.TelLines - counters.TelLines:N0} lines / {run.TelBytes - counters.TelBytes:N0} B");
        // Allocation per step is what advancing time allocates (the main loop, the journal, the simulated hardware); the
        // scenario's requests (their strings) and its power cycles (a new firmware instance and its buffers, as a reset
        // does on the device) are counted apart. GC.GetTotalAllocatedBytes covers every thread; the parts are this one's.
        long requestAllocated = run.RequestAllocated - allocations.RequestAllocated;
        long resetAllocated = run.ResetAllocated - allocations.ResetAllocated;
        long resets = run.Resets - allocations.Resets;
        long stepAllocated = allocated - requestAllocated - resetAllocated;
        Console.WriteLine($"  allocated during the run {allocated:N0} B: advancing time {stepAllocated:N0} B ({(steps == 0 ? 0 : stepAllocated / (double)steps):0.000} B/step), requests {requestAllocated:N0} B, power cycles {resetAllocated:N0} B ({resets} of {(resets == 0 ? 0 : resetAllocated / resets):N0} B); GC heap {heapStart / 1024.0:0} KiB after warm-up, {heapEnd / 1024.0:0} KiB at end");
        if (mode != Mode.NoPersistence)
        {
            Console.WriteLine($"  flash per day: {(writeBytes + appendBytes + segmentBytes) * perDay:N0} B in {(writes + appends + deletes + segmentWrites) * perDay:N1} syncs = {appends * perDay:N1} appends ({appendBytes * perDay:N0} B, {(appends == 0 ? 0 : appendBytes / (double)appends):0.0} B each), {writes * perDay:N2} snapshot writes ({writeBytes * perDay:N0} B, {(writes == 0 ? 0 : writeBytes / (double)writes):N0} B each), {segmentWrites * perDay:N2} log segment writes ({segmentBytes * perDay:N0} B, {(segmentWrites == 0 ? 0 : segmentBytes / (double)segmentWrites):N0} B each), {deletes * perDay:N2} deletes");
            // Wear by littlefs's design (docs/STORAGE.md, "Flash wear on the ESP32"): an append and its sync copy the
            // file's last block into a newly erased one (one erase); a directory metadata block is compacted (one
            // erase) about every 28 commits; a rewritten file (a snapshot, a log segment) erases a block per 4,088 bytes
            // and makes three metadata commits (two renames, a delete); deleting the journal is one metadata commit.
            // Wear levelled over the 47 blocks that rotate on the stock 256 KiB partition (239 on a 1 MiB one);
            // 100,000 erase cycles per block.
            double erasesPerDay = (appends * (1 + 1.0 / FlashCommitsPerCompaction)
                + writeBlocks + (writes + segmentWrites) * 3.0 / FlashCommitsPerCompaction + deletes / (double)FlashCommitsPerCompaction) * perDay;
            double years = erasesPerDay == 0 ? double.PositiveInfinity : FlashEraseCycles * FlashWearBlocks / erasesPerDay / 365.25;
            double yearsLarge = erasesPerDay == 0 ? double.PositiveInfinity : FlashEraseCycles * FlashWearBlocksLarge / erasesPerDay / 365.25;
            Console.WriteLine($"  flash wear: {erasesPerDay:N0} block erases a day, {erasesPerDay / FlashWearBlocks:0.0} per block on the 256 KiB partition: {years:0.0} years to {FlashEraseCycles:N0} cycles ({yearsLarge:0} years on a 1 MiB partition)");
        }
    }

    // Runs the firmware to `until` (µs of world time from the start), doing the scenario's actions (week after week) on the way.
    private static void RunUntil(SimRun run, Scenario? scenario, long until, int telemetrySeconds, ref long from)
    {
        VirtualPump pump = run.Pump;
        if (scenario != null)
        {
            for (long weekStart = from - from % Week; weekStart < until; weekStart += Week)
            {
                foreach (ScenarioAction action in scenario.Actions)
                {
                    long at = weekStart + action.AtMicros;
                    if (at < from) continue;
                    if (at >= until) break;
                    // Without persistence a power cycle would forget the program: that run skips them.
                    if (action.Verb == "powercycle" && !run.Persisting) continue;
                    AdvanceTo(pump, at);
                    bool reset = action.Verb == "powercycle";
                    if (reset) run.CommitsBeforeReset += pump.Persistence.Durable.Commits;
                    long allocated = GC.GetAllocatedBytesForCurrentThread();
                    Do(pump, scenario, action, telemetrySeconds);
                    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    if (reset)
                    {
                        run.ResetAllocated += allocated;
                        run.Resets++;
                    }
                    else
                    {
                        run.RequestAllocated += allocated;
                    }
                }
            }
        }
        else
        {
            // A clinic refills before the reservoir runs dry (every 2 weeks).
            for (long refill = from - from % (14 * Day) + 14 * Day; refill < until; refill += 14 * Day)
            {
                AdvanceTo(pump, refill);
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                Send(pump, "AUTH 0000");
                Send(pump, "REFILL " + run.RefillUl);
                run.RequestAllocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
        }
        AdvanceTo(pump, until);
        from = until;
    }

    private static void AdvanceTo(VirtualPump pump, long worldMicros)
    {
        long delta = worldMicros - pump.Clock.WorldMicros;
        if (delta > 0) pump.Advance(delta);
    }

    // What ScenarioRunner does for each verb (without its trace and checks).
    private static void Do(VirtualPump pump, Scenario scenario, ScenarioAction action, int telemetrySeconds)
    {
        string pin = "AUTH " + scenario.Pin;
        switch (action.Verb)
        {
            case "send": Send(pump, action.Argument); break;
            case "auth": Send(pump, pin); break;
            case "start": case "stop": Send(pump, pin); Send(pump, action.Verb.ToUpperInvariant()); break;
            case "ptm": Send(pump, "PTM"); break;
            case "bolus": Send(pump, pin); Send(pump, "BOLUS " + action.Argument); break;
            case "refill": Send(pump, pin); Send(pump, "REFILL " + action.Argument); break;
            case "prime": Send(pump, pin); Send(pump, "PRIME " + action.Argument); break;
            case "fault": Send(pump, "SIM:FAULT " + action.Argument.ToUpperInvariant()); break;
            case "ack": Send(pump, "ALARM:ACK " + action.Argument.ToUpperInvariant()); break;
            case "status": Send(pump, "STATUS?"); break;
            case "expect": break;
            case "powercycle":
                long off = 0;
                if (action.Argument.Length > 0) Scenario.TryDuration(action.Argument, out off);
                Send(pump, "SIM:POWERCYCLE " + (off / 1_000_000).ToString(CultureInfo.InvariantCulture));
                if (telemetrySeconds > 0) Send(pump, "TEL " + telemetrySeconds.ToString(CultureInfo.InvariantCulture));
                break;
            default: throw new InvalidOperationException("unknown verb " + action.Verb);
        }
    }

    // Reads everything the device sent: bytes and lines, and which of them are !TEL lines (each line's first bytes
    // are looked at; the rest is found with a vectorised search for the line end).
    private static void Drain(SimRun run, byte[] sink)
    {
        if (run.Pump.Link.PendingToHost == 0) return; // the common pass: nothing was sent
        int n;
        while ((n = run.Pump.Link.HostRead(sink, 0, sink.Length)) > 0)
        {
            run.BytesOut += n;
            int i = 0;
            while (i < n)
            {
                if (run.AtLineStart)
                {
                    run.AtLineStart = false;
                    run.PrefixSeen = 0;
                    run.LineBytes = 0;
                    run.LineIsTel = true;
                }
                int chunkStart = i;
                while (run.PrefixSeen < 5 && i < n && sink[i] != (byte)'\n')
                {
                    if (sink[i] != (byte)"!TEL "[run.PrefixSeen]) run.LineIsTel = false;
                    run.PrefixSeen++;
                    i++;
                }
                int eol = i < n ? sink.AsSpan(i, n - i).IndexOf((byte)'\n') : -1;
                int lineEnd = eol < 0 ? n : i + eol + 1;
                run.LineBytes += lineEnd - chunkStart;
                if (eol >= 0)
                {
                    if (run.PrefixSeen < 5) run.LineIsTel = false;
                    run.LinesOut++;
                    if (run.LineIsTel)
                    {
                        run.TelLines++;
                        run.TelBytes += run.LineBytes;
                    }
                    run.AtLineStart = true;
                }
                i = lineEnd;
            }
        }
    }

    private static string FindScenario(string name)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "scenarios", name);
            if (File.Exists(path)) return path;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "scenarios", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("scenarios/" + name + " not found above the current folder");
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
