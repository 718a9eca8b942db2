using System.Reflection;
using System.Security.Cryptography;
using PumpFirmware.VirtualDevice.Scenarios;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Scenarios;

/// <summary>
/// Every shipped scenario with a golden trace (scenarios/*.scn) against its golden files in scenarios/golden: the
/// trace (every line in and out with its virtual time) and the summary (with the SHA-256 of
/// the telemetry CSV, so the CSV is pinned too). A change in the firmware's behaviour shows up
/// as a diff a reviewer can read. PF_UPDATE_GOLDEN=1 rewrites the golden files.
/// </summary>
public class GoldenScenarioTests
{
    private static string RepoRoot => typeof(GoldenScenarioTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    // The shipped scenarios that name a golden trace (`golden golden/<name>.trace.txt`); the
    // others are checked by their own expect lines (ScenarioSuiteTests).
    public static IEnumerable<object[]> ShippedScenarios() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "scenarios"), "*.scn").OrderBy(p => p, StringComparer.Ordinal)
            .Where(p => Scenario.Load(p).GoldenTracePath != null)
            .Select(p => new object[] { Path.GetFileName(p) });

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void Shipped_scenario_matches_its_golden_trace_and_summary(string file)
    {
        Scenario scenario = Scenario.Load(Path.Combine(RepoRoot, "scenarios", file));
        var trace = new StringWriter { NewLine = "\n" };
        var csv = new StringWriter { NewLine = "\r\n" };
        ScenarioResult result = new ScenarioRunner(scenario, trace, csv).Run();
        Assert.Empty(result.Failures);
        string csvHash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(csv.ToString())));
        string summary = result.ToTable() + "telemetry.csv sha256 " + csvHash + "\n";

        string golden = Path.Combine(RepoRoot, "scenarios", "golden");
        string tracePath = Path.Combine(golden, scenario.Name + ".trace.txt");
        string summaryPath = Path.Combine(golden, scenario.Name + ".summary.txt");
        if (Environment.GetEnvironmentVariable("PF_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(golden);
            File.WriteAllText(tracePath, trace.ToString());
            File.WriteAllText(summaryPath, summary);
        }
        Assert.True(File.Exists(tracePath), $"no golden trace {tracePath}; run with PF_UPDATE_GOLDEN=1 to create it");
        AssertSameLines(File.ReadAllText(tracePath), trace.ToString(), tracePath);
        AssertSameLines(File.ReadAllText(summaryPath), summary, summaryPath);
    }

    [Fact]
    public void The_same_scenario_and_seed_give_the_same_trace_and_csv_and_another_seed_changes_the_balance()
    {
        string text = File.ReadAllText(Path.Combine(RepoRoot, "scenarios", "baclofen-week.scn"));
        string Run(int seed)
        {
            Scenario s = Scenario.Parse(text);
            s.Seed = seed;
            s.DurationMicros = 2 * 86_400_000_000L;
            s.Actions.RemoveAll(a => a.AtMicros > s.DurationMicros);
            var trace = new StringWriter();
            var csv = new StringWriter();
            new ScenarioRunner(s, trace, csv).Run();
            return trace + "\n" + csv;
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6)); // the balance noise comes from the seed
    }

    private static void AssertSameLines(string expected, string actual, string path)
    {
        string[] e = expected.Replace("\r\n", "\n").Split('\n');
        string[] a = actual.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            if (e[i] != a[i])
                throw new Xunit.Sdk.XunitException($"{path} line {i + 1} differs (PF_UPDATE_GOLDEN=1 rewrites it if the change is intended)\n  golden: {e[i]}\n  actual: {a[i]}");
        }
        Assert.True(e.Length == a.Length, $"{path}: golden has {e.Length} lines, the run {a.Length}");
    }
}
