// `pumpctl run <script>`: programs a rig from a file of protocol lines, echoing each request
// and its answer, stopping at the first ERR with the file's line number.
using System.CommandLine;
using PumpCtl.Scripting;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl run</c>.</summary>
public static class RunCommand
{
    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener opener)
    {
        var script = OptionValues.ExistingFile("script", "A text file of protocol lines; '#' starts a comment, blank lines are skipped");
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var quiet = OptionValues.Flag("--quiet", "Print only a failure", "-q");
        var command = new Command("run", "Send a script's lines in order; stop at the first ERR (exit 1) and name its line.")
        {
            script, port, crc, timeout, quiet,
        };
        command.SetAction(r => Execute(opener, r.GetValue(script)!, r.GetValue(port)!, r.GetValue(crc), r.GetValue(timeout), r.GetValue(quiet)));
        return command;
    }

    private static int Execute(ISerialLineOpener opener, FileInfo file, string portName, bool crc, double timeoutS, bool quiet)
    {
        IReadOnlyList<ScriptLine> lines;
        try
        {
            lines = ScriptRunner.Parse(File.ReadLines(file.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"pumpctl run: cannot read {file.FullName}: {e.Message}");
            return ExitCodes.Usage;
        }
        if (lines.Count == 0)
        {
            Console.Error.WriteLine($"pumpctl run: {file.Name} has no protocol lines (only comments or blanks)");
            return ExitCodes.Usage;
        }
        try
        {
            using ISerialLine port = opener.Open(portName);
            var client = new PumpClient(port, crc) { Timeout = TimeSpan.FromSeconds(timeoutS) };
            client.DiscardStale(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(timeoutS));
            ScriptResult result = ScriptRunner.Run(client, lines, (line, reply) =>
            {
                if (!quiet)
                {
                    foreach (string a in reply.AsyncLines)
                    {
                        Console.WriteLine($"      {a}");
                    }
                    Console.WriteLine($"{line.LineNumber,4}  {line.Text}  ->  {reply.Status}");
                }
            });
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"pumpctl run: {file.Name}:{result.Failed!.LineNumber}: '{result.Failed.Text}' got {result.FailedReply!.Status}; " +
                    $"stopped there ({result.Sent - 1} of {lines.Count} lines were accepted)");
                return ExitCodes.Failed;
            }
            if (!quiet)
            {
                Console.WriteLine($"{lines.Count} lines, all OK");
            }
            return ExitCodes.Ok;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl run: {file.Name}: {e.Message}");
            return ExitCodes.Communication;
        }
    }
}
