// `pumpctl hist`: the pump's daily history (HIST?, issue 17) as CSV, for the researcher's daily
// log: one row per day, oldest first, the drug in µg per kind of delivery, exactly as the pump
// printed it (3 decimals: to the ng). To a file (written whole or not at all) or to stdout.
using System.CommandLine;
using System.Text;
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
        var overwrite = OptionValues.Flag("--overwrite", "Replace the CSV file if it exists");
        var command = new Command("hist", "Export the pump's daily history (HIST?): drug delivered per day by basal, PTM, clinician, bridge, " +
            "prime and minimum rate, in ug, as CSV. Exit 0 on OK, 1 on ERR or a file that exists.")
        {
            port, days, csv, overwrite, crc, timeout,
        };
        command.SetAction(r => Execute(opener, r.GetValue(port)!, r.GetValue(days), r.GetValue(csv), r.GetValue(overwrite), r.GetValue(crc),
            r.GetValue(timeout)));
        return command;
    }

    private static int Execute(ISerialLineOpener opener, string portName, int days, FileInfo? csv, bool overwrite, bool crc, double timeoutS)
    {
        if (csv != null && csv.Exists && !overwrite)
        {
            Console.Error.WriteLine($"pumpctl hist: {csv.FullName} exists; choose another --csv or add --overwrite");
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
        if (csv == null)
        {
            Console.Write(text);
            return ExitCodes.Ok;
        }
        AtomicFile.WriteAllText(csv.FullName, text);
        Console.Error.WriteLine($"pumpctl hist: {text.Count(c => c == '\n') - 1} day(s) written to {csv.FullName}");
        return ExitCodes.Ok;
    }

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
