// The battery gauge (firmware/Core/Energy, docs/PROTOCOL.md "Battery") and the ADC calibration
// (hal/Esp32/Logic/AdcCalibration) on the device runtime: the same hand-computed figures as the
// host tests, so nanoCLR's 64-bit arithmetic, WideMath and the state section agree with .NET's.
using nanoFramework.TestFramework;
using PumpFirmware.Energy;
using PumpFirmware.Hal.Esp32.Logic;
using PumpFirmware.Storage;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class BatteryDeviceTests
    {
        private const long Second = 1000000L;
        private const long Day = 86400L * Second;
        private const long MahNc = BatteryProfile.NanocoulombsPerMilliampHour;

        // 10 mAh, 1 uA baseline: 416.67 days to end of service; ERI 90 days earlier.
        private static BatteryProfile Small()
        {
            return new BatteryProfile(10 * MahNc, 1000, 1000, 10, 90, new int[] { 3601, 3000 }, new int[] { 1000, 0 });
        }

        [TestMethod]
        public void The_synchromed_class_profile_lasts_seven_years_idle_and_five_at_one_ml_a_day()
        {
            BatteryProfile p = BatteryProfile.SynchroMedClass();
            BatteryGauge g = new BatteryGauge(p);
            g.Boot(0);
            Assert.AreEqual(225000000L * Second, g.EosInMicros()); // 3.6e12 nC / 16000 nA
            g.SetMotorRate(64000);
            Assert.AreEqual(1900L, g.EosInMicros() / Day);
        }

        [TestMethod]
        public void ERI_and_EOS_latch_on_their_forecast_days()
        {
            BatteryGauge g = new BatteryGauge(Small());
            g.Boot(0);
            long eos = 36000000L * Second;
            long eri = eos - 90 * Day;
            long wake = g.NextWakeMicros;
            while (wake < eri)
            {
                g.Advance(wake);
                g.Evaluate(wake);
                wake = g.NextWakeMicros;
            }
            Assert.AreEqual(eri, wake);
            g.Advance(eri - 1);
            Assert.IsFalse(g.Evaluate(eri - 1));
            g.Advance(eri);
            Assert.IsTrue(g.Evaluate(eri));
            Assert.IsTrue(g.Eri);
            Assert.IsFalse(g.Eos);
            g.Advance(eos);
            Assert.IsTrue(g.Evaluate(eos));
            Assert.IsTrue(g.Eos);
            Assert.AreEqual(0L, g.RemainingNanocoulombs);
        }

        [TestMethod]
        public void Three_low_readings_lower_the_estimate_and_the_section_round_trips()
        {
            BatteryGauge g = new BatteryGauge(Small());
            g.Boot(0);
            for (int i = 0; i < 3; i++)
            {
                g.Sample(true, 3300, i * 60 * Second);
            }
            Assert.AreEqual(5 * MahNc, g.ConsumedNanocoulombs);
            StateWriter w = new StateWriter(new byte[64]);
            g.SaveSection(w);
            Assert.AreEqual(BatteryGauge.SectionLength, w.Position);
            BatteryGauge back = new BatteryGauge(Small());
            Assert.IsTrue(back.LoadSection(new StateReader(w.Buffer, 0, w.Position), w.Position));
            Assert.AreEqual(g.CeilingNanocoulombs, back.ConsumedNanocoulombs);
            Assert.IsTrue(back.ConsumedNanocoulombs > g.ConsumedNanocoulombs + BatteryGauge.MarginNanocoulombs);
        }

        [TestMethod]
        public void ADC_counts_convert_on_the_calibration_line()
        {
            AdcCalibration line = new AdcCalibration(1000, 1500, 3000, 4500);
            int mv;
            Assert.IsTrue(line.TryConvert(8004, 8, out mv));
            Assert.AreEqual(1501, mv);
            Assert.IsFalse(AdcCalibration.InRange(4095));
            Assert.AreEqual(3, AdcCalibration.Adc1ChannelOf(39));
        }
    }
}
