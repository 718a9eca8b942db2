// A host clock that moves only when told (by the fake pump's reads), so hours of logging,
// unplugs and back-off run in milliseconds and identically every time.
using PumpCtl.Telemetry;

namespace PumpCtl.Tests.Fakes;

public sealed class FakeHostClock : IHostClock
{
    public DateTime UtcNow { get; private set; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public List<TimeSpan> Sleeps { get; } = new();

    public void Advance(TimeSpan by) => UtcNow += by;

    public void Sleep(TimeSpan duration, CancellationToken cancel)
    {
        Sleeps.Add(duration);
        UtcNow += duration;
    }
}
