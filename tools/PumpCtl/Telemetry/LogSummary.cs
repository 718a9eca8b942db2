// The closing numbers of a logging run, printed at the end and returned to tests.
namespace PumpCtl.Telemetry;

/// <summary>What a logging run did.</summary>
public sealed record LogSummary(
    long Rows,
    long LostLines,
    long Gaps,
    IReadOnlyCollection<string> RecentGaps,
    long SeqRestarts,
    long Reconnects,
    long MalformedLines,
    long CorruptLines,
    long BalanceFailures,
    TimeSpan Elapsed);
