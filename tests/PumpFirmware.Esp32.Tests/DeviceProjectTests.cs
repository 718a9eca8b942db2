using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PumpFirmware.Tests.Shared;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The device projects (.nfproj) cannot be built here; these tests keep them honest:
/// pinned versions agree with the facade, hint paths point at those versions, and the device
/// tests compile against nano mscorlib into something nanoCLR can load.</summary>
public class DeviceProjectTests
{
    private static Dictionary<string, string> PackagesConfig(string relative) =>
        XDocument.Load(TestPaths.InRepo(relative)).Root!.Elements("package")
            .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);

    [Fact]
    public void Every_facade_header_names_a_version_pinned_in_the_device_packages_config()
    {
        var pinned = PackagesConfig("firmware/Device/packages.config");
        var headers = Directory.GetFiles(TestPaths.InRepo("hal/Esp32.Facade"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Regex.Match(File.ReadLines(f).First(), @"^// Facade of (?<id>\S+) (?<v>\d+\.\d+\.\d+) "))
            .Select(m => (Id: m.Groups["id"].Value, Version: m.Groups["v"].Value))
            .Distinct().ToList();
        Assert.Equal(10, headers.Count); // ten packages mirrored
        foreach (var (id, version) in headers)
        {
            Assert.True(pinned.TryGetValue(id, out var v), $"{id} is mirrored but not pinned");
            Assert.Equal(version, v);
        }
    }

    [Fact]
    public void Every_hint_path_in_the_nfproj_points_at_the_pinned_version()
    {
        var pinned = PackagesConfig("firmware/Device/packages.config");
        var nfproj = File.ReadAllText(TestPaths.InRepo("firmware/Device/PumpFirmware.Device.nfproj"));
        var hints = Regex.Matches(nfproj, @"<HintPath>packages\\(?<id>[A-Za-z0-9.]+?)\.(?<v>\d+\.\d+\.\d+)\\lib\\").ToList();
        Assert.Equal(pinned.Count, hints.Count);
        foreach (Match hint in hints)
        {
            Assert.Equal(pinned[hint.Groups["id"].Value], hint.Groups["v"].Value);
        }
    }

    [Fact]
    public void Device_tests_pin_the_same_core_library_and_a_test_framework()
    {
        var app = PackagesConfig("firmware/Device/packages.config");
        var tests = PackagesConfig("tests/PumpFirmware.Device.Tests/packages.config");
        Assert.Equal(app["nanoFramework.CoreLibrary"], tests["nanoFramework.CoreLibrary"]);
        Assert.Equal("3.0.77", tests["nanoFramework.TestFramework"]);
        var nfproj = File.ReadAllText(TestPaths.InRepo("tests/PumpFirmware.Device.Tests/PumpFirmware.Device.Tests.nfproj"));
        Assert.Contains(@"nanoFramework.TestFramework.3.0.77\lib\nanoFramework.TestFramework.dll", nfproj);
        Assert.Contains("nano.runsettings", nfproj);
        Assert.True(File.Exists(TestPaths.InRepo("tests/PumpFirmware.Device.Tests/nano.runsettings")));
    }

    [Fact]
    public void Device_tests_compile_nano_clean_with_their_test_methods()
    {
        var path = TestPaths.Metadata("DeviceTestsGateAssembly");
        Assert.Empty(NanoMetadataChecker.Check(path, "mscorlib", "PumpFirmware.Core.Nano"));

        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        int testMethods = 0;
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                foreach (var attributeHandle in md.GetMethodDefinition(methodHandle).GetCustomAttributes())
                {
                    var ctor = md.GetCustomAttribute(attributeHandle).Constructor;
                    if (ctor.Kind == HandleKind.MethodDefinition)
                    {
                        var declaring = md.GetTypeDefinition(md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType());
                        if (md.GetString(declaring.Name) == "TestMethodAttribute")
                        {
                            testMethods++;
                        }
                    }
                }
            }
        }

        Assert.True(testMethods >= 10, $"only {testMethods} [TestMethod]s found");
    }
}
