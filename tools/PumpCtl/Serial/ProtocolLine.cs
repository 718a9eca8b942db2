// Helpers for PROTOCOL.md's line format: the optional `*HHHH` CRC-16 suffix and `key=value`
// fields. The CRC itself is the firmware's own Crc16 (shared source), so host and device
// cannot disagree on it.
using PumpFirmware.Units;

namespace PumpCtl.Serial;

/// <summary>Line-level helpers for protocol v1.</summary>
public static class ProtocolLine
{
    /// <summary>Appends <c>*HHHH</c>, the CRC-16/CCITT-FALSE of every byte of <paramref name="line"/>.</summary>
    public static string WithCrc(string line) => line + "*" + Crc16.ToHex(Crc16.Compute(line));

    /// <summary>Splits a received line into its body and checks a trailing <c>*HHHH</c> if there is one.</summary>
    /// <param name="line">A received line without its terminator.</param>
    /// <param name="body">The line without the CRC suffix.</param>
    /// <returns>false only when a CRC suffix is present and does not match the body (which is then still split off).</returns>
    public static bool TryStripCrc(string line, out string body)
    {
        body = line;
        int star = line.Length - 5;
        if (star < 0 || line[star] != '*' || !Crc16.TryParseHex(line, star + 1, out int crc))
        {
            return true;
        }
        body = line.Substring(0, star);
        return Crc16.Compute(body) == crc;
    }

    /// <summary>The <c>key=value</c> fields of a line (words without '=' are skipped; the last duplicate wins).</summary>
    public static Dictionary<string, string> Fields(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = word.IndexOf('=');
            if (eq > 0)
            {
                fields[word.Substring(0, eq)] = word.Substring(eq + 1);
            }
        }
        return fields;
    }

    /// <summary>True for a status line (<c>OK..</c> or <c>ERR..</c>), the one answer every request gets.</summary>
    public static bool IsStatus(string line) =>
        line == "OK" || line.StartsWith("OK ", StringComparison.Ordinal) || line.StartsWith("ERR", StringComparison.Ordinal);
}
