using System.Reflection;

namespace PumpFirmware.Esp32.Tests;

/// <summary>Paths the build bakes into this test assembly.</summary>
internal static class TestPaths
{
    public static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"no {key} metadata");

    public static string RepoRoot => Metadata("RepoRoot");

    public static string InRepo(string relative) => Path.Combine(RepoRoot, relative);
}
