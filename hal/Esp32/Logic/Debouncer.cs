// A contact (occlusion switch, battery supervisor, driver fault line) can bounce for a few ms.
// The stable state changes only after the raw level has held the new value for the whole
// debounce time, measured on the caller's clock between samples, so a single glitch never
// raises an alarm and a real change is seen within debounce time plus one sample period.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Turns raw samples of a logic level into a debounced level.</summary>
    public sealed class Debouncer
    {
        private readonly long _stableMicros;
        private bool _stable;
        private bool _candidate;
        private long _candidateSinceMicros;

        /// <summary>Creates a debouncer.</summary>
        /// <param name="stableMicros">How long a new level must hold, µs (0 or more).</param>
        /// <param name="initial">The level assumed before the first sample.</param>
        public Debouncer(long stableMicros, bool initial)
        {
            if (stableMicros < 0)
            {
                throw new System.ArgumentOutOfRangeException("stableMicros");
            }

            _stableMicros = stableMicros;
            _stable = initial;
            _candidate = initial;
        }

        /// <summary>The debounced level.</summary>
        public bool Level
        {
            get { return _stable; }
        }

        /// <summary>Feeds one sample.</summary>
        /// <param name="raw">The level read now.</param>
        /// <param name="nowMicros">Time now, µs (never decreasing).</param>
        /// <returns>The debounced level after this sample.</returns>
        public bool Update(bool raw, long nowMicros)
        {
            if (raw == _stable)
            {
                _candidate = raw;
                return _stable;
            }

            if (raw != _candidate)
            {
                _candidate = raw;
                _candidateSinceMicros = nowMicros;
            }

            if (nowMicros - _candidateSinceMicros >= _stableMicros)
            {
                _stable = raw;
            }

            return _stable;
        }
    }
}
