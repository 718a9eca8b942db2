// Exact step timing from a rate (docs/ARCHITECTURE.md "Exact delivery"). The rate is in Q32
// steps per day (2^32 sub-steps per step), rounded up by whoever builds it. Within a segment
// of constant rate the ideal position is anchorFrac + (t - anchor) * rate / day; the engine
// answers the one question the controller needs on the step path: when is the next whole step
// due? Segments re-anchor at every rate change (the fraction carried, rounded up) and every
// 24 h (exactly: a per-day rate times one day divides evenly), which keeps every product
// inside 128 bits and every position inside 63 bits for any time span. So the internal ideal
// never falls behind the true integral and runs ahead of it by less than one sub-step per
// segment: over 10 years that is far below one step, and issuing a step whenever the internal
// ideal crosses an integer keeps delivery within one step of the true integral, for ever.
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Dosing
{
    /// <summary>Integer step scheduler for a piecewise-constant rate in Q32 steps/day.</summary>
    public sealed class DeliveryEngine
    {
        /// <summary>µs in a day: the rate's time unit and the longest segment.</summary>
        public const long DayMicros = 86400000000L;

        /// <summary>Sub-steps per step (2^32).</summary>
        public const long OneStepQ32 = 4294967296L;

        private long _anchorMicros;
        private long _rateQ32PerDay;
        private long _anchorFracQ32;
        private long _consumedSinceAnchor;
        private long _nextMicros = long.MaxValue;
        private bool _nextIsStep;

        // The step path's division, carried from one step to the next: floor and remainder of need * day / rate for
        // the last need computed, and of one step's worth (2^32 * day / rate) for that rate. The next step's need is
        // one step more, so its quotient is the sum (one carry at most): the same result as a 128-bit MulDiv per step,
        // for two additions (the MulDiv was most of a step's cost, on the host and more so on the interpreter).
        private long _divRate;
        private bool _divStepFits;
        private long _divStepQuotient;
        private long _divStepRemainder;
        private long _divNeed = -1;
        private long _divQuotient;
        private long _divRemainder;

        /// <summary>The rate in force, Q32 steps/day.</summary>
        public long RateQ32PerDay { get { return _rateQ32PerDay; } }

        /// <summary>Start of the current segment, device-timeline µs.</summary>
        public long AnchorMicros { get { return _anchorMicros; } }

        /// <summary>When the engine needs attention next: the next step's due time (<see cref="NextIsStep"/>) or the
        /// 24 h re-anchor; long.MaxValue at rate 0.</summary>
        public long NextMicros { get { return _nextMicros; } }

        /// <summary>True if <see cref="NextMicros"/> is a step (else it is a re-anchor, see <see cref="Reanchor"/>).</summary>
        public bool NextIsStep { get { return _nextIsStep; } }

        /// <summary>Sub-steps of the ideal position not yet consumed as steps, at the anchor (for tests and diagnostics).</summary>
        public long AnchorFractionQ32 { get { return _anchorFracQ32 - _consumedSinceAnchor * OneStepQ32; } }

        /// <summary>Restarts the ideal at <paramref name="nowMicros"/> with no carried fraction (the one-step bound
        /// restarts: START, commit, boot). The rate is kept.</summary>
        public void Restart(long nowMicros)
        {
            _anchorMicros = nowMicros;
            _anchorFracQ32 = 0;
            _consumedSinceAnchor = 0;
            ComputeNext();
        }

        /// <summary>Changes the rate at <paramref name="atMicros"/> (not before the anchor), carrying the position
        /// (rounded up) so that nothing is lost or repeated.</summary>
        /// <param name="rateQ32PerDay">0..2^63-1 Q32 steps per day.</param>
        /// <param name="atMicros">Device timeline µs, &lt;= the next step's due time; an earlier time than the anchor is
        /// taken as the anchor (the change then applies from the anchor, never before it).</param>
        public void SetRate(long rateQ32PerDay, long atMicros)
        {
            if (rateQ32PerDay < 0) rateQ32PerDay = 0;
            if (rateQ32PerDay == _rateQ32PerDay && atMicros - _anchorMicros < DayMicros)
            {
                return;
            }
            Reanchor(atMicros);
            _rateQ32PerDay = rateQ32PerDay;
            ComputeNext();
        }

        /// <summary>Moves the anchor to <paramref name="atMicros"/>, carrying the ideal position rounded up. Called for
        /// the 24 h re-anchor when <see cref="NextMicros"/> is reached and <see cref="NextIsStep"/> is false.</summary>
        public void Reanchor(long atMicros)
        {
            // Never move the anchor back in time: that would owe (and deliver) the steps of an interval twice.
            if (atMicros < _anchorMicros) atMicros = _anchorMicros;
            long elapsed = atMicros - _anchorMicros;
            long position = _anchorFracQ32;
            if (_rateQ32PerDay > 0)
            {
                // Over a long pause the rate was 0; elapsed only exceeds a day at rate 0 or when the caller skipped
                // re-anchors, which the position formula handles exactly in whole days.
                while (elapsed > DayMicros)
                {
                    position += _rateQ32PerDay - _consumedSinceAnchor * OneStepQ32;
                    _consumedSinceAnchor = 0;
                    elapsed -= DayMicros;
                }
                position += WideMath.MulDivCeil(elapsed, _rateQ32PerDay, DayMicros);
            }
            _anchorFracQ32 = position - _consumedSinceAnchor * OneStepQ32;
            _consumedSinceAnchor = 0;
            _anchorMicros = atMicros;
            ComputeNext();
        }

        /// <summary>Re-anchors at <paramref name="atMicros"/> and rescales the carried fraction of a step by
        /// numerator/denominator (rounded up), for a calibration change: the part of a step already accrued keeps its
        /// volume, not its step count. Both factors 1..10^7.</summary>
        public void ScalePosition(long numerator, long denominator, long atMicros)
        {
            Reanchor(atMicros);
            _anchorFracQ32 = WideMath.MulDivCeil(_anchorFracQ32, numerator, denominator);
            ComputeNext();
        }

        /// <summary>Consumes the step due at <see cref="NextMicros"/> (issued or held back: either way it is no longer
        /// owed) and computes the next one. No allocation.</summary>
        public void ConsumeStep()
        {
            _consumedSinceAnchor++;
            ComputeNext();
        }

        /// <summary>Writes the engine's state.</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteLong(_anchorMicros);
            writer.WriteLong(_rateQ32PerDay);
            writer.WriteLong(_anchorFracQ32);
            writer.WriteLong(_consumedSinceAnchor);
        }

        /// <summary>Reads what <see cref="Save"/> wrote (the controller restarts the engine at boot anyway; kept for
        /// diagnostics and tests). Returns false on a bad record, engine unchanged.</summary>
        public bool Load(StateReader reader)
        {
            long anchor = reader.ReadLong();
            long rate = reader.ReadLong();
            long frac = reader.ReadLong();
            long consumed = reader.ReadLong();
            if (reader.Failed || rate < 0 || frac < 0 || consumed < 0)
            {
                reader.Fail();
                return false;
            }
            _anchorMicros = anchor;
            _rateQ32PerDay = rate;
            _anchorFracQ32 = frac;
            _consumedSinceAnchor = consumed;
            ComputeNext();
            return true;
        }

        // ceil(need * DayMicros / rate), 0 < need <= rate: exactly WideMath.MulDivCeil(need, DayMicros, rate).
        private long CeilNeedTime(long need)
        {
            long rate = _rateQ32PerDay;
            if (rate != _divRate)
            {
                _divRate = rate;
                _divNeed = -1;
                // The carried sum stays below 2 * rate: only where that cannot overflow, and one step's time fits.
                _divStepFits = rate <= long.MaxValue / 2 && WideMath.MulDivFits(OneStepQ32, DayMicros, rate);
                if (_divStepFits) _divStepQuotient = WideMath.MulDivFloor(OneStepQ32, DayMicros, rate, out _divStepRemainder);
            }
            if (_divStepFits && _divNeed >= 0 && need - _divNeed == OneStepQ32)
            {
                long quotient = _divQuotient + _divStepQuotient;
                long remainder = _divRemainder + _divStepRemainder;
                if (remainder >= rate)
                {
                    quotient++;
                    remainder -= rate;
                }
                _divQuotient = quotient;
                _divRemainder = remainder;
            }
            else
            {
                _divQuotient = WideMath.MulDivFloor(need, DayMicros, rate, out _divRemainder);
            }
            _divNeed = need;
            return _divRemainder != 0 ? _divQuotient + 1 : _divQuotient;
        }

        // CeilNeedTime's carry (the step after the last one computed, at the same rate), in a method that calls nothing:
        // the same quotient and remainder, or -1 (nothing changed) where the carry does not apply and CeilNeedTime decides.
        private long CarriedNeedTime(long need)
        {
            long rate = _rateQ32PerDay;
            if (rate != _divRate || !_divStepFits || _divNeed < 0 || need - _divNeed != OneStepQ32) return -1;
            long quotient = _divQuotient + _divStepQuotient;
            long remainder = _divRemainder + _divStepRemainder;
            if (remainder >= rate)
            {
                quotient++;
                remainder -= rate;
            }
            _divQuotient = quotient;
            _divRemainder = remainder;
            _divNeed = need;
            return remainder != 0 ? quotient + 1 : quotient;
        }

        private void ComputeNext()
        {
            if (_rateQ32PerDay <= 0)
            {
                _nextMicros = long.MaxValue;
                _nextIsStep = false;
                return;
            }
            long need = (_consumedSinceAnchor + 1) * OneStepQ32 - _anchorFracQ32;
            if (need <= 0)
            {
                _nextMicros = _anchorMicros;
                _nextIsStep = true;
            }
            else if (need > _rateQ32PerDay)
            {
                // More than a day away: re-anchor at the end of the day, then look again.
                _nextMicros = _anchorMicros + DayMicros;
                _nextIsStep = false;
            }
            else
            {
                long time = CarriedNeedTime(need);
                if (time < 0) time = CeilNeedTime(need);
                _nextMicros = _anchorMicros + time;
                _nextIsStep = true;
            }
        }
    }
}
