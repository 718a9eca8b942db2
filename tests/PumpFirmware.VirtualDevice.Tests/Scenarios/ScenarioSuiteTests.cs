using System.Reflection;
using System.Xml.Linq;
using PumpFirmware.VirtualDevice.Cli;
using Xunit;
using Xunit.Abstractions;

namespace PumpFirmware.VirtualDevice.Tests.Scenarios;

/// <summary>
/// The shipped scenario suite, run the way a tester runs it: `pumpctl simulate scenarios/
/// --junit FILE --tap FILE` through SimulateCommand.Run, the very method pumpctl calls. Every
/// scenario must pass (each is one rule of docs/PROTOCOL.md, or one fault), and the reports must
/// say so. On a failure the terminal table (every failed expectation with its line) is the
/// message.
/// </summary>
public class ScenarioSuiteTests(ITestOutputHelper output)
{
    private static string RepoRoot => typeof(ScenarioSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public void The_shipped_suite_passes_through_pumpctl_simulate_with_junit_and_tap()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pf-suite-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string junit = Path.Combine(dir, "junit.xml");
            string tap = Path.Combine(dir, "suite.tap");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = SimulateCommand.Run(new[] { Path.Combine(RepoRoot, "scenarios"), "--junit", junit, "--tap", tap, "--out", Path.Combine(dir, "out") }, stdout, stderr);
            output.WriteLine(stdout.ToString());
            Assert.True(exit == 0, stdout.ToString() + stderr);

            int files = Directory.GetFiles(Path.Combine(RepoRoot, "scenarios"), "*.scn").Length;
            Assert.True(files >= 20, $"the suite has {files} scenarios");
            XElement suites = XElement.Load(junit);
            Assert.Equal(files.ToString(), suites.Attribute("tests")!.Value);
            Assert.Equal("0", suites.Attribute("failures")!.Value);
            Assert.Equal("0", suites.Attribute("errors")!.Value);
            Assert.Equal(files, suites.Descendants("testcase").Count());
            string[] tapLines = File.ReadAllLines(tap);
            Assert.Equal("1.." + files, tapLines[1]);
            Assert.Equal(files, tapLines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
            foreach (string rule in new[] { "ptm-lockout", "dose-limit-clock-change", "bridge", "min-rate", "empty-stop", "dose-limit",
                         "alarm-stall", "alarm-occlusion", "alarm-low-battery", "alarm-critical", "fault-storage-cut-request",
                         "fault-storage-tear", "fault-bit-flip-one-copy", "fault-rtc-jump", "fault-rtc-stuck", "fault-rtc-lost",
                         "refill-check", "daily-history" })
            {
                Assert.Contains(suites.Descendants("testcase"), t => t.Attribute("name")!.Value == rule);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
