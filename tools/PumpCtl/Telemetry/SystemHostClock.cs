// The real host clock.
namespace PumpCtl.Telemetry;

/// <summary><see cref="IHostClock"/> on the system clock.</summary>
public sealed class SystemHostClock : IHostClock
{
    /// <summary>The one instance.</summary>
    public static SystemHostClock Instance { get; } = new();

    /// <inheritdoc />
    public DateTime UtcNow => DateTime.UtcNow;

    /// <inheritdoc />
    public void Sleep(TimeSpan duration, CancellationToken cancel) => cancel.WaitHandle.WaitOne(duration);
}
