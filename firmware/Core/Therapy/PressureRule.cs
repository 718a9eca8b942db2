// Occlusion from pressure (issue 18). A blocked catheter does not stop the pump head: what the
// head pushes is held back in the compliance of the head and the catheter, and the line pressure
// rises by that volume over the compliance. Where the rig has a pressure sensor on an ADC pin
// (PumpHardware.Pressure), this rule samples it once a second, converts mV to mmHg with a
// two-number calibration (the sensor's output at 0 mmHg, and its slope), and asserts the
// occlusion cause when the MEDIAN of the last three samples reaches the limit:
//  - a single noisy reading (a spike, an ADC glitch) never moves a median of three, so it can
//    neither raise the alarm nor make a latched one look cleared;
//  - a real rise is seen at the second sample above the limit, within 2 s of the crossing.
// An unreadable sensor fails closed: three failed reads in a row assert the cause too (the pump
// cannot tell that the line is open), so OCCLUSION stops delivery until the sensor reads again,
// the pressure is below the limit and the alarm is acknowledged (PRESSURE? says sensor=FAULT).
// The controller keeps the alarm's latch (TherapyController.SetInputs); this rule only answers
// "is the cause present now". Calibration and limit persist (state section 6); the samples do not:
// after a reset the filter fills afresh and, until it has, the cause the controller persisted stands.
// No clock is read (the caller passes the device timeline), no allocation after construction.
using PumpFirmware.Hal;
using PumpFirmware.Storage;

namespace PumpFirmware.Therapy
{
    /// <summary>The pressure occlusion rule: sensor mV to mmHg, a median-of-three filter, a programmable limit.
    /// Pressures are in thousandths of mmHg (<c>MilliMmHg</c>), voltages in mV, slopes in µV per mmHg.</summary>
    public sealed class PressureRule : IStateSection
    {
        /// <summary>Tag of the rule's state section (calibration and limit).</summary>
        public const int SectionTagValue = 6;

        /// <summary>Version byte of the section's layout.</summary>
        public const int SectionVersion = 1;

        /// <summary>Bytes the section writes (version, zero, slope, limit).</summary>
        public const int SectionLength = 1 + 4 + 8 + 8;

        /// <summary>Time between two samples, µs (1 s).</summary>
        public const long SampleIntervalMicros = 1000000L;

        /// <summary>Samples in the median filter.</summary>
        public const int FilterLength = 3;

        /// <summary>Failed reads in a row that make the sensor a fault (fail closed).</summary>
        public const int FaultReads = 3;

        /// <summary>Limit of a fresh pump, thousandths of mmHg (300 mmHg; assumed, see docs/BENCH.md).</summary>
        public const long DefaultLimitMilliMmHg = 300000L;

        /// <summary>Sensor output at 0 mmHg of a fresh pump, mV (the bench sensor of docs/BENCH.md).</summary>
        public const int DefaultZeroMillivolts = 200;

        /// <summary>Sensor slope of a fresh pump, µV per mmHg (2 mV/mmHg: 0 to 1000 mmHg is 200 to 2200 mV).</summary>
        public const long DefaultMicrovoltsPerMmHg = 2000L;

        /// <summary>Smallest and largest limit PRESSURE:LIMIT accepts, thousandths of mmHg (10 to 2000 mmHg).</summary>
        public const long MinLimitMilliMmHg = 10000L, MaxLimitMilliMmHg = 2000000L;

        /// <summary>Largest sensor zero PRESSURE:CAL accepts, mV.</summary>
        public const int MaxZeroMillivolts = 5000;

        /// <summary>Smallest and largest slope PRESSURE:CAL accepts, µV per mmHg (0.001 to 1000 mV/mmHg).</summary>
        public const long MinMicrovoltsPerMmHg = 1L, MaxMicrovoltsPerMmHg = 1000000L;

        private readonly int[] _samples = new int[FilterLength]; // mV: the slope is positive, so the median of the
        // voltages converts to the median of the pressures, and a recalibration needs no new samples.
        private int _count;
        private int _nextSlot;
        private int _failedReads;
        private int _lastMillivolts;
        private long _nextSampleMicros;

        private int _zeroMillivolts = DefaultZeroMillivolts;
        private long _microvoltsPerMmHg = DefaultMicrovoltsPerMmHg;
        private long _limitMilliMmHg = DefaultLimitMilliMmHg;

        /// <inheritdoc/>
        public int SectionTag { get { return SectionTagValue; } }

        /// <inheritdoc/>
        public int SectionBytes { get { return SectionLength; } }

        /// <summary>Device-timeline µs of the next sample (0 before the first: sample at once).</summary>
        public long NextSampleMicros { get { return _nextSampleMicros; } }

        /// <summary>The occlusion limit, thousandths of mmHg.</summary>
        public long LimitMilliMmHg { get { return _limitMilliMmHg; } }

        /// <summary>Sensor output at 0 mmHg, mV.</summary>
        public int ZeroMillivolts { get { return _zeroMillivolts; } }

        /// <summary>Sensor slope, µV per mmHg.</summary>
        public long MicrovoltsPerMmHg { get { return _microvoltsPerMmHg; } }

        /// <summary>True once the filter holds <see cref="FilterLength"/> samples, or the sensor is a fault: the
        /// cause is then this rule's to say.</summary>
        public bool Ready { get { return _count >= FilterLength || SensorFault; } }

        /// <summary>True after <see cref="FaultReads"/> failed reads in a row (until the next good one).</summary>
        public bool SensorFault { get { return _failedReads >= FaultReads; } }

