// The outcome of a script run: how far it got and, if it stopped, where and why.
using PumpCtl.Serial;

namespace PumpCtl.Scripting;

/// <summary>What a script run did.</summary>
/// <param name="Sent">Requests sent, the failing one included.</param>
/// <param name="Failed">The line that got ERR, or null when every line got OK.</param>
/// <param name="FailedReply">Its reply.</param>
public sealed record ScriptResult(int Sent, ScriptLine? Failed, DeviceReply? FailedReply)
{
    /// <summary>True when every line was answered OK.</summary>
    public bool Succeeded => Failed == null;
}
