// The figures the battery gauge estimates with: how much charge the cell holds, what the pump
// draws while it runs, per motor step and per serial byte, how long before end of service the
// replacement indicator comes, and the cell's voltage curve. A profile is part of the hardware
// (PumpHardware.Battery): a pump powered from the mains has none, and then there is no gauge.
//
// Sources (docs/DEVICE.md "Battery"): Medtronic says a SynchroMed II lasts 5 to 7 years
// "depending on how much medicine you're programmed to receive each day", 7 at most, and that
// after the elective replacement indicator (ERI) it "will stop after 90 days". The figures below
// are chosen to reproduce that (7.1 years to end of service at zero flow, 5.2 years at 1 mL/day
// at the default 64000 steps/mL); the capacity, the baseline current, the charge per step and
// per byte and the voltage curve are ASSUMED, not published.
namespace PumpFirmware.Energy
{
    /// <summary>Battery figures (charge in nC = nA·s, current in nA, voltage in mV at the battery terminals).</summary>
    public sealed class BatteryProfile
    {
        /// <summary>nC in one mAh (3.6 C).</summary>
        public const long NanocoulombsPerMilliampHour = 3600000000L;

        /// <summary>µs in a day.</summary>
        public const long DayMicros = 86400000000L;

        private readonly long _capacityNc;
        private readonly long _baselineNa;
        private readonly long _stepNc;
        private readonly long _byteNc;
        private readonly int _eriNoticeDays;
        private readonly int[] _curveMillivolts;
        private readonly int[] _curvePermille;

        /// <summary>A profile. Throws ArgumentOutOfRangeException on figures the gauge cannot work with (a
        /// configuration bug, found at start-up).</summary>
        /// <param name="capacityNanocoulombs">Usable charge from a fresh cell to end of service, nC (1 mAh .. 100 Ah).</param>
        /// <param name="baselineNanoamps">Current drawn while the pump is on, whatever it does, nA (1 .. 1 A).</param>
        /// <param name="stepNanocoulombs">Charge of one motor step, nC (0 .. 1 C).</param>
        /// <param name="byteNanocoulombs">Charge of one serial byte sent or received, nC (0 .. 1 C).</param>
        /// <param name="eriNoticeDays">ERI is raised when the forecast says end of service is this many days away (1..3650).</param>
        /// <param name="curveMillivolts">Voltage curve, terminal mV, strictly descending (2..16 points), or null for none.</param>
        /// <param name="curvePermille">Charge left at each point, ‰ of the capacity, descending, 0..1000.</param>
        public BatteryProfile(long capacityNanocoulombs, long baselineNanoamps, long stepNanocoulombs, long byteNanocoulombs,
            int eriNoticeDays, int[] curveMillivolts, int[] curvePermille)
        {
            if (capacityNanocoulombs < NanocoulombsPerMilliampHour || capacityNanocoulombs > 100000L * NanocoulombsPerMilliampHour)
            {
                throw new System.ArgumentOutOfRangeException("capacityNanocoulombs");
            }
            if (baselineNanoamps < 1 || baselineNanoamps > 1000000000L) throw new System.ArgumentOutOfRangeException("baselineNanoamps");
            if (stepNanocoulombs < 0 || stepNanocoulombs > 1000000000L) throw new System.ArgumentOutOfRangeException("stepNanocoulombs");
            if (byteNanocoulombs < 0 || byteNanocoulombs > 1000000000L) throw new System.ArgumentOutOfRangeException("byteNanocoulombs");
            if (eriNoticeDays < 1 || eriNoticeDays > 3650) throw new System.ArgumentOutOfRangeException("eriNoticeDays");
            if (curveMillivolts != null)
            {
                if (curvePermille == null || curvePermille.Length != curveMillivolts.Length || curveMillivolts.Length < 2
                    || curveMillivolts.Length > 16)
                {
                    throw new System.ArgumentOutOfRangeException("curvePermille");
                }
                for (int i = 0; i < curveMillivolts.Length; i++)
                {
                    bool bad = curvePermille[i] < 0 || curvePermille[i] > 1000 || curveMillivolts[i] <= 0;
                    if (i > 0) bad |= curveMillivolts[i] >= curveMillivolts[i - 1] || curvePermille[i] > curvePermille[i - 1];
                    if (bad) throw new System.ArgumentOutOfRangeException("curveMillivolts");
                }
            }
            _capacityNc = capacityNanocoulombs;
            _baselineNa = baselineNanoamps;
            _stepNc = stepNanocoulombs;
            _byteNc = byteNanocoulombs;
            _eriNoticeDays = eriNoticeDays;
            _curveMillivolts = curveMillivolts;
            _curvePermille = curvePermille;
        }

