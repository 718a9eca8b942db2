// Runs many scenario files at once (`pumpctl simulate DIR`): each in its own virtual device, in
// parallel across the cores (virtual time is independent per device, so the results do not
// depend on the order or the parallelism), each writing its telemetry, trace and summary into
// its own folder. A malformed file is a result too (an error with its line and column), so one
// typo does not hide the others' results.
using System.Diagnostics;
using PumpFirmware.VirtualDevice.Files;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>How a suite is run.</summary>
public sealed class SuiteOptions
{
    /// <summary>Overrides every scenario's seed (null: each keeps its own).</summary>
    public int? Seed { get; init; }

    /// <summary>Parameter values (<c>--set name=value</c>).</summary>
    public IReadOnlyDictionary<string, string> Sets { get; init; } = new Dictionary<string, string>();

    /// <summary>True: a set that a scenario has no parameter for is ignored (a folder); false: an error (one file).</summary>
    public bool AnySets { get; init; }

    /// <summary>Output folder of each scenario, from its file (null: write nothing).</summary>
    public Func<string, Scenario, string>? OutDir { get; init; }

    /// <summary>Scenarios run at once.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Rewrite golden traces instead of comparing.</summary>
    public bool UpdateGolden { get; init; }

    /// <summary>Told as each file finishes (null: nobody).</summary>
    public ISuiteProgress? Progress { get; init; }
}

/// <summary>The outcome of one file of a suite.</summary>
/// <param name="Path">The file.</param>
/// <param name="Name">The scenario's name (the file name when it did not parse).</param>
/// <param name="Result">The run (null when the file did not parse or the output could not be written).</param>
/// <param name="Error">Why there is no result.</param>
/// <param name="WallSeconds">Host time it took.</param>
/// <param name="OutDir">Where its files went (null: none).</param>
public sealed record SuiteEntry(string Path, string Name, ScenarioResult? Result, string? Error, double WallSeconds, string? OutDir)
{
    /// <summary>Ran and every expectation held.</summary>
    public bool Passed => Result != null && Result.Failures.Count == 0;
}

/// <summary>Runs a list of scenario files.</summary>
public static class ScenarioSuite
{
    /// <summary>The scenario files of a folder (<c>*.scn</c>, not its subfolders), in name order.</summary>
    public static string[] FilesIn(string folder) =>
        Directory.GetFiles(folder, "*.scn").OrderBy(p => p, StringComparer.Ordinal).ToArray();

    /// <summary>Runs every file; the entries come back in the files' order.</summary>
    public static IReadOnlyList<SuiteEntry> Run(IReadOnlyList<string> files, SuiteOptions options)
    {
        var entries = new SuiteEntry[files.Count];
        ISuiteProgress? progress = options.Progress;
        var gate = new object();
        int done = 0;
        progress?.Started(files.Count);
        try
        {
            Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) }, i =>
            {
                entries[i] = RunOne(files[i], options);
                if (progress == null) return;
                lock (gate) progress.Finished(entries[i], ++done, files.Count);
            });
        }
        finally
        {
            progress?.Ended();
        }
        return entries;
    }

    /// <summary>Loads and runs one file.</summary>
    public static SuiteEntry RunOne(string path, SuiteOptions options)
    {
        var watch = Stopwatch.StartNew();
        string fileName = System.IO.Path.GetFileNameWithoutExtension(path);
        Scenario scenario;
        try
        {
            scenario = Scenario.Load(path, options.Sets, options.AnySets);
        }
        catch (FormatException e)
        {
            return new SuiteEntry(path, fileName, null, e.Message, watch.Elapsed.TotalSeconds, null);
        }
        catch (IOException e)
        {
            return new SuiteEntry(path, fileName, null, e.Message, watch.Elapsed.TotalSeconds, null);
        }
        if (options.Seed is int seed) scenario.Seed = seed;
        string? outDir = options.OutDir?.Invoke(path, scenario);
        try
        {
            ScenarioResult result = outDir == null
                ? new ScenarioRunner(scenario, null, null) { UpdateGolden = options.UpdateGolden }.Run()
                : RunToFolder(scenario, outDir, options.UpdateGolden);
            return new SuiteEntry(path, scenario.Name, result, null, watch.Elapsed.TotalSeconds, outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SuiteEntry(path, scenario.Name, null, "cannot write the output: " + e.Message, watch.Elapsed.TotalSeconds, outDir);
        }
    }

    /// <summary>Runs <paramref name="scenario"/>, writing telemetry.csv, trace.txt and summary.txt into <paramref name="outDir"/>;
    /// each file appears whole or not at all (an earlier run's file stays until the new one is complete).</summary>
    public static ScenarioResult RunToFolder(Scenario scenario, string outDir, bool updateGolden = false)
    {
        Directory.CreateDirectory(outDir);
        ScenarioResult? result = null;
        AtomicFile.WriteText(System.IO.Path.Combine(outDir, "trace.txt"), "\n", trace =>
            AtomicFile.WriteText(System.IO.Path.Combine(outDir, "telemetry.csv"), "\r\n", csv =>
            {
                result = new ScenarioRunner(scenario, trace, csv) { UpdateGolden = updateGolden || Environment.GetEnvironmentVariable("PF_UPDATE_GOLDEN") == "1" }.Run();
            }));
        AtomicFile.WriteAllText(System.IO.Path.Combine(outDir, "summary.txt"), result!.ToTable());
        return result;
    }
}
