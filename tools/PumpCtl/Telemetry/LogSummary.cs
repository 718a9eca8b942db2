// The closing numbers of a logging run, printed at the end and returned to tests.
namespace PumpCtl.Telemetry;

/// <summary>What a logging run did.</summary>
/// <remarks><c>LinkLosses</c>: times a working link dropped; <c>FailedAttempts</c>: reconnect attempts that failed.</remarks>
public sealed record LogSummary(
    long Rows,
    long LostLines,
    long Gaps,
    IReadOnlyCollection<string> RecentGaps,
    long SeqRestarts,
    long LinkLosses,
    long FailedAttempts,
    long MalformedLines,
    long CorruptLines,
    long BalanceFailures,
    TimeSpan Elapsed);
