// Where the logger reports what happens, so the console view (Spectre.Console) stays out of
// the logging loop and tests can watch the events.
namespace PumpCtl.Telemetry;

/// <summary>Receives the logger's events.</summary>
public interface ILogProgress
{
    /// <summary>Telemetry is on at <paramref name="port"/>.</summary>
    void Connected(string port);

    /// <summary>The link is gone; the next attempt follows after <paramref name="retryIn"/>.</summary>
    void Disconnected(string reason, TimeSpan retryIn);

    /// <summary>A row was written.</summary>
    /// <param name="lostBefore">Lines lost just before this one.</param>
    void Row(TelemetryRecord record, decimal? massGrams, long rows, long lostBefore);

    /// <summary>An asynchronous line other than telemetry (<c>!ALARM</c>, <c>!BOOT</c>, ...).</summary>
    void Event(string line);
}
