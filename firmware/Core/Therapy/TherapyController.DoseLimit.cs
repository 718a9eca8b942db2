// The rolling 24 h ceiling: the window's sum, the check a bolus or PTM must pass before it starts, the
// drug a step charges, and the steps DOSE_LIMIT held back (kept by DoseLimitHold; the step path and the
// 10 min timer that use them are in TherapyController.cs). Part of TherapyController.
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
        /// <summary>Drug counted in the rolling 24 h window at <paramref name="nowMicros"/>, ng, rounded up.</summary>
        public long WindowNg(long nowMicros)
        {
            long fg = _window.SumAt(nowMicros);
            return fg / FgPerNg + (fg % FgPerNg != 0 ? 1 : 0);
        }

        /// <summary>Device-timeline µs of the last step held back by the 24 h ceiling (DOSE_LIMIT clears 10 minutes later).</summary>
        public long LastHeldMicros { get { return _held.LastMicros; } }

        /// <summary>The held-back time the state image names when it is later than <see cref="LastHeldMicros"/>, µs:
        /// set ahead of the held-back steps (<see cref="App.HeldStepSaves"/>), so that an image need not be stored for
        /// each of them and DOSE_LIMIT still never clears early after a reset.</summary>
        public long HeldReserveMicros { get { return _held.ReserveMicros; } }

        /// <summary>Makes the image name <paramref name="micros"/> as the last held-back time while it is later than the
        /// real one (see <see cref="HeldReserveMicros"/>).</summary>
        public void ReserveHeldUntil(long micros)
        {
            _held.ReserveUntil(micros);
        }

        /// <summary>Steps held back by the 24 h ceiling since the pump was first started (not made up).</summary>
        public long HeldBackSteps { get { return _held.Total; } }

        private string WindowCheck(long doseNg, long nowMicros, string key)
        {
            long windowFg = _window.SumAt(nowMicros);
            long limitFg = _program.LimitNgPerDay * FgPerNg;
            if (doseNg * FgPerNg <= limitFg - windowFg) return null;
            return "window_ug=" + Fixed3.Format(WindowNg(nowMicros)) + " " + key + Fixed3.Format(doseNg)
                + " exceeds limit_ug_day=" + Fixed3.Format(_program.LimitNgPerDay);
        }
    }
}
