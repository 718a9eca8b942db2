// One drug library entry as the pump prints it (PROTOCOL.md "Drug library and titration guard"):
// a `!LIB` line of `LIB?`, or the `OK` line of `LIB? <drug>`, which adds the rises of the last
// 7 days. Values stay the pump's text ("20000.000", "NONE"): the tool shows and exports exactly
// what the pump holds, never a rounded copy.
using PumpCtl.Serial;

namespace PumpCtl.Library;

/// <summary>A drug library entry, field by field as the pump printed it.</summary>
public sealed class LibraryEntry
{
    /// <summary>The limit keys, in the order the pump prints them (LIB:SET takes the same keys).</summary>
    public static readonly string[] LimitKeys = { "max_conc_ug_ml", "max_ug_day", "max_step_ug_day", "max_increases_7d", "max_increase_7d_ug_day" };

    /// <summary>The keys of the rises in the last 7 days (only <c>LIB? &lt;drug&gt;</c> prints them).</summary>
    public static readonly string[] RiseKeys = { "increases_7d", "increase_7d_ug_day" };

    private readonly Dictionary<string, string> _fields;

    private LibraryEntry(Dictionary<string, string> fields) => _fields = fields;

    /// <summary>The drug name.</summary>
    public string Drug => Get("drug");

    /// <summary><c>DEFAULT</c> (compiled in), <c>PUMP</c> (set on this pump with LIB:SET) or <c>NONE</c> (no entry: not checked).</summary>
    public string Source => Get("source");

    /// <summary>The CRC-16 of the name, as the pump's log names the drug (empty when it has no entry).</summary>
    public string DrugCrc => Get("drug_crc");

    /// <summary>True when the line carried the rises of the last 7 days.</summary>
    public bool HasRises => _fields.ContainsKey("increases_7d");

    /// <summary>A field's text as the pump printed it; "" when absent (an entry with source NONE has no limits).</summary>
    public string Get(string key) => _fields.TryGetValue(key, out string? v) ? v : "";

    /// <summary>The entry of a <c>!LIB</c> line or of the <c>OK</c> line of <c>LIB? &lt;drug&gt;</c>; null for any other line.</summary>
    public static LibraryEntry? Parse(string line)
    {
        if (!line.StartsWith("!LIB ", StringComparison.Ordinal) && !line.StartsWith("OK ", StringComparison.Ordinal))
        {
            return null;
        }
        Dictionary<string, string> fields = ProtocolLine.Fields(line);
        return fields.ContainsKey("drug") && fields.ContainsKey("source") ? new LibraryEntry(fields) : null;
    }

    /// <summary>The entries among the <c>!LIB</c> lines of a <c>LIB?</c> reply, in the pump's order.</summary>
    public static List<LibraryEntry> FromList(DeviceReply reply) =>
        reply.AsyncLines.Where(l => l.StartsWith("!LIB ", StringComparison.Ordinal)).Select(Parse).OfType<LibraryEntry>().ToList();
}
