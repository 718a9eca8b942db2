// The entry point behind `pumpctl simulate`: runs one scenario file, or every scenario of a
// folder in parallel (a test suite), headless in virtual time; writes telemetry CSV, a diffable
// trace and a summary per scenario, a summary table on the terminal, and JUnit XML and TAP for
// CI. The options are parsed in one place (SimulateOptions.Parse) and the run is one method
// (Run(args, out, err)), which the suite's own xunit test calls too, so CI runs the suite
// exactly as a tester does.
using System.Globalization;
using PumpFirmware.VirtualDevice.Files;
using PumpFirmware.VirtualDevice.Scenarios;

namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>`pumpctl simulate &lt;scenario.scn | folder&gt; [options]`.</summary>
public static class SimulateCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: pumpctl simulate <scenario.scn | folder> [--out <dir>] [--seed <n>] [--set <name>=<value>]...\n" +
        "                        [--junit <file>] [--tap <file|->] [--jobs <n>] [--update-golden]\n" +
        "  runs a scenario in virtual time (format: docs/VIRTUAL-DEVICE.md), or every *.scn of a folder\n" +
        "  in parallel, and writes telemetry.csv, trace.txt and summary.txt per scenario\n" +
        "  --out <dir>        one file: its output folder (default sim-out/<name>);\n" +
        "                     a folder: <dir>/<file name>/ per scenario (default sim-out/)\n" +
        "  --seed <n>         overrides every scenario's seed\n" +
        "  --set name=value   overrides a parameter's default (repeatable)\n" +
        "  --junit <file>     writes a JUnit XML report\n" +
        "  --tap <file|->     writes a TAP report (- = standard output)\n" +
        "  --jobs <n>         scenarios run at once (default: the number of cores)\n" +
        "  --update-golden    rewrites golden traces instead of comparing (review the diff)\n" +
        "  exit code: 0 every scenario passed, 1 one failed (or a file of a folder is malformed),\n" +
        "  2 usage error or a malformed scenario file";

    /// <summary>Runs with the console.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs `pumpctl simulate` with <paramref name="args"/> (the words after `simulate`).</summary>
    /// <param name="progress">Told as each scenario of a folder finishes (null: nobody; one file reports none).</param>
    /// <returns>0 when every scenario ran and its expectations held, 1 when one failed or could
    /// not be written (or, in a folder, did not parse), 2 on a usage error or a malformed file.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, ISuiteProgress? progress = null)
    {
        SimulateOptions? o = SimulateOptions.Parse(args, out string? error);
        if (o == null)
        {
            stderr.WriteLine("pumpctl simulate: " + error);
            stderr.WriteLine(Usage);
            return 2;
        }
        if (o.Help)
        {
            stdout.WriteLine(Usage);
            return 0;
        }
        bool folder = Directory.Exists(o.Path);
        if (!folder && !File.Exists(o.Path))
        {
            stderr.WriteLine($"pumpctl simulate: no such file or folder: {o.Path}");
            return 2;
        }
        string[] files = folder ? ScenarioSuite.FilesIn(o.Path) : new[] { o.Path };
        if (files.Length == 0)
        {
            stderr.WriteLine($"pumpctl simulate: no *.scn files in {o.Path}");
            return 2;
        }
        var options = new SuiteOptions
        {
            Seed = o.Seed,
            Sets = o.Sets,
            AnySets = folder,
            Jobs = o.Jobs,
            UpdateGolden = o.UpdateGolden,
            Progress = folder ? progress : null,
            OutDir = folder
                ? (file, _) => Path.Combine(o.OutDir ?? "sim-out", Path.GetFileNameWithoutExtension(file))
                : (_, scenario) => o.OutDir ?? Path.Combine("sim-out", scenario.Name),
        };
        if (folder && o.Sets.Count > 0)
        {
            // A set must mean something to at least one scenario of the folder.
            foreach (string name in o.Sets.Keys)
            {
                bool used = files.Any(f => File.ReadAllText(f).Contains("param " + name, StringComparison.Ordinal));
                if (!used)
                {
                    stderr.WriteLine($"pumpctl simulate: --set {name}: no scenario in {o.Path} has a parameter '{name}'");
                    return 2;
                }
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<SuiteEntry> entries = ScenarioSuite.Run(files, options);
        double wall = watch.Elapsed.TotalSeconds;
        try
        {
            if (o.Junit != null)
            {
                string? dir = Path.GetDirectoryName(Path.GetFullPath(o.Junit));
                if (dir != null) Directory.CreateDirectory(dir);
                string suiteName = folder ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(o.Path))) : "scenario";
                AtomicFile.WriteText(o.Junit, "\n", w => SuiteReports.WriteJunit(entries, suiteName, wall, w));
            }
            if (o.Tap == "-") SuiteReports.WriteTap(entries, stdout);
            else if (o.Tap != null) AtomicFile.WriteText(o.Tap, "\n", w => SuiteReports.WriteTap(entries, w));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("pumpctl simulate: cannot write the report: " + e.Message);
            return 1;
        }

        if (!folder)
        {
            SuiteEntry one = entries[0];
            if (one.Result == null)
            {
                stderr.WriteLine("pumpctl simulate: " + one.Error);
                return one.OutDir == null ? 2 : 1;
            }
            stdout.Write(one.Result.ToTable());
            stdout.WriteLine($"{"wall time",-28}  {one.Result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            stdout.WriteLine($"{"output",-28}  {Path.Combine(one.OutDir!, "telemetry.csv")}, trace.txt, summary.txt");
            return one.Passed ? 0 : 1;
        }
        if (o.Tap != "-") stdout.Write(SuiteReports.Table(entries, wall));
        return entries.All(e => e.Passed) ? 0 : 1;
    }

    /// <summary>Runs <paramref name="scenario"/>, writing telemetry.csv, trace.txt and summary.txt into <paramref name="outDir"/>.</summary>
    public static ScenarioResult RunToFolder(Scenario scenario, string outDir) => ScenarioSuite.RunToFolder(scenario, outDir);
}

