// When a step held back by the 24 h ceiling (DOSE_LIMIT) must be stored. DOSE_LIMIT clears 10
// minutes after the last held-back step, and across a reset it must never clear sooner. Storing
// every held-back step did that at the cost of one commit per step (thousands in one episode).
// Instead the image names a held-back time up to a minute AHEAD of the real one (the controller's
// reserve): a held-back step at or before the reserve needs no commit, and one after it moves the
// reserve a minute on and is committed at once. So at most one commit a minute while steps are
// held back, and after a reset DOSE_LIMIT clears at least 10 minutes after the last held-back step
// and at most a minute (plus the reset's own time lag) later than it would have without the reset.
// The held-back counts in the image may lag by that minute's steps; the 24 h window is untouched
// (a held-back step is never delivered, so the window never counts it).
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    /// <summary>The rule for storing held-back steps: ahead of them, at most once a minute.</summary>
    public static class HeldStepSaves
    {
        /// <summary>How far ahead of a held-back step the image's held-back time is set, µs (one minute): the most
        /// DOSE_LIMIT may clear late after a reset, and the least time between two commits for held-back steps.</summary>
        public const long ReserveMicros = 60000000L;

        /// <summary>Called after the therapy advanced: true when a step was held back after the time the durable image
        /// names, in which case the image's time is moved <see cref="ReserveMicros"/> past it and the caller must
        /// commit (the change is then as durable as any other: a commit that fails is retried).</summary>
        public static bool SaveDue(TherapyController controller)
        {
            long last = controller.LastHeldMicros;
            if (last <= controller.HeldReserveMicros) return false;
            controller.ReserveHeldUntil(last + ReserveMicros);
            return true;
        }
    }
}
