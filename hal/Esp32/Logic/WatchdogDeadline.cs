// The decision half of the software watchdog: the main loop feeds it each pass, a separate
// high-priority thread asks whether the deadline has passed. Kept apart from the thread and
// the reboot call so the host tests can check the timing rule.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Tracks the last feed and says when the application counts as hung.</summary>
    public sealed class WatchdogDeadline
    {
        private readonly long _timeoutMicros;
        private readonly object _lock = new object();
        private long _lastFeedMicros;

        /// <summary>Creates the deadline, counting from <paramref name="nowMicros"/>.</summary>
        /// <param name="timeoutMicros">Longest allowed time between feeds, µs (1 or more).</param>
        /// <param name="nowMicros">Time now, µs.</param>
        public WatchdogDeadline(long timeoutMicros, long nowMicros)
        {
            if (timeoutMicros < 1)
            {
                throw new System.ArgumentOutOfRangeException("timeoutMicros");
            }

            _timeoutMicros = timeoutMicros;
            _lastFeedMicros = nowMicros;
        }

        /// <summary>Longest allowed time between feeds, µs.</summary>
        public long TimeoutMicros
        {
            get { return _timeoutMicros; }
        }

        /// <summary>Records a feed at <paramref name="nowMicros"/>.</summary>
        public void Feed(long nowMicros)
        {
            // A long is two words on the ESP32: the lock keeps the checker from reading half a value.
            lock (_lock)
            {
                _lastFeedMicros = nowMicros;
            }
        }

        /// <summary>True when more than the timeout has passed since the last feed.</summary>
        public bool IsOverdue(long nowMicros)
        {
            long last;
            lock (_lock)
            {
                last = _lastFeedMicros;
            }

            return nowMicros - last > _timeoutMicros;
        }
    }
}