/// <summary>The parsed options of `pumpctl simulate`.</summary>
public sealed class SimulateOptions
{
    /// <summary>A scenario file or a folder of them.</summary>
    public string Path { get; private set; } = "";

    /// <summary>--help.</summary>
    public bool Help { get; private set; }

    /// <summary>--out.</summary>
    public string? OutDir { get; private set; }

    /// <summary>--seed.</summary>
    public int? Seed { get; private set; }

    /// <summary>--set name=value, in order (a later one wins).</summary>
    public Dictionary<string, string> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>--junit.</summary>
    public string? Junit { get; private set; }

    /// <summary>--tap (- = stdout).</summary>
    public string? Tap { get; private set; }

    /// <summary>--jobs.</summary>
    public int Jobs { get; private set; } = Environment.ProcessorCount;

    /// <summary>--update-golden.</summary>
    public bool UpdateGolden { get; private set; }

    /// <summary>Parses; on a bad argument returns null with the reason in <paramref name="error"/>.</summary>
    public static SimulateOptions? Parse(string[] args, out string? error)
    {
        var o = new SimulateOptions();
        string? path = null;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "--help":
                case "-h":
                    o.Help = true;
                    return o;
                case "--out":
                    o.OutDir = Next();
                    if (string.IsNullOrEmpty(o.OutDir)) { error = "--out needs a folder"; return null; }
                    break;
                case "--seed":
                    if (!int.TryParse(Next(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed)) { error = "--seed needs an integer"; return null; }
                    o.Seed = seed;
                    break;
                case "--set":
                {
                    string? pair = Next();
                    int eq = pair?.IndexOf('=') ?? -1;
                    if (pair == null || eq <= 0) { error = "--set needs name=value, e.g. --set rate=300"; return null; }
                    o.Sets[pair[..eq]] = pair[(eq + 1)..];
                    break;
                }
                case "--junit":
                    o.Junit = Next();
                    if (string.IsNullOrEmpty(o.Junit)) { error = "--junit needs a file"; return null; }
                    break;
                case "--tap":
                    o.Tap = Next();
                    if (string.IsNullOrEmpty(o.Tap)) { error = "--tap needs a file or -"; return null; }
                    break;
                case "--jobs":
                    if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int jobs) || jobs < 1 || jobs > 256) { error = "--jobs needs an integer 1..256"; return null; }
                    o.Jobs = jobs;
                    break;
                case "--update-golden":
                    o.UpdateGolden = true;
                    break;
                default:
                    if (a.StartsWith('-') && a != "-") { error = $"unknown option '{a}'"; return null; }
                    if (path != null) { error = "one scenario file or one folder at a time"; return null; }
                    path = a;
                    break;
            }
        }
        if (path == null)
        {
            error = "which scenario? e.g. pumpctl simulate scenarios/baclofen-week.scn, or a folder: pumpctl simulate scenarios/";
            return null;
        }
        o.Path = path;
        return o;
    }
}