        /// <summary>A SynchroMed II-class implant's budget (see the file header): 1000 mAh (assumed), 16 µA baseline
        /// (assumed), 8 µC per motor step (assumed), 100 nC per serial byte (assumed: about 1 mA for the 87 µs a byte
        /// takes at 115200 baud), ERI 90 days before end of service (Medtronic), and the curve of
        /// <see cref="LithiumPrimaryCurveMillivolts"/>.</summary>
        public static BatteryProfile SynchroMedClass()
        {
            return new BatteryProfile(1000L * NanocoulombsPerMilliampHour, 16000, 8000, 100, 90,
                LithiumPrimaryCurveMillivolts(), LithiumPrimaryCurvePermille());
        }

        /// <summary>The knee and the steep end of a 3.6 V lithium thionyl chloride primary cell's discharge curve
        /// (assumed shape): the terminal voltage is flat, 3.6 to 3.5 V, for the first 88 % of the charge and says nothing
        /// there; below 3.5 V it falls with the last 12 %. mV, pairs with <see cref="LithiumPrimaryCurvePermille"/>.</summary>
        public static int[] LithiumPrimaryCurveMillivolts()
        {
            return new int[] { 3500, 3400, 3300, 3100, 3000 };
        }

        /// <summary>Charge left at each point of <see cref="LithiumPrimaryCurveMillivolts"/>, ‰.</summary>
        public static int[] LithiumPrimaryCurvePermille()
        {
            return new int[] { 120, 60, 30, 10, 0 };
        }

        /// <summary>Usable charge of a fresh cell, down to end of service, nC.</summary>
        public long CapacityNanocoulombs { get { return _capacityNc; } }

        /// <summary>Current drawn whenever the pump is on, nA.</summary>
        public long BaselineNanoamps { get { return _baselineNa; } }

        /// <summary>Charge of one motor step, nC.</summary>
        public long StepNanocoulombs { get { return _stepNc; } }

        /// <summary>Charge of one serial byte (sent or received), nC.</summary>
        public long ByteNanocoulombs { get { return _byteNc; } }

        /// <summary>Days between ERI and the forecast end of service.</summary>
        public int EriNoticeDays { get { return _eriNoticeDays; } }

        /// <summary>True when the profile has a voltage curve (a voltage reading can then correct the estimate).</summary>
        public bool HasCurve { get { return _curveMillivolts != null; } }

        /// <summary>The most charge a cell at <paramref name="millivolts"/> can still hold, ‰ of the capacity, by the
        /// curve (linear between points, rounded up: the bound errs high, so a reading never lowers the estimate by
        /// more than it shows). At or above the curve's first point (the knee) a voltage says nothing: 1000; also without a
        /// curve.</summary>
        public int PermilleAtMost(int millivolts)
        {
            if (_curveMillivolts == null) return 1000;
            int n = _curveMillivolts.Length;
            // At the knee itself the cell may still be anywhere above it (a reading is rounded down to whole mV).
            if (millivolts >= _curveMillivolts[0]) return 1000;
            if (millivolts <= _curveMillivolts[n - 1]) return _curvePermille[n - 1];
            for (int i = 1; i < n; i++)
            {
                if (millivolts < _curveMillivolts[i]) continue;
                int v0 = _curveMillivolts[i];
                int v1 = _curveMillivolts[i - 1];
                int p0 = _curvePermille[i];
                int p1 = _curvePermille[i - 1];
                int span = v1 - v0;
                int numerator = (millivolts - v0) * (p1 - p0);
                return p0 + (numerator + span - 1) / span;
            }
            return _curvePermille[n - 1];
        }
    }
}
