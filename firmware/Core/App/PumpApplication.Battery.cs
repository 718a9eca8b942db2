// The battery gauge's place in the main loop (Energy/BatteryGauge), beside PumpApplication.cs so
// that the loop itself carries only a few hook lines. A pump whose hardware names no battery
// profile (mains powered: the default rig and the default virtual device) has no gauge: nothing
// here runs, BATT? says MAINS, and its image has no battery section, byte for byte the image it
// had before the gauge existed (docs/STORAGE.md says what that costs a rig rebuilt from battery to mains). With one: every service pass charges the baseline up to now, the steps
// handed to the step generator and the serial bytes sent and received since the last pass, takes
// a battery-voltage reading once a minute where an input is fitted, tells the forecast the motor
// rate, and raises ERI/EOS when the gauge latches them. The gauge's own wake time (the ceiling
// to move, ERI or EOS falling due) joins NextWakeMicros, so the virtual device's jumps never skip it.
using PumpFirmware.Log;
using PumpFirmware.Energy;
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    public sealed partial class PumpApplication
    {
        private BatteryGauge _battery;
        private long _batteryBytesSeen;

        /// <summary>The battery gauge, or null when the hardware names no battery (mains powered).</summary>
        public BatteryGauge Battery { get { return _battery; } }

        private void CreateBattery()
        {
            if (_hw.Battery == null) return;
            _battery = new BatteryGauge(_hw.Battery);
            AddStateSection(_battery);
        }

        private void BootBattery(long now)
        {
            if (_battery == null) return;
            _battery.Boot(now);
            _battery.VoltageFitted = _hw.BatteryVoltage != null;
            _batteryBytesSeen = _writer.BytesSent;
            ServiceBattery(now);
        }

        /// <summary>Charges what happened since the last pass and raises what fell due. Cheap: a few multiplications;
        /// a voltage reading once a minute.</summary>
        private void ServiceBattery(long now)
        {
            if (_battery == null) return;
            _battery.Advance(now);
            long sent = _writer.BytesSent;
            _battery.AddBytes(sent - _batteryBytesSeen);
            _batteryBytesSeen = sent;
            if (_hw.BatteryVoltage != null && _battery.WantsSample(now))
            {
                int millivolts;
                bool ok = _hw.BatteryVoltage.TryReadMillivolts(out millivolts);
                _battery.Sample(ok, millivolts, now);
            }
            _battery.SetMotorRate(_controller.RateQ32StepsPerDay >> 32);
            if (_battery.Evaluate(now) || (_battery.Eri && (_controller.Alarms & AlarmCode.Eri) == 0)
                || (_battery.Eos && (_controller.Alarms & AlarmCode.Eos) == 0))
            {
                _controller.SetBatteryAlarms(_battery.Eri, _battery.Eos, now);
                _dirtyReasons |= PersistReasons.Therapy;
            }
            if (_battery.TakeCeilingMoved()) _dirtyReasons |= PersistReasons.Therapy;
        }

        private long BatteryWakeMicros
        {
            get { return _battery == null ? long.MaxValue : _battery.NextWakeMicros; }
        }

        /// <summary>BATT:REPLACED: a new cell was fitted; the gauge restarts, ERI and EOS clear, the change is logged.</summary>
        internal void ReplaceBattery(long now)
        {
            long usedNc = _battery.ConsumedNanocoulombs;
            _battery.Replace(now);
            _controller.ClearBatteryAlarms(now);
            AppendLog(now, EventLogTypes.Battery, 0, usedNc / 3600000, _battery.Replacements);
            MarkDirty(PersistReasons.Command);
        }
    }
}
