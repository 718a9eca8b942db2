// TIME and the wall clock's views (unix seconds, the schedule's time of day); the clock itself is a WallClock,
// shared with the daily history. Part of TherapyController.
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
        /// <summary>TIME: sets the wall clock (unix seconds, 0..<see cref="MaxUnixSeconds"/>, else 422). The schedule
        /// moves to the new time of day from now; nothing is caught up or repeated; the 24 h window (on the timeline) is
        /// unaffected.</summary>
        public TherapyResult SetWallClock(long unixSeconds, long nowMicros)
        {
            nowMicros = Touch(nowMicros);
            if (unixSeconds < 0 || unixSeconds > MaxUnixSeconds)
            {
                return TherapyResult.Error(422, "unix_s=" + Fixed3.FormatInteger(unixSeconds) + " out of range 0..4102444800");
            }
            long old = UnixSeconds(nowMicros);
            _clock.Set(unixSeconds, nowMicros);
            _events.Push(TherapyEventKind.TimeSet, nowMicros, 0, unixSeconds, old);
            UpdateRate(nowMicros);
            ComputeNextWake();
            return TherapyResult.Ok;
        }

        /// <summary>True once TIME set the wall clock.</summary>
        public bool WallClockSet { get { return _clock.IsSet; } }

        /// <summary>Wall clock, unix seconds, or 0 when never set.</summary>
        public long UnixSeconds(long nowMicros)
        {
            return _clock.UnixSeconds(nowMicros);
        }

        /// <summary>The schedule's time of day, µs since midnight (wall clock when set, else timeline time; UTC).</summary>
        public long MicrosOfDay(long nowMicros)
        {
            return _clock.MicrosOfDay(nowMicros);
        }
    }
}