        /// <summary>True when a reading was taken since boot.</summary>
        public bool HasReading { get { return _count > 0; } }

        /// <summary>The last good reading, mV.</summary>
        public int LastMillivolts { get { return _lastMillivolts; } }

        /// <summary>The last good sample, thousandths of mmHg (0 before any).</summary>
        public long LastMilliMmHg
        {
            get { return _count == 0 ? 0 : ToMilliMmHg(_lastMillivolts, _zeroMillivolts, _microvoltsPerMmHg); }
        }

        /// <summary>The filtered pressure, thousandths of mmHg: the median of the last three samples (the last
        /// sample while fewer were taken).</summary>
        public long FilteredMilliMmHg
        {
            get
            {
                if (_count < FilterLength) return LastMilliMmHg;
                int a = _samples[0], b = _samples[1], c = _samples[2];
                int lo = a < b ? a : b;
                int hi = a < b ? b : a;
                int mid = hi < c ? hi : c;
                return ToMilliMmHg(lo > mid ? lo : mid, _zeroMillivolts, _microvoltsPerMmHg);
            }
        }

        /// <summary>The occlusion cause: the sensor is a fault, or the filtered pressure is at or above the limit.
        /// Meaningful once <see cref="Ready"/>.</summary>
        public bool CauseAsserted
        {
            get { return SensorFault || (_count >= FilterLength && FilteredMilliMmHg >= _limitMilliMmHg); }
        }

        /// <summary>True when a sample is due at <paramref name="nowMicros"/>.</summary>
        public bool IsDue(long nowMicros)
        {
            return nowMicros >= _nextSampleMicros;
        }

        /// <summary>Takes one sample when one is due (else does nothing); the next is due one interval later.</summary>
        /// <param name="input">The sensor.</param>
        /// <param name="nowMicros">Device timeline, µs.</param>
        /// <returns>True when a sample was taken (read or failed).</returns>
        public bool Sample(IAnalogInput input, long nowMicros)
        {
            if (nowMicros < _nextSampleMicros) return false;
            _nextSampleMicros = nowMicros + SampleIntervalMicros;
            int millivolts;
            if (!input.TryReadMillivolts(out millivolts))
            {
                if (_failedReads < FaultReads) _failedReads++;
                return true;
            }
            _failedReads = 0;
            _lastMillivolts = millivolts;
            _samples[_nextSlot] = millivolts;
            _nextSlot = (_nextSlot + 1) % FilterLength;
            if (_count < FilterLength) _count++;
            return true;
        }

        /// <summary>Converts a sensor voltage to pressure: (mV - zero) / slope, in thousandths of mmHg, truncated
        /// toward zero (negative below the zero: a sensor reading under its offset).</summary>
        public static long ToMilliMmHg(int millivolts, int zeroMillivolts, long microvoltsPerMmHg)
        {
            // (mV - zero) x 1000 µV/mV / (µV/mmHg) = mmHg; x 1000 for thousandths. |mV - zero| < 2^31, so no overflow.
            return ((long)millivolts - zeroMillivolts) * 1000000L / microvoltsPerMmHg;
        }

        /// <summary>Sets the calibration (PRESSURE:CAL); the caller has checked the ranges. The filter keeps its
        /// samples (they are voltages) and reads them through the new calibration at once.</summary>
        public void SetCalibration(int zeroMillivolts, long microvoltsPerMmHg)
        {
            _zeroMillivolts = zeroMillivolts;
            _microvoltsPerMmHg = microvoltsPerMmHg;
        }

        /// <summary>Sets the limit (PRESSURE:LIMIT), thousandths of mmHg; the caller has checked the range.</summary>
        public void SetLimit(long limitMilliMmHg)
        {
            _limitMilliMmHg = limitMilliMmHg;
        }

        /// <summary>Writes the section: version, zero mV, slope µV/mmHg, limit (fixed width, <see cref="SectionLength"/>).</summary>
        public void SaveSection(StateWriter writer)
        {
            writer.WriteByte(SectionVersion);
            writer.WriteInt(_zeroMillivolts);
            writer.WriteLong(_microvoltsPerMmHg);
            writer.WriteLong(_limitMilliMmHg);
        }

        /// <summary>Reads what <see cref="SaveSection"/> wrote, checking every field; false (nothing changed) when a
        /// field is out of range or the length is not <see cref="SectionLength"/>.</summary>
        public bool LoadSection(StateReader reader, int length)
        {
            if (length != SectionLength) return false;
            int version = reader.ReadByte();
            int zero = reader.ReadInt();
            long slope = reader.ReadLong();
            long limit = reader.ReadLong();
            if (reader.Failed || version != SectionVersion) return false;
            if (zero < 0 || zero > MaxZeroMillivolts) return false;
            if (slope < MinMicrovoltsPerMmHg || slope > MaxMicrovoltsPerMmHg) return false;
            if (limit < MinLimitMilliMmHg || limit > MaxLimitMilliMmHg) return false;
            _zeroMillivolts = zero;
            _microvoltsPerMmHg = slope;
            _limitMilliMmHg = limit;
            return true;
        }

        /// <summary>The state of an image without this section (a fresh pump, or older firmware): the defaults.</summary>
        public void ClearSection()
        {
            _zeroMillivolts = DefaultZeroMillivolts;
            _microvoltsPerMmHg = DefaultMicrovoltsPerMmHg;
            _limitMilliMmHg = DefaultLimitMilliMmHg;
        }
    }
}
