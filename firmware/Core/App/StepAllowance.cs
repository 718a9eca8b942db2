// How many delivered steps may go unrecorded at a power loss (PROTOCOL.md, the loss bound: at
// most 1 µL, or one motor step where a step is larger). Steps are committed in batches, not one
// by one, so the image names an allowance: the steps that may be counted past its own count
// before the next commit. The application never counts a step beyond it without committing
// first, so a power loss (even one that cuts the commit in flight, or the ESP32's step block in
// flight) takes at most that many steps from the counters; and a boot charges the 24 h window
// with the allowance of the image it restored, which is 0 when the motor was not running, so a
// boot never charges phantom drug.
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    /// <summary>The unrecorded-steps allowance of the last durable image.</summary>
    public sealed class StepAllowance
    {
        private const long NanolitersPerMicroliter = 1000L;
        private const long NanolitersPerMilliliter = 1000000L;

        private long _persistedSteps;
        private int _persistedAllowance;
        private int _restoredAllowance = -1;
        private long _imageSteps;
        private int _imageAllowance;

        /// <summary>Steps of at most 1 µL at <paramref name="stepsPerMl"/>, or 1 where one step is larger.</summary>
        public static int BoundSteps(long stepsPerMl)
        {
            long steps = stepsPerMl * NanolitersPerMicroliter / NanolitersPerMilliliter;
            return steps < 1 ? 1 : (int)steps;
        }

        /// <summary>The allowance an image written now names: the bound while the motor may run (the engine's rate
        /// is not 0, or a step is due), else 0.</summary>
        public static int For(TherapyController controller, bool stepDue)
        {
            return MotorMayRun(controller, stepDue) ? BoundSteps(controller.StepsPerMl) : 0;
        }

        /// <summary>True where <see cref="For"/> names the bound, false where it names 0 (the bound is at least 1):
        /// the main loop's test at every pass, without the bound's division.</summary>
        public static bool MotorMayRun(TherapyController controller, bool stepDue)
        {
            return controller.RateQ32StepsPerDay > 0 || stepDue;
        }

        /// <summary>Lifetime steps the last durable image counts.</summary>
        public long PersistedSteps { get { return _persistedSteps; } }

        /// <summary>The allowance the last durable image names, steps.</summary>
        public int PersistedAllowance { get { return _persistedAllowance; } }

        /// <summary>The allowance of the image restored at boot, steps; -1 for an image of layout 1, which named none
        /// (the caller's bound is charged for it, as that firmware did).</summary>
        public int RestoredAllowance { get { return _restoredAllowance; } }

        /// <summary>Steps that may still be counted before a commit is due (may be negative after a failed commit).</summary>
        public long Room(long totalSteps)
        {
            return _persistedAllowance - (totalSteps - _persistedSteps);
        }

        /// <summary>An image counting <paramref name="totalSteps"/> and naming <paramref name="allowance"/> is being written.</summary>
        public void ImageWritten(long totalSteps, int allowance)
        {
            _imageSteps = totalSteps;
            _imageAllowance = allowance;
        }

        /// <summary>The image last written is durable.</summary>
        public void Committed()
        {
            _persistedSteps = _imageSteps;
            _persistedAllowance = _imageAllowance;
        }

        /// <summary>An image was restored (before boot): it counts <paramref name="totalSteps"/> and names
        /// <paramref name="allowance"/> (-1: layout 1, none named).</summary>
        public void Restored(long totalSteps, int allowance, int bound)
        {
            _persistedSteps = totalSteps;
            _restoredAllowance = allowance;
            _persistedAllowance = allowance < 0 ? bound : allowance;
            _imageSteps = _persistedSteps;
            _imageAllowance = _persistedAllowance;
        }

        /// <summary>Steps a boot charges to the 24 h window: what the restored image allows for, at most
        /// <paramref name="callerBound"/> (an image of layout 1: the caller's bound).</summary>
        public int BootCharge(int callerBound)
        {
            if (callerBound <= 0) return 0;
            if (_restoredAllowance < 0) return callerBound;
            return _restoredAllowance < callerBound ? _restoredAllowance : callerBound;
        }
    }
}
