// The two divisions of every delivered step, by the calibration (steps/mL): a step's volume (10^6 nL and the carried
// remainder over the steps per mL) and its drug for the 24 h window (the concentration's fg over the steps per mL,
// rounded up). Both divide by a number that changes only at CAL or a load, and the drug's numerator only with the
// program, so the quotients are kept and recomputed when an input differs from the one they were computed for: the
// same results as the divisions, without two 64-bit divisions per step (a library call on the ESP32's 32-bit core).
namespace PumpFirmware.Therapy
{
    /// <summary>The per-step volume and drug quotients of <see cref="TherapyController"/>, kept while their divisor and
    /// dividend stay the same. Every answer equals the division it replaces, for any input.</summary>
    public sealed class StepQuotients
    {
        private const long NlPerMl = 1000000L;
        private const long FgPerNg = 1000000L;

        // 10^6 nL divided by _nlStepsPerMl (0 until the first call: no calibration is 0).
        private long _nlStepsPerMl;
        private long _nlQuotient;
        private long _nlRemainder;
        private bool _nlCarries;

        // ceil(_fgConc x 10^6 / _fgStepsPerMl), valid once computed.
        private bool _fgValid;
        private long _fgStepsPerMl;
        private long _fgConc;
        private long _fgPerStep;

        /// <summary>The volume of the next step, nL: floor((<paramref name="remainder"/> + 10^6) / <paramref name="stepsPerMl"/>).</summary>
        /// <param name="remainder">The volume remainder carried from the previous step, nL x steps/mL.</param>
        /// <param name="stepsPerMl">The calibration, steps/mL.</param>
        /// <param name="newRemainder">(<paramref name="remainder"/> + 10^6) mod <paramref name="stepsPerMl"/> (C#'s %).</param>
        public long StepNanoliters(long remainder, long stepsPerMl, out long newRemainder)
        {
            if (stepsPerMl != _nlStepsPerMl)
            {
                _nlStepsPerMl = stepsPerMl;
                _nlQuotient = NlPerMl / stepsPerMl;
                _nlRemainder = NlPerMl % stepsPerMl;
                // Where the carried sum (below 2 x S) cannot overflow.
                _nlCarries = stepsPerMl > 0 && stepsPerMl <= long.MaxValue / 2;
            }
            if (_nlCarries && remainder >= 0 && remainder < stepsPerMl)
            {
                // remainder + 10^6 = remainder + q x S + r with both remainders in [0, S): one carry at most.
                long r = remainder + _nlRemainder;
                if (r >= stepsPerMl)
                {
                    newRemainder = r - stepsPerMl;
                    return _nlQuotient + 1;
                }
                newRemainder = r;
                return _nlQuotient;
            }
            // A remainder out of range (never carried by the controller, but a stored one is not trusted here): divide.
            long sum = remainder + NlPerMl;
            long quotient = sum / stepsPerMl;
            newRemainder = sum - quotient * stepsPerMl;
            return quotient;
        }

        /// <summary>One step's drug as the 24 h window counts it, fg: <paramref name="concNgPerMl"/> x 10^6 /
        /// <paramref name="stepsPerMl"/>, rounded up so the window never under-counts.</summary>
        public long FemtogramsPerStep(long concNgPerMl, long stepsPerMl)
        {
            if (!_fgValid || concNgPerMl != _fgConc || stepsPerMl != _fgStepsPerMl)
            {
                long numerator = concNgPerMl * FgPerNg;
                _fgPerStep = numerator / stepsPerMl + (numerator % stepsPerMl != 0 ? 1 : 0);
                _fgConc = concNgPerMl;
                _fgStepsPerMl = stepsPerMl;
                _fgValid = true;
            }
            return _fgPerStep;
        }
    }
}
