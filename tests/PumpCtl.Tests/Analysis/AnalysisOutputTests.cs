// The files of an analysis, checked for presence and content (the numbers come from the
// step-change series whose answers TrumpetAnalyzerTests works out by hand).
using System.Text.Json;
using PumpCtl.Analysis;
using Xunit;

namespace PumpCtl.Tests.Analysis;

public class AnalysisOutputTests
{
    [Fact]
    public void Writes_all_five_files_with_the_agreed_names_and_headers()
    {
        var rows = new List<LogSample>();
        for (int t = 0; t <= 9000; t += 30)
        {
            rows.Add(new LogSample(t, 1.05 * t / 60.0, 1440));
        }
        var options = new TrumpetOptions();
        TrumpetResult r = TrumpetAnalyzer.Analyze(rows, options);
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-out-" + Guid.NewGuid().ToString("N"));
        try
        {
            AnalysisOutput.Write(dir, "/data/run.csv", r, options);

            foreach (string name in AnalysisOutput.FileNames)
            {
                Assert.True(new FileInfo(Path.Combine(dir, name)).Length > 0, name);
            }
            string[] csv = File.ReadAllLines(Path.Combine(dir, "trumpet.csv"));
            Assert.Equal("window_min,ep_max_pct,ep_min_pct", csv[0]);
            Assert.Equal(6, csv.Length);
            Assert.StartsWith("2,5.0000000000", csv[1]);

            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            JsonElement root = json.RootElement;
            Assert.Equal(60.0, root.GetProperty("set_rate_ul_h").GetDouble(), 1e-9);
            Assert.Equal(5.0, root.GetProperty("mean_error_pct").GetDouble(), 1e-9);
            Assert.Equal(30, root.GetProperty("dt_s").GetInt32());
            Assert.Equal(60, root.GetProperty("t2_start_min").GetInt32());
            Assert.Equal(60, root.GetProperty("t2_min").GetInt32());
            Assert.Equal("volume", root.GetProperty("source").GetString());
            Assert.Equal(5, root.GetProperty("windows").GetArrayLength());

            byte[] png = File.ReadAllBytes(Path.Combine(dir, "trumpet.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            string report = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("**+5.00 %**", report);
            Assert.Contains("![Trumpet curve](trumpet.png)", report);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
