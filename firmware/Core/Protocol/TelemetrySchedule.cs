// When the next !TEL line is due. Telemetry is off after every reset and its seq restarts at
// 1 (PROTOCOL.md), so nothing here is persisted. seq keeps counting when TEL is changed
// within a boot, so that a logger can always detect a lost line by a gap.
namespace PumpFirmware.Protocol
{
    /// <summary>The telemetry period, next due time and line sequence number.</summary>
    public sealed class TelemetrySchedule
    {
        /// <summary>The longest period, s.</summary>
        public const int MaxPeriodSeconds = 3600;

        private long _periodMicros;
        private long _nextDueMicros = long.MaxValue;
        private long _nextSeq = 1;

        /// <summary>The period in seconds; 0 = off.</summary>
        public int PeriodSeconds { get { return (int)(_periodMicros / 1000000); } }

        /// <summary>Device-timeline µs of the next line; long.MaxValue when off.</summary>
        public long NextDueMicros { get { return _nextDueMicros; } }

        /// <summary>The seq the next line gets (1 after boot).</summary>
        public long NextSeq { get { return _nextSeq; } }

        /// <summary>Sets the period (0 = off, 1..3600 s). The first line is due one period from now.</summary>
        public void SetPeriod(int periodSeconds, long nowMicros)
        {
            _periodMicros = periodSeconds * 1000000L;
            _nextDueMicros = periodSeconds == 0 ? long.MaxValue : nowMicros + _periodMicros;
        }

        /// <summary>True when a line is due at <paramref name="nowMicros"/>.</summary>
        public bool IsDue(long nowMicros)
        {
            return nowMicros >= _nextDueMicros;
        }

        /// <summary>Takes the seq for a line sent now and schedules the next one. If the caller was
        /// late by more than a period, the missed lines are skipped (keeping the phase), never sent
        /// in a burst.</summary>
        public long TakeSeq(long nowMicros)
        {
            long seq = _nextSeq++;
            if (_periodMicros > 0)
            {
                _nextDueMicros += _periodMicros;
                if (_nextDueMicros <= nowMicros)
                {
                    long behind = nowMicros - _nextDueMicros;
                    _nextDueMicros += (behind / _periodMicros + 1) * _periodMicros;
                }
            }
            return seq;
        }
    }
}
