// `pumpctl` installs as a .NET tool, as the README says: the project packs as a tool whose
// command is pumpctl, under the package id the README's install lines name. (Packing itself
// takes minutes on the CI machine; it was run by hand: see the README's "Install pumpctl".)
using System.Xml.Linq;
using Xunit;

namespace PumpCtl.Tests.Docs;

public sealed class ToolPackageTests
{
    [Fact]
    public void The_project_packs_as_the_pumpctl_tool_the_README_installs()
    {
        XDocument project = XDocument.Load(Path.Combine(Repo.Root, "tools", "PumpCtl", "PumpCtl.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;

        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("pumpctl", Property("ToolCommandName"));
        Assert.Equal("pumpctl", Property("AssemblyName"));
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        Assert.Contains("dotnet pack tools/PumpCtl -o artifacts/tool", readme);
        Assert.Contains($"dotnet tool install --global --add-source artifacts/tool {Property("PackageId")}", readme);
    }
}
