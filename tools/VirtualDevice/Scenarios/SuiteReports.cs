// What a suite run tells its reader: a table on the terminal, JUnit XML for a CI server (one
// testcase per scenario: <failure> with every failed expectation, <error> for a file that did
// not parse, the summary table as system-out) and TAP for anything that reads TAP.
using System.Globalization;
using System.Text;
using System.Xml;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>Formats suite results.</summary>
public static class SuiteReports
{
    /// <summary>One row per scenario (result, name, virtual time, host time, checks, first failure),
    /// then the totals.</summary>
    public static string Table(IReadOnlyList<SuiteEntry> entries, double wallSeconds)
    {
        var rows = new List<string[]> { new[] { "result", "scenario", "simulated", "wall", "checks", "first failure" } };
        foreach (SuiteEntry e in entries)
        {
            string first = e.Error ?? (e.Result!.Failures.Count == 0 ? "" : e.Result.Failures[0]);
            first = first.Split('\n')[0];
            if (first.Length > 100) first = first[..97] + "...";
            rows.Add(new[]
            {
                e.Error != null ? "ERROR" : e.Passed ? "pass" : "FAIL",
                e.Name,
                e.Result == null ? "-" : Days(e.Result.SimulatedSeconds),
                e.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
                e.Result == null ? "-" : e.Result.Checks.ToString(CultureInfo.InvariantCulture),
                first,
            });
        }
        int[] widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (string[] r in rows)
        {
            for (int c = 0; c < 5; c++) sb.Append(r[c].PadRight(widths[c])).Append("  ");
            sb.Append(r[5]).Append('\n');
        }
        int passed = entries.Count(e => e.Passed);
        int errors = entries.Count(e => e.Error != null);
        int failed = entries.Count - passed - errors;
        sb.Append($"{entries.Count} scenarios: {passed} passed, {failed} failed, {errors} errors; {Days(entries.Sum(e => e.Result?.SimulatedSeconds ?? 0))} simulated in {wallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s\n");
        foreach (SuiteEntry e in entries.Where(e => !e.Passed))
        {
            sb.Append('\n').Append(e.Error != null ? "ERROR " : "FAILED ").Append(e.Path).Append('\n');
            if (e.Error != null) sb.Append("  ").Append(e.Error.Replace("\n", "\n  ")).Append('\n');
            else foreach (string f in e.Result!.Failures) sb.Append("  ").Append(f.Replace("\n", "\n  ")).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>JUnit XML (the schema Jenkins, GitLab and GitHub test reporters read).</summary>
    public static void WriteJunit(IReadOnlyList<SuiteEntry> entries, string suiteName, double wallSeconds, TextWriter writer)
    {
        var settings = new XmlWriterSettings { Indent = true, NewLineChars = "\n", OmitXmlDeclaration = false };
        using var xml = XmlWriter.Create(writer, settings);
        int failures = entries.Count(e => e.Result != null && !e.Passed);
        int errors = entries.Count(e => e.Error != null);
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", suiteName);
        xml.WriteAttributeString("tests", entries.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", F(wallSeconds));
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", suiteName);
        xml.WriteAttributeString("tests", entries.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", "0");
        xml.WriteAttributeString("time", F(wallSeconds));
        foreach (SuiteEntry e in entries)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", suiteName);
            xml.WriteAttributeString("name", e.Name);
            xml.WriteAttributeString("file", e.Path);
            xml.WriteAttributeString("time", F(e.WallSeconds));
            if (e.Error != null)
            {
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", e.Error.Split('\n')[0]);
                xml.WriteAttributeString("type", "ScenarioFormatError");
                xml.WriteString(e.Error);
                xml.WriteEndElement();
            }
            else if (!e.Passed)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", e.Result!.Failures.Count + " failed: " + e.Result.Failures[0].Split('\n')[0]);
                xml.WriteAttributeString("type", "ScenarioExpectationFailed");
                xml.WriteString(string.Join("\n", e.Result.Failures));
                xml.WriteEndElement();
            }
            if (e.Result != null)
            {
                xml.WriteStartElement("system-out");
                xml.WriteString(e.Result.ToTable());
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>TAP version 13: one test point per scenario, failures in a YAML block.</summary>
    public static void WriteTap(IReadOnlyList<SuiteEntry> entries, TextWriter writer)
    {
        writer.Write("TAP version 13\n");
        writer.Write($"1..{entries.Count}\n");
        for (int i = 0; i < entries.Count; i++)
        {
            SuiteEntry e = entries[i];
            writer.Write($"{(e.Passed ? "ok" : "not ok")} {i + 1} - {e.Name}\n");
            if (e.Passed) continue;
            writer.Write("  ---\n");
            writer.Write($"  file: {Quote(e.Path)}\n");
            if (e.Error != null)
            {
                writer.Write("  severity: error\n");
                writer.Write($"  message: {Quote(e.Error)}\n");
            }
            else
            {
                writer.Write("  severity: fail\n");
                writer.Write("  failures:\n");
                foreach (string f in e.Result!.Failures) writer.Write($"    - {Quote(f)}\n");
            }
            writer.Write("  ...\n");
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    private static string Days(double seconds)
    {
        long s = (long)seconds;
        return $"{s / 86400}d {s % 86400 / 3600:00}:{s % 3600 / 60:00}:{s % 60:00}";
    }
}
