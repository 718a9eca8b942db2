// `pumpctl hist`: the pump's daily history (HIST?, issue 17) as CSV, for the researcher's daily
// log: one row per day, oldest first, the drug in µg per kind of delivery, exactly as the pump
// printed it (3 decimals: to the ng). To a file (written whole or not at all) or to stdout.
// --plot draws the same days as stacked bars (Analysis/HistPlot).
using System.CommandLine;
using System.Globalization;
using System.Text;
using PumpCtl.Analysis;
using PumpFirmware.VirtualDevice.Files;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl hist</c>.</summary>
public static class HistCommand
{
    /// <summary>The CSV columns: the date, then the fields of a <c>!HIST</c> line in the order the pump prints them.</summary>
    public static readonly string[] Columns = { "date", "basal_ug", "ptm_ug", "clinician_ug", "bridge_ug", "prime_ug", "minrate_ug", "total_ug" };

    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener opener)
    {
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var days = OptionValues.Integer("--days", "Days to export, the newest last (the pump keeps 31)", 1, 31, "days", 31);
        var csv = OptionValues.OutputFile("--csv", "Write the CSV to this file instead of standard output", "file");
        csv.Required = false;
        var plot = PlotOption();
        var overwrite = OptionValues.Flag("--overwrite", "Replace the CSV or figure file if it exists");
        var command = new Command("hist", "Export the pump's daily history (HIST?): drug delivered per day by basal, PTM, clinician, bridge, " +
            "prime and minimum rate, in ug, as CSV, and with --plot as a figure. Exit 0 on OK, 1 on ERR or a file that exists.")
        {
            port, days, csv, plot, overwrite, crc, timeout,
        };
        command.SetAction(r => Execute(opener, r.GetValue(port)!, r.GetValue(days), r.GetValue(csv), r.GetValue(plot), r.GetValue(overwrite), r.GetValue(crc),
            r.GetValue(timeout)));
        return command;
    }

    // A figure file: its extension says the format.
    private static Option<FileInfo?> PlotOption()
    {
        var option = new Option<FileInfo?>("--plot") { Description = "Also draw the days as stacked bars per kind into this figure (.png, .svg or .pdf)", HelpName = "file" };
        option.CustomParser = r =>
        {
            string text = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            string ext = Path.GetExtension(text).ToLowerInvariant();
            if (text.Trim().Length == 0 || text.IndexOf('\0') >= 0 || ext is not (".png" or ".svg" or ".pdf"))
            {
                r.AddError(OptionValues.Refused("--plot", text, "a figure file ending in .png, .svg or .pdf"));
                return null;
            }
            return new FileInfo(text);
        };
        return option;
    }

    private static int Execute(ISerialLineOpener opener, string portName, int days, FileInfo? csv, FileInfo? plot, bool overwrite, bool crc, double timeoutS)
    {
        if (csv != null && csv.Exists && !overwrite)
        {
            Console.Error.WriteLine($"pumpctl hist: {csv.FullName} exists; choose another --csv or add --overwrite");
            return ExitCodes.Failed;
        }
        if (plot != null && plot.Exists && !overwrite)
        {
            Console.Error.WriteLine($"pumpctl hist: {plot.FullName} exists; choose another --plot or add --overwrite");
            return ExitCodes.Failed;
        }
        DeviceReply reply;
        try
        {
            using ISerialLine port = opener.Open(portName);
            var client = new PumpClient(port, crc) { Timeout = TimeSpan.FromSeconds(timeoutS) };
            client.DiscardStale(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(timeoutS));
            reply = client.Request("HIST? " + days);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl hist: {e.Message}");
            return ExitCodes.Communication;
        }
        if (!reply.IsOk)
        {
            Console.Error.WriteLine($"pumpctl hist: the pump answered {reply.Status}");
            return ExitCodes.Failed;
        }
        string text = Csv(reply.AsyncLines);
        if (plot != null)
        {
            var options = new PlotOptions { Format = Enum.Parse<PlotFormat>(plot.Extension.TrimStart('.'), ignoreCase: true) };
            string caption = $"pump on {portName}, read {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
            TrumpetPlots.Save(HistPlot.Build(Days(reply.AsyncLines), caption), plot.FullName, options);
            Console.Error.WriteLine($"pumpctl hist: figure written to {plot.FullName}");
            if (csv == null)
            {
                return ExitCodes.Ok;
            }
        }
        if (csv == null)
        {
            Console.Write(text);
            return ExitCodes.Ok;
        }
        AtomicFile.WriteAllText(csv.FullName, text);
        Console.Error.WriteLine($"pumpctl hist: {text.Count(c => c == '\n') - 1} day(s) written to {csv.FullName}");
        return ExitCodes.Ok;
    }

    /// <summary>The days of the <c>!HIST</c> lines among <paramref name="lines"/>, for the figure (a value that is not a number counts 0).</summary>
    public static List<HistPlot.Day> Days(IEnumerable<string> lines) =>
        lines.Where(l => l.StartsWith("!HIST ", StringComparison.Ordinal)).Select(l =>
        {
            Dictionary<string, string> fields = ProtocolLine.Fields(l);
            var ug = new Dictionary<string, double>();
            foreach (string c in Columns.Skip(1))
            {
                ug[c] = fields.TryGetValue(c, out string? v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0;
            }
            return new HistPlot.Day(fields.TryGetValue("date", out string? date) ? date : "?", ug);
        }).ToList();

    /// <summary>RFC 4180 CSV (CRLF) of the <c>!HIST</c> lines among <paramref name="lines"/>; other lines are ignored.</summary>
    public static string Csv(IEnumerable<string> lines)
    {
        var s = new StringBuilder(string.Join(",", Columns) + "\r\n");
        foreach (string line in lines)
        {
            if (!line.StartsWith("!HIST ", StringComparison.Ordinal))
            {
                continue;
            }
            Dictionary<string, string> fields = ProtocolLine.Fields(line);
            s.Append(string.Join(",", Columns.Select(c => fields.TryGetValue(c, out string? v) ? v : "")));
            s.Append("\r\n");
        }
        return s.ToString();
    }
}
