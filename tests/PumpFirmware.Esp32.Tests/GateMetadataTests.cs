using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PumpFirmware.Tests.Shared;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The ESP32 adapters, core and device entry point, compiled against nano mscorlib and
/// the facade, must be loadable by nanoFramework: no generics, no other references.</summary>
public class GateMetadataTests
{
    private static string GatePath => TestPaths.Metadata("Esp32GateAssembly");

    private static string FacadePath => TestPaths.Metadata("Esp32FacadeAssembly");

    [Fact]
    public void Gate_assembly_is_nano_clean()
    {
        Assert.True(File.Exists(GatePath), $"gate not built: {GatePath}");
        var violations = NanoMetadataChecker.Check(GatePath, "mscorlib", "PumpFirmware.Esp32.Facade", "PumpFirmware.Core.Nano");
        Assert.Empty(violations);
    }

    [Fact]
    public void Facade_assembly_is_nano_clean_and_references_only_mscorlib()
    {
        var violations = NanoMetadataChecker.Check(FacadePath, "mscorlib");
        Assert.Empty(violations);
    }

    [Fact]
    public void Gate_really_contains_the_adapters_and_references_the_facade()
    {
        var types = TypeNames(GatePath);
        foreach (var expected in new[]
                 {
                     "PumpFirmware.Hal.Esp32.Esp32RmtStepGenerator",
                     "PumpFirmware.Hal.Esp32.Esp32LedcPcntStepGenerator",
                     "PumpFirmware.Hal.Esp32.Esp32DcMotorHead",
                     "PumpFirmware.Hal.Esp32.Esp32StepperDriver",
                     "PumpFirmware.Hal.Esp32.Esp32LedcPwmOutput",
                     "PumpFirmware.Hal.Esp32.Esp32UartLink",
                     "PumpFirmware.Hal.Esp32.Esp32LittleFsFileSystem",
                     "PumpFirmware.Hal.Esp32.Esp32SoftwareWatchdog",
                     "PumpFirmware.Hal.Esp32.Logic.RmtStepBlockEncoder",
                     "PumpFirmware.Hal.Esp32.Logic.RenamingRecordStore",
                     "PumpFirmware.Device.Program",
                 })
        {
            Assert.Contains(expected, types);
        }

        Assert.Contains("PumpFirmware.Esp32.Facade", AssemblyReferences(GatePath));
        // The core (hal/Abstractions, firmware/Core) is the assembly of its own the app references,
        // as PumpFirmware.Device.nfproj references firmware/Core.Nano/PumpFirmware.Core.nfproj.
        Assert.Contains("PumpFirmware.Core.Nano", AssemblyReferences(GatePath));
        Assert.DoesNotContain("PumpFirmware.Hal.IStepGenerator", types);
        Assert.DoesNotContain("PumpFirmware.App.PumpApplication", types);
    }

    [Fact]
    public void Every_facade_type_is_listed_with_its_package_version()
    {
        var table = File.ReadAllText(TestPaths.InRepo("hal/Esp32.Facade/FacadeVersions.md"));
        var publicTypes = PublicTypeNames(FacadePath);
        Assert.NotEmpty(publicTypes);
        foreach (var name in publicTypes)
        {
            var shortName = name[(name.LastIndexOf('.') + 1)..];
            Assert.True(table.Contains(shortName, StringComparison.Ordinal), $"{name} is not listed in FacadeVersions.md");
        }
    }

    [Fact]
    public void Facade_files_say_which_package_version_they_mirror()
    {
        var folder = TestPaths.InRepo("hal/Esp32.Facade");
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
        foreach (var file in files)
        {
            var first = File.ReadLines(file).First();
            Assert.Matches(@"^// Facade of nanoFramework\.[A-Za-z0-9.]+ \d+\.\d+\.\d+ ", first);
        }
    }

    private static List<string> TypeNames(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToList();
    }

    private static List<string> PublicTypeNames(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
            .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToList();
    }

    private static List<string> AssemblyReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }
}
