// `pumpctl send <line>`: one request, its `!` lines and its status line, like a terminal but
// with an exit code (0 OK, 1 ERR) for shell scripts.
using System.CommandLine;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl send</c>.</summary>
public static class SendCommand
{
    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener opener)
    {
        var line = new Argument<string>("line") { Description = "The request, e.g. \"STATUS?\" (quote it if it has spaces)" };
        line.CustomParser = r =>
        {
            string text = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            if (text.Trim().Length == 0 || text.Contains('\n') || text.Contains('\r'))
            {
                r.AddError(OptionValues.Refused("line", text.Replace("\r", "\\r").Replace("\n", "\\n"), "one non-empty protocol line, e.g. \"STATUS?\""));
            }
            return text;
        };
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var wait = OptionValues.Number("--wait", "After the status line, keep printing ! lines for this many seconds", 0, 86400, minInclusive: true, "s", 0);
        var command = new Command("send", "Send one protocol line; print the ! lines that arrive and the status line. Exit 0 on OK, 1 on ERR.")
        {
            line, port, crc, timeout, wait,
        };
        command.SetAction(r => Execute(opener, r.GetValue(line)!, r.GetValue(port)!, r.GetValue(crc), r.GetValue(timeout), r.GetValue(wait)));
        return command;
    }

    private static int Execute(ISerialLineOpener opener, string request, string portName, bool crc, double timeoutS, double waitS)
    {
        try
        {
            using ISerialLine port = opener.Open(portName);
            var client = new PumpClient(port, crc) { Timeout = TimeSpan.FromSeconds(timeoutS) };
            // Whatever is already waiting on the port (the end of an earlier command's answer)
            // is not this request's answer.
            client.DiscardStale(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(timeoutS));
            DeviceReply reply = client.Request(request.Trim(), Console.WriteLine);
            Console.WriteLine(reply.Status);
            DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(waitS);
            while (DateTime.UtcNow < until)
            {
                string? more = client.ReadAsync(until - DateTime.UtcNow);
                if (more != null)
                {
                    Console.WriteLine(more);
                }
            }
            return reply.IsOk ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl send: {e.Message}");
            return ExitCodes.Communication;
        }
    }
}
