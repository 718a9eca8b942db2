// One nanoFramework assembly holds at most 64 KiB of byte code (the metadata processor's byte code
// table has 16-bit offsets). CI cannot run the metadata processor, so these tests weigh each
// assembly the nano gates build - shaped as the .nfproj files build them: the core a class library
// of its own, the app, the device tests, the replay and the bench each referencing it - and fail
// well before the device build would.
using System.Reflection;
using System.Text.RegularExpressions;
using PumpFirmware.Tests.Shared;
using Xunit.Abstractions;

namespace PumpFirmware.Core.Tests;

public class NanoAssemblySizeTests
{
    /// <summary>Method-body bytes (NanoAssemblySize.MethodBodyBytes) one nano assembly may carry.
    /// Measured with the real metadata processor (docs/NANO-RUNTIME.md): the device tests' single
    /// assembly compiled at 91,452 bytes (64,656 bytes of nano byte code of the 65,535 allowed) and
    /// overflowed at 93,991; across the builds measured, one byte counted here became 0.707 to
    /// 0.724 bytes of nano byte code. 88,000 is 3,452 below the largest that fitted, at most
    /// about 63,700 bytes of nano byte code even at the highest ratio: room for the ratio to
    /// drift, and a failure one feature before the device build breaks rather than after.</summary>
    public const long ThresholdBytes = 88_000;

    private readonly ITestOutputHelper _output;

    public NanoAssemblySizeTests(ITestOutputHelper output) => _output = output;

    private static string Metadata(string key) =>
        typeof(NanoAssemblySizeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value!;

    /// <summary>Every assembly the device build produces from this repository, by its gate twin.</summary>
    public static readonly (string Name, string MetadataKey)[] NanoAssemblies =
    {
        ("PumpFirmware.Core (firmware/Core.Nano)", "NanoCoreAssembly"),
        ("PumpFirmware.Device (the app)", "NanoAppGateAssembly"),
        ("NFUnitTest (the device tests)", "NanoDeviceTestsGateAssembly"),
        ("PumpFirmware.NanoReplay", "NanoReplayGateAssembly"),
        ("PumpFirmware.NanoBench", "NanoBenchGateAssembly"),
    };

    private long Weigh(string name, string key)
    {
        string path = Metadata(key);
        Assert.True(File.Exists(path), $"the nano gate assembly of {name} was not built: {path}");
        long bytes = NanoAssemblySize.MethodBodyBytes(path);
        _output.WriteLine($"{name}: {bytes:N0} bytes of method bodies ({100 * bytes / ThresholdBytes} % of the {ThresholdBytes:N0} threshold)");
        return bytes;
    }

    [Fact]
    public void Every_nano_assembly_stays_below_the_byte_code_threshold()
    {
        var over = new List<string>();
        foreach (var (name, key) in NanoAssemblies)
        {
            long bytes = Weigh(name, key);
            if (bytes > ThresholdBytes) over.Add($"{name}: {bytes:N0} bytes");
        }
        Assert.True(over.Count == 0,
            $"past {ThresholdBytes:N0} bytes of method bodies, nanoFramework's metadata processor is about to stop with " +
            "\"Byte code table overflow\" (one assembly holds at most 64 KiB of byte code). Split the assembly " +
            "(see docs/NANO-RUNTIME.md, \"The byte code limit\"):\n" + string.Join("\n", over));
    }

    [Fact]
    public void The_core_and_the_device_tests_compiled_into_one_assembly_would_pass_the_threshold()
    {
        // The shape every .nfproj had before the core became a library of its own: the check must
        // refuse it, or it could not have caught the overflow it is here for.
        long together = Weigh("PumpFirmware.Core", "NanoCoreAssembly") + Weigh("NFUnitTest", "NanoDeviceTestsGateAssembly");
        Assert.True(together > ThresholdBytes, $"{together:N0} bytes together");
    }

    [Theory]
    [InlineData("firmware/Device/PumpFirmware.Device.nfproj")]
    [InlineData("tests/PumpFirmware.Device.Tests/PumpFirmware.Device.Tests.nfproj")]
    [InlineData("tools/NanoReplay/NanoReplay.nfproj")]
    [InlineData("tools/NanoReplay/Bench/NanoBench.nfproj")]
    public void Each_device_project_references_the_core_library_and_compiles_none_of_its_sources(string project)
    {
        string nfproj = File.ReadAllText(Path.Combine(Metadata("RepoRoot"), project));
        Assert.Matches(new Regex(@"<ProjectReference Include=""[^""]*Core\.Nano\\PumpFirmware\.Core\.nfproj"" />"), nfproj);
        Assert.DoesNotMatch(new Regex(@"<Compile Include=""[^""]*(firmware\\Core|hal\\Abstractions)\\"), nfproj);
    }

    [Fact]
    public void The_core_library_project_compiles_what_its_gate_compiles_optimized()
    {
        string nfproj = File.ReadAllText(Path.Combine(Metadata("RepoRoot"), "firmware/Core.Nano/PumpFirmware.Core.nfproj"));
        string gate = File.ReadAllText(Path.Combine(Metadata("RepoRoot"), "firmware/Core.Nano/PumpFirmware.Core.Nano.csproj"));
        Assert.Contains("<OutputType>Library</OutputType>", nfproj);
        Assert.Contains(@"<Compile Include=""..\Core\**\*.cs""", nfproj);
        Assert.Contains(@"<Compile Include=""..\..\hal\Abstractions\**\*.cs""", nfproj);
        Assert.Contains(@"<Compile Include=""../Core/**/*.cs"" />", gate);
        Assert.Contains(@"<Compile Include=""../../hal/Abstractions/**/*.cs"" />", gate);
        // Unoptimized, the core alone nearly fills the byte code table (docs/NANO-RUNTIME.md).
        Assert.Contains("<Optimize>true</Optimize>", nfproj);
        Assert.Contains("<Optimize>true</Optimize>", gate);
    }
}
