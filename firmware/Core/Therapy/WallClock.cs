// The wall clock TIME sets (docs/ARCHITECTURE.md "Time: one timeline, three views"): unix time is the
// device timeline plus an offset, and the offset is stored with the therapy, so the wall clock runs on
// while the pump is off. Before TIME there is no wall clock: the offset is 0 and the schedule's time of
// day is timeline time.
//
// One object, owned by TherapyController (which sets it on TIME and puts it back on a load) and read by
// everything that counts by it: the schedule's time of day, the refill history's dates, the daily
// history's days. There is one copy of the clock, so no reader can be left on an old one. A reader that
// keeps something derived from it (the daily history keeps the timeline instant at which its newest day
// ends) compares Changes with the value it derived it at.
namespace PumpFirmware.Therapy
{
    /// <summary>The wall clock: unix µs = device-timeline µs + <see cref="OffsetMicros"/>, once TIME set it.</summary>
    public sealed class WallClock
    {
        private const long DayMicros = 86400000000L;

        private bool _set;
        private long _offsetMicros;
        private int _changes;

        /// <summary>True once TIME set the wall clock.</summary>
        public bool IsSet { get { return _set; } }

        /// <summary>unix µs minus device-timeline µs; 0 while the clock is not set.</summary>
        public long OffsetMicros { get { return _offsetMicros; } }

        /// <summary>Counts every <see cref="Set"/> and <see cref="Restore"/> (wrapping): a reader that derived something
        /// from the clock derives it again when this differs from the count it derived it at.</summary>
        public int Changes { get { return _changes; } }

        /// <summary>Wall clock at <paramref name="nowMicros"/> (device timeline, µs), unix seconds rounded down, or 0
        /// while the clock is not set.</summary>
        public long UnixSeconds(long nowMicros)
        {
            return _set ? (nowMicros + _offsetMicros) / 1000000 : 0;
        }

        /// <summary>The schedule's time of day at <paramref name="nowMicros"/> (device timeline, µs), µs since midnight:
        /// of the wall clock when set (UTC), else of timeline time.</summary>
        public long MicrosOfDay(long nowMicros)
        {
            long t = nowMicros + _offsetMicros;
            long r = t % DayMicros;
            return r < 0 ? r + DayMicros : r;
        }

        /// <summary>TIME: the wall clock reads <paramref name="unixSeconds"/> at <paramref name="nowMicros"/> (device
        /// timeline, µs). The caller checks the range.</summary>
        public void Set(long unixSeconds, long nowMicros)
        {
            _offsetMicros = unixSeconds * 1000000L - nowMicros;
            _set = true;
            _changes++;
        }

        /// <summary>Puts back a stored clock (a loaded state image): <paramref name="set"/> and the offset, µs (taken as 0
        /// when not set).</summary>
        public void Restore(bool set, long offsetMicros)
        {
            _set = set;
            _offsetMicros = set ? offsetMicros : 0;
            _changes++;
        }
    }
}
