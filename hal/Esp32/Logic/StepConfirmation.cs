// Stall detection on a stepper: the core compares the steps it commanded with the steps the
// mechanism confirms. A STEP/DIR driver reports nothing per step; what it can report is a
// fault (DRV8825 nFAULT, TMC2209 DIAG). So steps count as confirmed while the fault line is
// quiet, and stop counting the moment it asserts: the core then sees commanded steps go
// unconfirmed and raises STALL. Steps emitted during a fault are lost for good (the count
// resumes from where it froze), because nobody knows whether the rotor followed them.
// A driver with no fault line (A4988) confirms every emitted step: it cannot detect a stall.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Turns "steps emitted" plus a fault line into "steps confirmed".</summary>
    public sealed class StepConfirmation
    {
        private long _lostSteps;
        private long _lastEmitted;
        private long _confirmed;

        /// <summary>Steps confirmed since boot; never decreases.</summary>
        public long ConfirmedSteps
        {
            get { return _confirmed; }
        }

        /// <summary>Steps emitted while the fault line was asserted.</summary>
        public long LostSteps
        {
            get { return _lostSteps; }
        }

        /// <summary>Feeds the emitted total and the fault line as seen now.</summary>
        /// <param name="emittedTotal">Steps emitted since boot (never decreasing).</param>
        /// <param name="faultAsserted">True while the driver reports a fault.</param>
        /// <returns>The confirmed total after this observation.</returns>
        public long Observe(long emittedTotal, bool faultAsserted)
        {
            long delta = emittedTotal - _lastEmitted;
            if (delta < 0)
            {
                delta = 0;
            }

            _lastEmitted = emittedTotal > _lastEmitted ? emittedTotal : _lastEmitted;
            if (faultAsserted)
            {
                _lostSteps += delta;
            }
            else
            {
                _confirmed += delta;
            }

            return _confirmed;
        }
    }
}
