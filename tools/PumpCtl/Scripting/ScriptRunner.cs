// `pumpctl run`: protocol lines from a file, sent in order, stopping at the first ERR so a rig
// is never left half-programmed without the operator knowing exactly which line failed.
// `#` starts a comment (protocol lines never contain '#'); blank lines are skipped.
namespace PumpCtl.Scripting;

using PumpCtl.Serial;

/// <summary>Parses and runs request scripts.</summary>
public static class ScriptRunner
{
    /// <summary>The requests of a script, in order, with their line numbers.</summary>
    public static IReadOnlyList<ScriptLine> Parse(IEnumerable<string> fileLines)
    {
        var lines = new List<ScriptLine>();
        int number = 0;
        foreach (string raw in fileLines)
        {
            number++;
            int hash = raw.IndexOf('#');
            string text = (hash >= 0 ? raw.Substring(0, hash) : raw).Trim();
            if (text.Length > 0)
            {
                lines.Add(new ScriptLine(number, text));
            }
        }
        return lines;
    }

    /// <summary>Sends each line and waits for its status; stops at the first ERR.</summary>
    /// <param name="onReply">Called after each reply (for printing).</param>
    /// <exception cref="IOException">The link failed or the device stopped answering (the line is in the message).</exception>
    public static ScriptResult Run(PumpClient client, IReadOnlyList<ScriptLine> lines, Action<ScriptLine, DeviceReply>? onReply = null)
    {
        int sent = 0;
        foreach (ScriptLine line in lines)
        {
            sent++;
            DeviceReply reply;
            try
            {
                reply = client.Request(line.Text);
            }
            catch (IOException e)
            {
                throw new IOException($"line {line.LineNumber} '{line.Text}': {e.Message}", e);
            }
            onReply?.Invoke(line, reply);
            if (!reply.IsOk)
            {
                return new ScriptResult(sent, line, reply);
            }
        }
        return new ScriptResult(sent, null, null);
    }
}
