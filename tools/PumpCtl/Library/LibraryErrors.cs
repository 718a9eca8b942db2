// What an ERR to a drug library request means for the person at the bench, in one line: what
// went wrong, that nothing changed, and what to do. The pump's own status line is always quoted
// after it, so nothing the pump said is hidden behind the explanation.
using System.Text.RegularExpressions;
using PumpCtl.Serial;

namespace PumpCtl.Library;

/// <summary>Explains ERR replies to AUTH, LIB?, LIB:SET and LIB:CLEAR.</summary>
public static partial class LibraryErrors
{
    /// <summary>One line: the explanation, then the pump's answer quoted (the PIN of an AUTH request never appears).</summary>
    public static string Explain(DeviceReply reply)
    {
        string request = reply.Request.StartsWith("AUTH ", StringComparison.Ordinal) ? "AUTH ****" : reply.Request;
        return $"{Meaning(reply)} (the pump answered '{reply.Status}' to '{request}')";
    }

    private static string Meaning(DeviceReply reply)
    {
        string status = reply.Status;
        string verb = reply.Request.Split(' ')[0];
        Dictionary<string, string> fields = reply.Fields;
        if (status.StartsWith("ERR 400 unknown command", StringComparison.Ordinal))
        {
            return "this pump's firmware has no drug library (CAPS? lists DRUG_LIBRARY where it has one); nothing changed";
        }
        if (verb == "AUTH")
        {
            if (status.StartsWith("ERR 429", StringComparison.Ordinal))
            {
                string wait = fields.TryGetValue("for_s", out string? s) ? $" for another {s} s" : "";
                return $"AUTH is locked after too many wrong PINs{wait}; nothing changed. Wait, then give the right --pin";
            }
            if (status.StartsWith("ERR 403", StringComparison.Ordinal))
            {
                string left = fields.TryGetValue("attempts_left", out string? n) ? $"; {n} attempt(s) left before AUTH locks for 900 s" : "";
                return $"the pump refused the PIN given with --pin{left}; nothing changed";
            }
        }
        if (status.StartsWith("ERR 403", StringComparison.Ordinal))
        {
            return $"the session ended before {verb} (another program may have sent LOGOUT); nothing changed, run the command again";
        }
        if (verb == "LIB:CLEAR" && status.StartsWith("ERR 409", StringComparison.Ordinal))
        {
            string drug = reply.Request.Length > verb.Length ? reply.Request.Substring(verb.Length + 1) : "";
            return $"{drug} has no per-pump entry to remove (its entry is compiled in or it has none: 'pumpctl lib list' shows source=DEFAULT " +
                "or no row); nothing changed";
        }
        if (EntriesFull().IsMatch(status))
        {
            return "the pump already holds the most per-pump entries it keeps (8); remove one with 'pumpctl lib clear <drug>' " +
                "('pumpctl lib list' shows them as source=PUMP); nothing changed";
        }
        if (status.StartsWith("ERR 422", StringComparison.Ordinal))
        {
            return "a value is outside what the pump accepts; nothing changed";
        }
        if (status.StartsWith("ERR 400", StringComparison.Ordinal))
        {
            return "the pump could not read the request; nothing changed";
        }
        if (status.StartsWith("ERR 500", StringComparison.Ordinal))
        {
            return "the pump could not store the change (storage failure; it rolled the change back and raised CRITICAL); nothing changed";
        }
        return "the pump refused the request; nothing changed";
    }

    [GeneratedRegex(@"^ERR 422 entries=\d+ exceeds max_entries=\d+")]
    private static partial Regex EntriesFull();
}
