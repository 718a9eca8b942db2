// Why this exists: a DC-motor peristaltic head has no steps; its encoder counts (read by the
// PCNT) play the part of steps, and the core asks for "n counts, one every I µs" like it asks a
// stepper. This loop makes the motor follow that count ramp: an integer PI controller on the
// position error (counts due by now minus counts seen) plus a feedforward from the commanded
// count rate, so the motor holds the commanded rate under changing load, and the block ends
// exactly when the encoder reaches its count (the H-bridge then brakes). Counts made after the
// stop (inertia) are credited: the loop keeps the absolute count all issued blocks add up to,
// and a new block only drives the encoder up to that total, so totals stay exact.
// Between blocks the duty of the last block is held for a short time, so a stream of small
// blocks (the application issues a few counts at a time) runs the motor smoothly instead of
// braking after each one; what it turns meanwhile is credited. A head that stops counting for
// the stall timeout gives up its block: the counts are dropped (never made up later) and no
// longer pending, so the application sees commanded counts go unconfirmed and raises STALL.
// Integer only: duty in permille, time in µs. The shell calls Update from a periodic timer.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Integer PI speed/position loop for a DC head counted by an encoder.</summary>
    public sealed class DcSpeedLoop
    {
        private const long MicrosPerSecond = 1000000;

        private readonly int _feedforwardPermillePerKiloCps;
        private readonly int _kpPermillePerCount;
        private readonly int _kiPermillePerCountSecond;
        private readonly int _maxDutyPermille;
        private readonly long _stallTimeoutMicros;
        private readonly long _holdMicros;

        private bool _running;
        private bool _synced;
        private long _expectedCount;
        private long _startCount;
        private long _startMicros;
        private long _lastMicros;
        private int _steps;
        private int _intervalMicros;
        private long _integralCountMicros;
        private int _creditCounts;
        private int _dutyPermille;
        private long _lastCount;
        private long _lastProgressMicros;
        private long _finishedMicros;
        private int _holdDutyPermille;
        private long _abandonedCounts;
        private long _confirmedCounts;

        /// <summary>Creates the loop.</summary>
        /// <param name="feedforwardPermillePerKiloCps">Duty (permille) the motor needs per 1000 counts/s,
        /// from a calibration run; 0 to 100000.</param>
        /// <param name="kpPermillePerCount">Proportional gain: duty permille per count of position error; 0 to 100000.</param>
        /// <param name="kiPermillePerCountSecond">Integral gain: duty permille per count·s of error; 0 to 100000.</param>
        /// <param name="maxDutyPermille">Duty ceiling, 1 to 1000.</param>
        public DcSpeedLoop(int feedforwardPermillePerKiloCps, int kpPermillePerCount, int kiPermillePerCountSecond, int maxDutyPermille)
            : this(feedforwardPermillePerKiloCps, kpPermillePerCount, kiPermillePerCountSecond, maxDutyPermille, long.MaxValue, 0)
        {
        }

        /// <summary>Creates the loop with stall detection and a hold between blocks.</summary>
        /// <param name="feedforwardPermillePerKiloCps">See the other constructor.</param>
        /// <param name="kpPermillePerCount">See the other constructor.</param>
        /// <param name="kiPermillePerCountSecond">See the other constructor.</param>
        /// <param name="maxDutyPermille">See the other constructor.</param>
        /// <param name="stallTimeoutMicros">A running block that sees no count for this long is given up, µs (1 or more).</param>
        /// <param name="holdMicros">How long the last block's feedforward duty is held after it ends, µs (0 or more).</param>
        public DcSpeedLoop(int feedforwardPermillePerKiloCps, int kpPermillePerCount, int kiPermillePerCountSecond, int maxDutyPermille, long stallTimeoutMicros, long holdMicros)
        {
            if (stallTimeoutMicros < 1)
            {
                throw new System.ArgumentOutOfRangeException("stallTimeoutMicros");
            }

            if (holdMicros < 0)
            {
                throw new System.ArgumentOutOfRangeException("holdMicros");
            }

            _stallTimeoutMicros = stallTimeoutMicros;
            _holdMicros = holdMicros;
            if (feedforwardPermillePerKiloCps < 0 || feedforwardPermillePerKiloCps > 100000)
            {
                throw new System.ArgumentOutOfRangeException("feedforwardPermillePerKiloCps");
            }

            if (kpPermillePerCount < 0 || kpPermillePerCount > 100000)
            {
                throw new System.ArgumentOutOfRangeException("kpPermillePerCount");
            }

            if (kiPermillePerCountSecond < 0 || kiPermillePerCountSecond > 100000)
            {
                throw new System.ArgumentOutOfRangeException("kiPermillePerCountSecond");
            }

            if (maxDutyPermille < 1 || maxDutyPermille > 1000)
            {
                throw new System.ArgumentOutOfRangeException("maxDutyPermille");
            }

            _feedforwardPermillePerKiloCps = feedforwardPermillePerKiloCps;
            _kpPermillePerCount = kpPermillePerCount;
            _kiPermillePerCountSecond = kiPermillePerCountSecond;
            _maxDutyPermille = maxDutyPermille;
        }

        /// <summary>True while a block is being driven.</summary>
        public bool IsRunning
        {
            get { return _running; }
        }

        /// <summary>The duty last returned by <see cref="Update"/>, permille.</summary>
        public int DutyPermille
        {
            get { return _dutyPermille; }
        }

        /// <summary>Counts made beyond what blocks asked for, as of the last update or start; taken off the next block.</summary>
        public int CreditCounts
        {
            get { return _creditCounts; }
        }

        /// <summary>Encoder counts that count as confirmed steps: the encoder, but never beyond the
        /// total the issued blocks add up to. Counts coasted past a block's end are credit for the
        /// next block, not a surplus: reported early they would look like steps confirmed ahead of
        /// their command, and the application would re-anchor its stall detection on them and
        /// later see the credited block as a deficit. Never decreases.</summary>
        public long ConfirmedCounts(long countNow)
        {
            long value = _synced && countNow > _expectedCount ? _expectedCount : countNow;
            if (value > _confirmedCounts)
            {
                _confirmedCounts = value;
            }

            return _confirmedCounts;
        }

        /// <summary>Counts dropped because the head stopped counting (stall), since construction.</summary>
        public long AbandonedCounts
        {
            get { return _abandonedCounts; }
        }

        /// <summary>Refreshes <see cref="CreditCounts"/> from the encoder while idle (the motor may still be coasting).</summary>
        public void ObserveIdle(long countNow)
        {
            if (!_running && _synced)
            {
                long credit = countNow - _expectedCount;
                _creditCounts = credit > 0 ? (int)credit : 0;
            }
        }

        /// <summary>Starts a block of <paramref name="counts"/> encoder counts, one every <paramref name="intervalMicros"/>.</summary>
        /// <returns>false (nothing changes) when running or when an argument is below 1.</returns>
        public bool TryStart(int counts, int intervalMicros, long countNow, long nowMicros)
        {
            if (_running || counts < 1 || intervalMicros < 1)
            {
                return false;
            }

            if (!_synced)
            {
                _expectedCount = countNow;
                _synced = true;
            }

            _expectedCount += counts;
            long toRun = _expectedCount - countNow;
            if (toRun <= 0)
            {
                // Already made by earlier coasting: nothing to run.
                _creditCounts = (int)(-toRun);
                return true;
            }

            _steps = toRun > counts ? counts : (int)toRun;
            _creditCounts = 0;
            _intervalMicros = intervalMicros;
            _startCount = countNow;
            _startMicros = nowMicros;
            _lastMicros = nowMicros;
            _lastCount = countNow;
            _lastProgressMicros = nowMicros;

            // The integral is kept from block to block: it holds what the load needs beyond the
            // feedforward, which does not change because a new block began. Abort clears it.
            _running = true;
            return true;
        }

        /// <summary>Counts due by <paramref name="nowMicros"/> on the block's ramp (the first one
        /// is due one interval after the start), capped at the block's size.</summary>
        public long ReferenceCounts(long nowMicros)
        {
            if (!_running)
            {
                return 0;
            }

            long due = (nowMicros - _startMicros) / _intervalMicros;
            if (due < 0)
            {
                return 0;
            }

            return due > _steps ? _steps : due;
        }

        /// <summary>Runs the loop once.</summary>
        /// <param name="countNow">Encoder count now (never decreasing).</param>
        /// <param name="nowMicros">Time now, µs.</param>
        /// <returns>Duty to apply, permille; 0 when the block is complete (brake) or idle.</returns>
        public int Update(long countNow, long nowMicros)
        {
            if (!_running)
            {
                if (_holdDutyPermille > 0 && nowMicros - _finishedMicros < _holdMicros)
                {
                    _dutyPermille = _holdDutyPermille;
                    return _dutyPermille;
                }

                _holdDutyPermille = 0;
                _dutyPermille = 0;
                return 0;
            }

            long done = countNow - _startCount;
            if (done >= _steps)
            {
                _creditCounts = (int)(done - _steps);
                _running = false;
                _finishedMicros = nowMicros;
                long hold = ((long)_feedforwardPermillePerKiloCps * 1000) / _intervalMicros;
                _holdDutyPermille = _holdMicros > 0 ? (int)(hold > _maxDutyPermille ? _maxDutyPermille : hold) : 0;
                _dutyPermille = _holdDutyPermille;
                return _dutyPermille;
            }

            if (countNow > _lastCount)
            {
                _lastCount = countNow;
                _lastProgressMicros = nowMicros;
            }
            else if (nowMicros - _lastProgressMicros >= _stallTimeoutMicros)
            {
                // Jammed: give the block up. Its remaining counts are dropped from the total the
                // blocks add up to, so they are never made up later.
                long remaining = _steps - done;
                _expectedCount -= remaining;
                _abandonedCounts += remaining;
                _running = false;
                _holdDutyPermille = 0;
                _dutyPermille = 0;
                return 0;
            }

            long dt = nowMicros - _lastMicros;
            _lastMicros = nowMicros;
            long error = ReferenceCounts(nowMicros) - done;

            long feedforward = ((long)_feedforwardPermillePerKiloCps * 1000) / _intervalMicros;
            long proportional = error * _kpPermillePerCount;
            long candidateIntegral = _integralCountMicros + (error * (dt > 0 ? dt : 0));
            long integral = (candidateIntegral * _kiPermillePerCountSecond) / MicrosPerSecond;
            long duty = feedforward + proportional + integral;

            // Anti-windup: integrate only while the output is not pushed further into a limit.
            bool saturatedHigh = duty > _maxDutyPermille && error > 0;
            bool saturatedLow = duty < 0 && error < 0;
            if (!saturatedHigh && !saturatedLow)
            {
                _integralCountMicros = candidateIntegral;
            }

            if (duty < 0)
            {
                duty = 0;
            }
            else if (duty > _maxDutyPermille)
            {
                duty = _maxDutyPermille;
            }

            _dutyPermille = (int)duty;
            return _dutyPermille;
        }

        /// <summary>Counts of the current block not yet seen.</summary>
        public int PendingCounts(long countNow)
        {
            if (!_running)
            {
                return 0;
            }

            long remaining = _steps - (countNow - _startCount);
            return remaining > 0 ? (int)remaining : 0;
        }

        /// <summary>Drops the block at once (on a fault); credit is dropped too, and the next block
        /// counts from the encoder as it is then.</summary>
        public void Abort()
        {
            _running = false;
            _synced = false;
            _integralCountMicros = 0;
            _holdDutyPermille = 0;
            _creditCounts = 0;
            _dutyPermille = 0;
        }
    }
}
