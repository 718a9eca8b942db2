// The bookkeeping of the RMT step generator, apart from the channel: which block is on the
// STEP line, how many of its pulses have started (emitted), how many are still pending for the
// application, and what an abort leaves counted. The RMT replays a block with µs accuracy, so
// time since the block's start says exactly where it is; "channel idle" from the driver only
// confirms the end. Pure, so the host tests drive it with any clock.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Tracks the step block being replayed by an RMT channel.</summary>
    public sealed class RmtBlockTracker
    {
        private readonly RmtStepBlockEncoder _encoder;
        private long _completedSteps;
        private long _blockStartMicros;
        private int _blockSteps;
        private int _blockIntervalMicros;
        private bool _active;

        /// <summary>Creates a tracker for blocks made by <paramref name="encoder"/>.</summary>
        public RmtBlockTracker(RmtStepBlockEncoder encoder)
        {
            if (encoder == null)
            {
                throw new System.ArgumentNullException("encoder");
            }

            _encoder = encoder;
        }

        /// <summary>True while a block is on the line (or its last interval is not over).</summary>
        public bool IsActive
        {
            get { return _active; }
        }

        /// <summary>Records that a block was handed to the channel at <paramref name="nowMicros"/>.</summary>
        /// <returns>false (nothing changes) while a block is active or when the block is invalid.</returns>
        public bool Start(int steps, int intervalMicros, long nowMicros)
        {
            if (_active || _encoder.ItemsFor(steps, intervalMicros) < 0)
            {
                return false;
            }

            _blockSteps = steps;
            _blockIntervalMicros = intervalMicros;
            _blockStartMicros = nowMicros;
            _active = true;
            return true;
        }

        /// <summary>Folds the block into the completed count once the channel is idle and its last
        /// interval is over.</summary>
        public void Update(long nowMicros, bool channelIdle)
        {
            if (_active && channelIdle && CompletedInBlock(nowMicros) == _blockSteps)
            {
                _completedSteps += _blockSteps;
                _active = false;
            }
        }

        /// <summary>Steps not yet complete: a step is pending until its pulse is over, the last one
        /// for a whole interval (so back-to-back blocks keep the spacing, and the driver, switched
        /// off when nothing is pending, stays on for one interval after the last pulse).</summary>
        public int PendingSteps(long nowMicros)
        {
            return _active ? _blockSteps - CompletedInBlock(nowMicros) : 0;
        }

        /// <summary>Steps whose pulse has started, since construction.</summary>
        public long EmittedSteps(long nowMicros)
        {
            if (!_active)
            {
                return _completedSteps;
            }

            return _completedSteps + RmtStepBlockEncoder.StepsStartedBy(nowMicros - _blockStartMicros, _blockSteps, _blockIntervalMicros);
        }

        /// <summary>The block was stopped at <paramref name="nowMicros"/> (the channel was torn
        /// down): the pulses already started stay counted, the rest are dropped.</summary>
        public void Abort(long nowMicros)
        {
            if (_active)
            {
                _completedSteps = EmittedSteps(nowMicros);
                _active = false;
            }
        }

        private int CompletedInBlock(long nowMicros)
        {
            return _encoder.StepsCompletedBy(nowMicros - _blockStartMicros, _blockSteps, _blockIntervalMicros, _blockIntervalMicros - _encoder.MinIntervalMicros);
        }
    }
}
