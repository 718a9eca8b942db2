// A request's outcome as the protocol defines it: the one status line, plus the `!` lines
// that arrived while waiting for it (LOG? records, telemetry, alarms).
namespace PumpCtl.Serial;

/// <summary>The answer to one request.</summary>
/// <param name="Request">The line as typed (without a CRC suffix).</param>
/// <param name="Status">The status line, CRC suffix removed.</param>
/// <param name="AsyncLines">The <c>!</c> lines received before the status line, in order.</param>
public sealed record DeviceReply(string Request, string Status, IReadOnlyList<string> AsyncLines)
{
    /// <summary>True when the device answered <c>OK</c>.</summary>
    public bool IsOk => ProtocolLine.IsStatus(Status) && Status.StartsWith("OK", StringComparison.Ordinal);

    /// <summary>The <c>key=value</c> fields of the status line.</summary>
    public Dictionary<string, string> Fields => ProtocolLine.Fields(Status);
}
