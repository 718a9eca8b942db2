// Why this exists: when the RMT peripheral is taken, steps can come from an LEDC PWM channel
// running at the step rate, counted by the PCNT pulse counter wired to the STEP line. The
// nanoFramework PCNT API can only be read (no "stop at N" interrupt), so the PWM is stopped by
// software polling the count. To keep the count exact despite poll latency, the last steps of
// a block run at a slow "approach" frequency (at most about one step per poll latency), and any
// step counted beyond the target (overshoot) is kept as credit and taken off the next block,
// so over many blocks the emitted total equals the commanded total plus the credit (<= 1 when
// the shell polls within its promised latency). This class is the decision logic only.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Decides the LEDC frequency and when to stop, from PCNT counts, for one step block at a time.</summary>
    public sealed class PwmPcntStopController
    {
        private const long MicrosPerSecond = 1000000;

        private readonly int _maxPollLatencyMicros;
        private long _targetCount;
        private int _bulkFrequencyHz;
        private int _approachFrequencyHz;
        private int _approachSteps;
        private int _frequencyHz;
        private int _creditSteps;
        private bool _synced;
        private long _commandedCount;

        /// <summary>Creates the controller.</summary>
        /// <param name="maxPollLatencyMicros">The longest time the shell promises between two
        /// <see cref="Poll"/> calls while running, µs (1000 to 1000000).</param>
        public PwmPcntStopController(int maxPollLatencyMicros)
        {
            if (maxPollLatencyMicros < 1000 || maxPollLatencyMicros > 1000000)
            {
                throw new System.ArgumentOutOfRangeException("maxPollLatencyMicros");
            }

            _maxPollLatencyMicros = maxPollLatencyMicros;
        }

        /// <summary>True while the PWM should be running.</summary>
        public bool IsRunning
        {
            get { return _frequencyHz > 0; }
        }

        /// <summary>The LEDC frequency to output now, Hz; 0 means stopped.</summary>
        public int FrequencyHz
        {
            get { return _frequencyHz; }
        }

        /// <summary>Steps already emitted beyond what blocks asked for; the next block is shortened by them.</summary>
        public int CreditSteps
        {
            get { return _creditSteps; }
        }

        /// <summary>The PCNT count at which the current block is complete.</summary>
        public long TargetCount
        {
            get { return _targetCount; }
        }

        /// <summary>The frequency the slow final phase uses for a block at this interval, Hz.</summary>
        public int ApproachFrequencyFor(int intervalMicros)
        {
            int bulk = BulkFrequencyFor(intervalMicros);
            int approach = (int)(MicrosPerSecond / _maxPollLatencyMicros);
            if (approach < 1)
            {
                approach = 1;
            }

            return bulk > 0 && bulk < approach ? bulk : approach;
        }

        /// <summary>The step frequency for an interval, Hz, rounded down so steps never come early;
        /// 0 when the interval is longer than 1 s (LEDC is not used below 1 Hz).</summary>
        public static int BulkFrequencyFor(int intervalMicros)
        {
            if (intervalMicros <= 0)
            {
                return 0;
            }

            return (int)(MicrosPerSecond / intervalMicros);
        }

        /// <summary>Starts a block.</summary>
        /// <param name="steps">1 or more.</param>
        /// <param name="intervalMicros">Step interval, µs; 1 to 1000000 (a single step may use any positive interval).</param>
        /// <param name="countNow">The PCNT count now.</param>
        /// <returns>false (nothing changes) when running, or an argument is out of range.</returns>
        public bool TryStart(int steps, int intervalMicros, long countNow)
        {
            if (IsRunning || steps < 1 || intervalMicros < 1 || (steps > 1 && intervalMicros > MicrosPerSecond))
            {
                return false;
            }

            if (!_synced)
            {
                _commandedCount = countNow;
                _synced = true;
            }

            _commandedCount += steps;
            if (steps <= _creditSteps)
            {
                // Already emitted by an earlier overshoot: nothing to run.
                _creditSteps -= steps;
                _targetCount = countNow;
                return true;
            }

            int toEmit = steps - _creditSteps;
            _creditSteps = 0;
            _targetCount = countNow + toEmit;
            _bulkFrequencyHz = BulkFrequencyFor(intervalMicros);
            _approachFrequencyHz = ApproachFrequencyFor(intervalMicros);

            // Steps the bulk rate can emit within one poll latency, plus one: inside that window
            // the output drops to the approach frequency.
            long perLatency = ((long)_bulkFrequencyHz * _maxPollLatencyMicros) / MicrosPerSecond;
            _approachSteps = (int)(perLatency + 1);
            _frequencyHz = toEmit <= _approachSteps || _bulkFrequencyHz == 0 ? _approachFrequencyHz : _bulkFrequencyHz;
            return true;
        }

        /// <summary>Updates the decision from the count read now.</summary>
        /// <param name="countNow">The PCNT count now (never decreasing).</param>
        /// <returns>The frequency to output now, Hz (0: stop the PWM at once).</returns>
        public int Poll(long countNow)
        {
            if (!IsRunning)
            {
                return 0;
            }

            long remaining = _targetCount - countNow;
            if (remaining <= 0)
            {
                _creditSteps += (int)(-remaining);
                _frequencyHz = 0;
                return 0;
            }

            if (remaining <= _approachSteps)
            {
                _frequencyHz = _approachFrequencyHz;
            }

            return _frequencyHz;
        }

        /// <summary>The PCNT count all blocks started so far add up to (credit included).</summary>
        public long CommandedCount
        {
            get { return _commandedCount; }
        }

        /// <summary>The count to report as emitted: the PCNT count, but never beyond what blocks
        /// commanded, so an overshoot (credit for the next block) is not reported as a surplus that
        /// the application's stall detection would re-anchor on.</summary>
        public long ReportableCount(long countNow)
        {
            return _synced && countNow > _commandedCount ? _commandedCount : countNow;
        }

        /// <summary>Steps of the current block not yet counted.</summary>
        public int PendingSteps(long countNow)
        {
            long remaining = _targetCount - countNow;
            return IsRunning && remaining > 0 ? (int)remaining : 0;
        }

        /// <summary>Drops the rest of the block (on a fault). Credit is dropped too: after a fault
        /// the core re-plans from what the feedback confirmed.</summary>
        public void Abort()
        {
            _frequencyHz = 0;
            _creditSteps = 0;
            _synced = false;
        }
    }
}
