// The repository's root, baked in at build time, for tests that read the docs and scenarios.
using System.Reflection;

namespace PumpCtl.Tests;

public static class Repo
{
    public static string Root { get; } = typeof(Repo).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!.TrimEnd('/');
}
