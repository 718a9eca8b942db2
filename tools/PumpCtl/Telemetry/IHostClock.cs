// The logger's only view of host time: the timestamp for host_utc, the run's duration and
// the reconnect back-off. Tests replace it to run days of reconnects in milliseconds.
namespace PumpCtl.Telemetry;

/// <summary>Host wall clock and sleeping.</summary>
public interface IHostClock
{
    /// <summary>Now, UTC.</summary>
    DateTime UtcNow { get; }

    /// <summary>Waits <paramref name="duration"/> or until <paramref name="cancel"/> fires.</summary>
    void Sleep(TimeSpan duration, CancellationToken cancel);
}
