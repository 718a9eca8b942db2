// The shared core must load on nanoFramework: no generics, and nothing referenced but
// nanoFramework's mscorlib. The gate project compiles the same source files the host core
// is built from; these tests read what it produced.
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PumpFirmware.Tests.Shared;

namespace PumpFirmware.Core.Tests;

public class NanoGateTests
{
    private static string Metadata(string key) =>
        typeof(NanoGateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value!;

    private static string NanoCorePath => Metadata("NanoCoreAssembly");

    [Fact]
    public void Nano_core_has_no_generics_and_references_only_mscorlib()
    {
        Assert.True(File.Exists(NanoCorePath), $"the nano gate assembly was not built: {NanoCorePath}");
        var violations = NanoMetadataChecker.Check(NanoCorePath, "mscorlib");
        Assert.True(violations.Count == 0, "nanoFramework cannot load the core:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Nano_core_references_the_nanoFramework_mscorlib_not_the_desktop_one()
    {
        using var pe = new PEReader(File.OpenRead(NanoCorePath));
        var md = pe.GetMetadataReader();
        var mscorlib = md.AssemblyReferences.Select(md.GetAssemblyReference).Single();
        Assert.Equal("mscorlib", md.GetString(mscorlib.Name));
        // nanoFramework's mscorlib is versioned 1.x; the .NET Framework one is 4.0.0.0.
        Assert.Equal(1, mscorlib.Version.Major);
    }

    [Fact]
    public void Nano_core_holds_every_type_of_the_host_core()
    {
        // Both projects glob the same folders; this catches a file excluded from one of them
        // or code hidden from the device build behind #if.
        var hostPath = Path.Combine(AppContext.BaseDirectory, "PumpFirmware.Core.dll");
        Assert.Equal(TypeNames(hostPath), TypeNames(NanoCorePath));
    }

    [Fact]
    public void Checker_reports_generic_types_methods_and_instantiations()
    {
        var fixture = Metadata("GenericFixtureAssembly");
        var violations = NanoMetadataChecker.Check(fixture, "mscorlib");

        Assert.Contains(violations, v => v.StartsWith("generic type definition GenericFixture.Box`1"));
        Assert.Contains(violations, v => v.StartsWith("generic method definition GenericFixture.Uses.Identity"));
        Assert.Contains(violations, v => v.StartsWith("generic instantiation") && v.Contains("Box`1"));
        Assert.Contains(violations, v => v.StartsWith("generic method instantiation") && v.Contains("Identity"));
        Assert.DoesNotContain(violations, v => v.Contains("Clean"));
    }

    [Fact]
    public void Checker_reports_references_outside_the_allowed_set()
    {
        // The host build of the core references the .NET runtime: exactly what a device build must not.
        var hostPath = Path.Combine(AppContext.BaseDirectory, "PumpFirmware.Core.dll");
        var violations = NanoMetadataChecker.Check(hostPath, "mscorlib");
        Assert.Contains(violations, v => v.StartsWith("reference to assembly 'System.Runtime'"));
    }

    private static string[] TypeNames(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(md.GetTypeDefinition)
            .Where(t => !md.GetString(t.Name).StartsWith("<") && md.GetString(t.Namespace).StartsWith("PumpFirmware"))
            .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
    }
}
