// Drives a PWM output (the LEDC buzzer on the ESP32, a recording fake in the tests) through
// the pattern of the current alarm priority. It touches the output only when the tone changes,
// and restarts the pattern from its first pulse whenever the priority changes, so a newly
// raised high-priority alarm is heard at once.
using PumpFirmware.Hal;

namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Plays the alarm pattern for the current priority on a PWM output.</summary>
    public sealed class AlarmSounder
    {
        /// <summary>Duty used for a tone, permille (a square wave is loudest on a piezo).</summary>
        public const int ToneDutyPermille = 500;

        private readonly IPwmOutput _output;
        private AlarmPriority _priority;
        private long _patternStartMicros;
        private int _currentHz;
        private long _nextChangeMicros;

        /// <summary>Creates the sounder; the output is stopped (silent) at once.</summary>
        public AlarmSounder(IPwmOutput output)
        {
            if (output == null)
            {
                throw new System.ArgumentNullException("output");
            }

            _output = output;
            _output.Stop();
            _nextChangeMicros = long.MaxValue;
        }

        /// <summary>The priority being sounded.</summary>
        public AlarmPriority Priority
        {
            get { return _priority; }
        }

        /// <summary>When the tone next changes, µs on the caller's clock; long.MaxValue when silent.</summary>
        public long NextChangeMicros
        {
            get { return _nextChangeMicros; }
        }

        /// <summary>Brings the output up to date.</summary>
        /// <param name="nowMicros">Time now, µs (monotonic).</param>
        /// <param name="priority">Highest unacknowledged alarm priority now.</param>
        public void Update(long nowMicros, AlarmPriority priority)
        {
            if (priority != _priority)
            {
                _priority = priority;
                _patternStartMicros = nowMicros;
                _currentHz = -1; // forces the output to be written
            }

            BuzzerPattern pattern = BuzzerPatterns.For(priority);
            if (pattern == null)
            {
                if (_currentHz != 0)
                {
                    _output.Stop();
                    _currentHz = 0;
                }

                _nextChangeMicros = long.MaxValue;
                return;
            }

            long toNextMillis;
            int hz = pattern.FrequencyAt((nowMicros - _patternStartMicros) / 1000, out toNextMillis);
            if (hz != _currentHz)
            {
                if (hz == 0)
                {
                    _output.Stop();
                }
                else
                {
                    _output.Set(hz, ToneDutyPermille);
                }

                _currentHz = hz;
            }

            _nextChangeMicros = nowMicros + (toNextMillis * 1000);
        }
    }
}
