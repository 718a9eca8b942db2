using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Xunit;

namespace PumpFirmware.NanoReplay.Tests;

/// <summary>The device test project must be one the TestFramework launcher runs: the launcher
/// loads only an assembly named NFUnitTest (any other name runs no test and reports success),
/// the language version stays at C# 10 or lower, and the gate that CI compiles holds the tests.</summary>
public class DeviceTestProjectTests
{
    private static string Nfproj => File.ReadAllText(ReplayGoldenTests.Repo("tests/PumpFirmware.Device.Tests/PumpFirmware.Device.Tests.nfproj"));
    private static string Gate => File.ReadAllText(ReplayGoldenTests.Repo("tests/PumpFirmware.Device.Tests/NanoGate/PumpFirmware.Device.Tests.Gate.csproj"));

    [Fact]
    public void The_device_test_assembly_is_named_NFUnitTest()
    {
        Assert.Equal("NFUnitTest", Regex.Match(Nfproj, "<AssemblyName>([^<]*)</AssemblyName>").Groups[1].Value);
    }

    [Theory]
    [InlineData("nfproj")]
    [InlineData("gate")]
    public void The_device_tests_are_compiled_as_CSharp_10_or_lower(string project)
    {
        var version = Regex.Match(project == "nfproj" ? Nfproj : Gate, "<LangVersion>([0-9.]+)</LangVersion>");
        Assert.True(version.Success, "no numeric LangVersion");
        Assert.True(decimal.Parse(version.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 10m);
    }

    [Fact]
    public void The_nfproj_and_the_gate_link_the_same_replay_fakes()
    {
        foreach (string file in new[] { "ReplayHardware.cs", "ReplayLink.cs", "ReplayDevice.cs" })
        {
            Assert.Contains(@"tools\NanoReplay\src\" + file, Nfproj);
            Assert.Contains("tools/NanoReplay/src/" + file, Gate);
        }
    }

    [Fact]
    public void The_gate_holds_the_device_tests_of_every_protocol_section()
    {
        string path = typeof(DeviceTestProjectTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "DeviceTestsGateAssembly").Value!;
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var perClass = new Dictionary<string, int>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                foreach (var attributeHandle in md.GetMethodDefinition(methodHandle).GetCustomAttributes())
                {
                    var ctor = md.GetCustomAttribute(attributeHandle).Constructor;
                    if (ctor.Kind != HandleKind.MethodDefinition) continue;
                    var declaring = md.GetTypeDefinition(md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType());
                    if (md.GetString(declaring.Name) != "TestMethodAttribute") continue;
                    string name = md.GetString(type.Name);
                    perClass[name] = perClass.GetValueOrDefault(name) + 1;
                }
            }
        }
        foreach (string cls in new[] { "ProgrammingDeviceTests", "TherapyDeviceTests", "AlarmsDeviceTests", "BadInputDeviceTests" })
        {
            Assert.True(perClass.GetValueOrDefault(cls) >= 8, $"{cls}: {perClass.GetValueOrDefault(cls)} test methods");
        }
        Assert.True(perClass.Values.Sum() >= 50, $"{perClass.Values.Sum()} test methods");
    }
}
