// Time across resets (PROTOCOL.md, time; docs/ARCHITECTURE.md "Time"). The device timeline
// counts time spent off, so lockouts, the PTM history and the 24 h window count it too; only
// delivery never makes up for it. The off-time comes from the battery-backed counter: the
// image records the timeline and the counter's reading at the last change, and the boot adds
// the counter's advance since then.
//
// Off-time is counted down, never up: a reading of a whole-seconds counter says only that the
// true value lies within that second, so the image keeps the highest value the counter may have
// had at the change and the boot takes the lowest it may have now. A lockout or window is then
// never shortened by a reset, and the timeline (and the wall clock) lags the truth by less than
// two of the counter's ticks per reset (none for a counter read in µs).
//
// Where off-time is unknown (no trustworthy counter now or at the change, or one that went back
// since) it counts as 0: the timeline resumes from the last persisted instant (never earlier),
// delivery resumes at once by the clock as it stands, !BOOT says offtime=UNKNOWN and the wall
// clock is no longer vouched for (TIME? set=NO) until the next TIME.
using PumpFirmware.Hal;
using PumpFirmware.Storage;

namespace PumpFirmware.App
{
    /// <summary>The device timeline's place across resets: what the image records and what a boot derives from it.</summary>
    public sealed class ResetTimeline
    {
        private const long MicrosPerSecond = 1000000L;

        // As of the last change (what the next image records).
        private long _changeTimelineMicros;
        private bool _changeCounterValid;
        private long _changeCounterFloorMicros;
        private long _changeCounterCeilMicros;

        // As restored from the image (what the boot starts from).
        private long _savedTimelineMicros;
        private bool _savedCounterValid;
        private long _savedCounterFloorMicros;
        private long _savedCounterCeilMicros;

        // The counter RecordChange last read, and the same as IFineOffTimeClock (null when it reads whole seconds only).
        private IOffTimeClock _counter;
        private IFineOffTimeClock _fineCounter;

        private bool _wallClockUnconfirmed;
        private bool _offTimeUnknown;
        private long _offTimeMicros;

        /// <summary>True when the last boot could not know how long the pump was off (a restored pump whose counter
        /// was untrustworthy at the last change or now, or read less than then).</summary>
        public bool OffTimeUnknown { get { return _offTimeUnknown; } }

        /// <summary>Off-time the last boot counted, µs (0 when unknown).</summary>
        public long OffTimeMicros { get { return _offTimeMicros; } }

        /// <summary>True after a boot with unknown off-time, until the next TIME: the wall clock runs on from where
        /// it stood, but is not vouched for (<c>TIME?</c> says <c>set=NO</c>). Persisted.</summary>
        public bool WallClockUnconfirmed { get { return _wallClockUnconfirmed; } }

        /// <summary>The timeline of the last change, µs (what the image records).</summary>
        public long ChangeTimelineMicros { get { return _changeTimelineMicros; } }

        /// <summary>TIME set the wall clock: it is vouched for again.</summary>
        public void ConfirmWallClock()
        {
            _wallClockUnconfirmed = false;
        }

        /// <summary>Records the timeline and the counter at a change (the instant the next image stands for).</summary>
        public void RecordChange(long timelineMicros, IOffTimeClock counter)
        {
            _changeTimelineMicros = timelineMicros;
            // The main loop records a change on every pass while delivered steps wait for their commit (two passes a
            // step): the counter's fine interface is looked up once per counter, not by a type test on every pass.
            if (counter != _counter)
            {
                _counter = counter;
                _fineCounter = counter as IFineOffTimeClock;
            }
            _changeCounterValid = TryRead(counter, _fineCounter, out _changeCounterFloorMicros, out _changeCounterCeilMicros);
            if (!_changeCounterValid)
            {
                _changeCounterFloorMicros = 0;
                _changeCounterCeilMicros = 0;
            }
        }

