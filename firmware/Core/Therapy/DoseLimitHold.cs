// The steps the rolling 24 h ceiling held back (PROTOCOL.md, DOSE_LIMIT). A step that would take the
// window over the limit is not delivered and never made up; the first one of an episode raises
// DOSE_LIMIT (the controller does that, it owns the alarms), which clears 10 minutes after the last
// one, and the episode's count goes into the log record of the clearing. The total counts every
// held-back step since the pump was first started.
//
// The state image names the last held-back time, or a later time up to a minute ahead of it (the
// reserve App/HeldStepSaves sets), so that an image need not be stored for every held-back step and
// DOSE_LIMIT still never clears early after a reset: a load takes the stored time as both.
namespace PumpFirmware.Therapy
{
    /// <summary>Held-back steps and DOSE_LIMIT's clearing time. Times are device-timeline µs.</summary>
    public sealed class DoseLimitHold
    {
        /// <summary>DOSE_LIMIT clears this long after the last held-back step, µs (10 min).</summary>
        public const long ClearAfterMicros = 600000000L;

        private long _lastMicros;
        private long _reserveMicros;
        private long _inEpisode;
        private long _total;

        /// <summary>Due time of the last held-back step, µs (0 before the first).</summary>
        public long LastMicros { get { return _lastMicros; } }

        /// <summary>When DOSE_LIMIT clears if no further step is held back, µs.</summary>
        public long ClearsAtMicros { get { return _lastMicros + ClearAfterMicros; } }

        /// <summary>The reserve the image names when later than <see cref="LastMicros"/>, µs (see
        /// <see cref="ReserveUntil"/>).</summary>
        public long ReserveMicros { get { return _reserveMicros; } }

        /// <summary>The held-back time the state image stores, µs: the later of <see cref="LastMicros"/> and
        /// <see cref="ReserveMicros"/>.</summary>
        public long SavedLastMicros { get { return _reserveMicros > _lastMicros ? _reserveMicros : _lastMicros; } }

        /// <summary>Steps held back since DOSE_LIMIT was last raised.</summary>
        public long InEpisode { get { return _inEpisode; } }

        /// <summary>Steps held back since the pump was first started.</summary>
        public long Total { get { return _total; } }

        /// <summary>Counts a step held back at its due time <paramref name="dueMicros"/>, µs. No allocation.</summary>
        public void Hold(long dueMicros)
        {
            _inEpisode++;
            _total++;
            _lastMicros = dueMicros;
        }

        /// <summary>DOSE_LIMIT cleared: returns the episode's count and starts the next episode at 0.</summary>
        public long EndEpisode()
        {
            long held = _inEpisode;
            _inEpisode = 0;
            return held;
        }

        /// <summary>Makes the image name <paramref name="micros"/> as the last held-back time while it is later than the
        /// real one (App/HeldStepSaves: at most one commit a minute while steps are held back).</summary>
        public void ReserveUntil(long micros)
        {
            _reserveMicros = micros;
        }

        /// <summary>Puts back a loaded image's fields: the stored held-back time (as the last one and the reserve), µs,
        /// and the two counts.</summary>
        public void Restore(long lastMicros, long inEpisode, long total)
        {
            _lastMicros = lastMicros;
            _reserveMicros = lastMicros;
            _inEpisode = inEpisode;
            _total = total;
        }
    }
}
