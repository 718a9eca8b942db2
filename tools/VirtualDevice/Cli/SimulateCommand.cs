// The entry point behind `pumpctl simulate <scenario>`: runs a scenario file headless in
// virtual time and writes telemetry CSV, a diffable trace and a summary table.
using System.Globalization;
using PumpFirmware.VirtualDevice.Scenarios;

namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>`pumpctl simulate &lt;scenario.scn&gt; [--out DIR] [--seed N]`.</summary>
public static class SimulateCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: pumpctl simulate <scenario.scn> [--out <dir>] [--seed <n>]\n" +
        "  runs the scenario in virtual time (format: docs/VIRTUAL-DEVICE.md) and writes\n" +
        "  <dir>/telemetry.csv, <dir>/trace.txt and <dir>/summary.txt (default dir: sim-out/<name>)\n" +
        "  --seed <n>   overrides the scenario's seed";

    /// <summary>Runs one scenario to its end.</summary>
    /// <param name="args">The arguments after `simulate`.</param>
    /// <returns>0 when the scenario ran and its expectations held, 1 when one failed or the run
    /// could not be written, 2 on a usage error or a malformed scenario.</returns>
    public static int Run(string[] args)
    {
        string? path = null;
        string? outDir = null;
        int? seed = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help":
                case "-h":
                    Console.Out.WriteLine(Usage);
                    return 0;
                case "--out":
                    if (i + 1 >= args.Length) return UsageError("--out needs a folder");
                    outDir = args[++i];
                    break;
                case "--seed":
                    if (i + 1 >= args.Length || !int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int s))
                        return UsageError("--seed needs an integer");
                    seed = s;
                    break;
                default:
                    if (args[i].StartsWith('-')) return UsageError($"unknown option '{args[i]}'");
                    if (path != null) return UsageError("one scenario at a time");
                    path = args[i];
                    break;
            }
        }
        if (path == null) return UsageError("which scenario? e.g. pumpctl simulate scenarios/baclofen-week.scn");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"pumpctl simulate: no such file: {path}");
            return 2;
        }
        Scenario scenario;
        try
        {
            scenario = Scenario.Load(path);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine("pumpctl simulate: " + e.Message);
            return 2;
        }
        if (seed is int overridden) scenario.Seed = overridden;
        outDir ??= Path.Combine("sim-out", scenario.Name);
        try
        {
            ScenarioResult result = RunToFolder(scenario, outDir);
            Console.Out.Write(result.ToTable());
            Console.Out.WriteLine($"{"wall time",-28}  {result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            Console.Out.WriteLine($"{"output",-28}  {Path.Combine(outDir, "telemetry.csv")}, trace.txt, summary.txt");
            return result.Failures.Count == 0 ? 0 : 1;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("pumpctl simulate: " + e.Message);
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine("pumpctl simulate: " + e.Message);
            return 1;
        }
    }

    /// <summary>Runs <paramref name="scenario"/>, writing telemetry.csv, trace.txt and summary.txt into <paramref name="outDir"/>.</summary>
    public static ScenarioResult RunToFolder(Scenario scenario, string outDir)
    {
        Directory.CreateDirectory(outDir);
        ScenarioResult result;
        using (var trace = new StreamWriter(Path.Combine(outDir, "trace.txt")) { NewLine = "\n" })
        using (var csv = new StreamWriter(Path.Combine(outDir, "telemetry.csv")) { NewLine = "\r\n" })
        {
            result = new ScenarioRunner(scenario, trace, csv).Run();
        }
        File.WriteAllText(Path.Combine(outDir, "summary.txt"), result.ToTable());
        return result;
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("pumpctl simulate: " + message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