        /// <summary>Places the timeline at a boot: the device-timeline instant of <paramref name="uptimeMicros"/>.</summary>
        /// <param name="counter">The battery-backed counter.</param>
        /// <param name="uptimeMicros">The monotonic clock now (µs since this power-on).</param>
        /// <param name="restored">True when an image was restored (a fresh or CRITICAL pump has nothing to be off from).</param>
        /// <returns>The device timeline now, µs: never earlier than the restored instant plus the uptime.</returns>
        public long Boot(IOffTimeClock counter, long uptimeMicros, bool restored)
        {
            _offTimeUnknown = false;
            _offTimeMicros = 0;
            long elapsed = 0;
            long floor = 0;
            long ceil;
            if (restored)
            {
                bool known = _savedCounterValid && TryRead(counter, counter as IFineOffTimeClock, out floor, out ceil) && floor >= _savedCounterFloorMicros;
                if (known)
                {
                    // The counter's advance since the change, counted down: its lowest value now minus its highest then.
                    elapsed = floor - _savedCounterCeilMicros;
                    if (elapsed < 0) elapsed = 0;
                }
                else
                {
                    _offTimeUnknown = true;
                    _wallClockUnconfirmed = true;
                }
            }
            long timeline = _savedTimelineMicros + elapsed;
            if (timeline < _savedTimelineMicros + uptimeMicros) timeline = _savedTimelineMicros + uptimeMicros;
            // Off-time proper: what the counter added beyond the time this power-on has been up.
            _offTimeMicros = timeline - _savedTimelineMicros - uptimeMicros;
            return timeline;
        }

        /// <summary>Writes the layout of version 2: timeline, counter validity, floor and ceiling (µs), wall clock vouched.</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteLong(_changeTimelineMicros);
            writer.WriteBool(_changeCounterValid);
            writer.WriteLong(_changeCounterFloorMicros);
            writer.WriteLong(_changeCounterCeilMicros);
            writer.WriteBool(_wallClockUnconfirmed);
        }

        /// <summary>Reads what <see cref="Save"/> wrote (version 2).</summary>
        /// <returns>false on a malformed record (the reader is marked failed).</returns>
        public bool Load(StateReader reader)
        {
            long timeline = reader.ReadLong();
            bool valid = reader.ReadBool();
            long floor = reader.ReadLong();
            long ceil = reader.ReadLong();
            bool unconfirmed = reader.ReadBool();
            if (reader.Failed || timeline < 0 || (valid ? floor < 0 || ceil < floor : floor != 0 || ceil != 0))
            {
                reader.Fail();
                return false;
            }
            Apply(timeline, valid, floor, ceil, unconfirmed);
            return true;
        }

        /// <summary>Reads the layout of version 1 (timeline, counter validity, whole seconds).</summary>
        public bool LoadVersion1(StateReader reader)
        {
            long timeline = reader.ReadLong();
            bool valid = reader.ReadBool();
            long seconds = reader.ReadLong();
            if (reader.Failed || timeline < 0 || seconds < 0)
            {
                reader.Fail();
                return false;
            }
            // A whole-seconds reading: the counter was somewhere within that second.
            Apply(timeline, valid, valid ? seconds * MicrosPerSecond : 0, valid ? (seconds + 1) * MicrosPerSecond : 0, false);
            return true;
        }

        private void Apply(long timeline, bool valid, long floor, long ceil, bool unconfirmed)
        {
            _savedTimelineMicros = timeline;
            _savedCounterValid = valid;
            _savedCounterFloorMicros = floor;
            _savedCounterCeilMicros = ceil;
            // Until the next change the image stands as restored (a rollback restores it too).
            _changeTimelineMicros = timeline;
            _changeCounterValid = valid;
            _changeCounterFloorMicros = floor;
            _changeCounterCeilMicros = ceil;
            _wallClockUnconfirmed = unconfirmed;
        }

        // The counter's reading as the interval its true value lies in, µs: exact for a counter read in µs,
        // [s, s + 1 s) for a whole-seconds counter.
        private static bool TryRead(IOffTimeClock counter, IFineOffTimeClock fine, out long floorMicros, out long ceilMicros)
        {
            floorMicros = 0;
            ceilMicros = 0;
            if (counter == null) return false;
            if (fine != null)
            {
                long micros;
                if (!fine.TryReadMicros(out micros) || micros < 0) return false;
                floorMicros = micros;
                ceilMicros = micros;
                return true;
            }
            long seconds;
            if (!counter.TryReadSeconds(out seconds) || seconds < 0) return false;
            floorMicros = seconds * MicrosPerSecond;
            ceilMicros = floorMicros + MicrosPerSecond;
            return true;
        }
    }
}
