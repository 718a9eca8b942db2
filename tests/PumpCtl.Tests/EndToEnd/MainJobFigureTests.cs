// The figure in the README and docs/PUMPCTL.md comes from the main-job scenario. This test
// re-runs `pumpctl simulate scenarios/baclofen-week.scn` and `pumpctl analyze` with the
// documented parameters and checks the numbers against the checked-in trumpet table, so the
// figure cannot silently go stale. PF_UPDATE_GOLDEN=1 rewrites the table and the two PNGs.
using System.Globalization;
using System.Reflection;
using PumpCtl.Cli;
using PumpCtl.Tests.Cli;
using Xunit;

namespace PumpCtl.Tests.EndToEnd;

[Collection("Console")]
public sealed class MainJobFigureTests
{
    private static readonly string RepoRoot = typeof(MainJobFigureTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;

    private static string Images => Path.Combine(RepoRoot, "docs", "images");

    [Fact]
    public void The_documented_trumpet_curve_is_what_the_main_job_scenario_gives()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-mainjob-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sim = ConsoleCapture.Run(new[] { "simulate", Path.Combine(RepoRoot, "scenarios", "baclofen-week.scn"), "--out", Path.Combine(dir, "sim") });
            Assert.True(sim.Exit == 0, sim.Err + sim.Out);
            // The parameters docs/PUMPCTL.md shows: the first night step (10 µL/h), T2 = minutes 60-360.
            var analyze = ConsoleCapture.Run(new[]
            {
                "analyze", Path.Combine(dir, "sim", "telemetry.csv"), "--source", "mass", "--t2-min", "300", "--out", Path.Combine(dir, "trumpet"),
            });
            Assert.True(analyze.Exit == ExitCodes.Ok, analyze.Err);
            Assert.Contains("mean error A over minutes 60-360: -1.40 %", analyze.Out);

            string produced = Path.Combine(dir, "trumpet", "trumpet.csv");
            string golden = Path.Combine(Images, "trumpet-baclofen-week.csv");
            if (Environment.GetEnvironmentVariable("PF_UPDATE_GOLDEN") == "1")
            {
                File.Copy(produced, golden, overwrite: true);
                File.Copy(Path.Combine(dir, "trumpet", "trumpet.png"), Path.Combine(Images, "trumpet-baclofen-week.png"), overwrite: true);
                File.Copy(Path.Combine(dir, "trumpet", "startup.png"), Path.Combine(Images, "startup-baclofen-week.png"), overwrite: true);
            }
            string[] expected = File.ReadAllLines(golden);
            string[] actual = File.ReadAllLines(produced);
            Assert.Equal(expected[0], actual[0]);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 1; i < expected.Length; i++)
            {
                double[] e = expected[i].Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                double[] a = actual[i].Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                for (int k = 0; k < e.Length; k++)
                {
                    Assert.True(Math.Abs(e[k] - a[k]) < 0.005, $"trumpet row {i}, column {k}: {a[k]} != {e[k]} (docs/images is stale: PF_UPDATE_GOLDEN=1 and update docs/PUMPCTL.md)");
                }
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
