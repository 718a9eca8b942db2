// The pressure occlusion rule (issue 18) on the runtime that ships: the same hand-computed
// expectations as the host's PressureRuleTests, on nanoCLR's 32-bit long arithmetic.
using nanoFramework.TestFramework;
using PumpFirmware.Hal;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class PressureRuleDeviceTests
    {
        private const long Second = 1000000L;

        // Reads the next value; a negative one means "no reading".
        private sealed class ScriptedSensor : IAnalogInput
        {
            private readonly int[] _readings;
            private int _next;

            public ScriptedSensor(int[] readings)
            {
                _readings = readings;
            }

            public bool TryReadMillivolts(out int millivolts)
            {
                int value = _readings[_next++];
                millivolts = value < 0 ? 0 : value;
                return value >= 0;
            }
        }

        private static bool[] Feed(PressureRule rule, int[] readings)
        {
            ScriptedSensor sensor = new ScriptedSensor(readings);
            bool[] causes = new bool[readings.Length];
            for (int i = 0; i < readings.Length; i++)
            {
                rule.Sample(sensor, i * Second);
                causes[i] = rule.Ready && rule.CauseAsserted;
            }
            return causes;
        }

        [TestMethod]
        public void Millivolts_convert_through_zero_and_slope()
        {
            Assert.AreEqual(0L, PressureRule.ToMilliMmHg(200, 200, 2000));
            Assert.AreEqual(300000L, PressureRule.ToMilliMmHg(800, 200, 2000));
            Assert.AreEqual(-500L, PressureRule.ToMilliMmHg(199, 200, 2000));
            Assert.AreEqual(1000000000L, PressureRule.ToMilliMmHg(1000, 0, 1));
            Assert.AreEqual(333333L, PressureRule.ToMilliMmHg(1, 0, 3));
        }

        [TestMethod]
        public void A_single_spike_never_alarms_and_a_rise_alarms_at_the_second_sample_over_the_limit()
        {
            bool[] spike = Feed(new PressureRule(), new int[] { 210, 210, 3000, 210, 210 });
            for (int i = 0; i < spike.Length; i++) Assert.IsFalse(spike[i]);
            bool[] rise = Feed(new PressureRule(), new int[] { 790, 794, 798, 800, 802 });
            Assert.IsFalse(rise[3]);
            Assert.IsTrue(rise[4]);
        }

        [TestMethod]
        public void Three_failed_reads_are_a_fault_and_one_good_read_ends_it()
        {
            PressureRule rule = new PressureRule();
            bool[] causes = Feed(rule, new int[] { 210, 210, 210, -1, -1, -1, 210 });
            Assert.IsFalse(causes[4]);
            Assert.IsTrue(causes[5]);
            Assert.IsFalse(causes[6]);
        }

        [TestMethod]
        public void The_section_round_trips()
        {
            PressureRule rule = new PressureRule();
            rule.SetCalibration(123, 4567);
            rule.SetLimit(150250);
            StateWriter writer = new StateWriter(new byte[64]);
            rule.SaveSection(writer);
            Assert.AreEqual(PressureRule.SectionLength, writer.Position);
            PressureRule loaded = new PressureRule();
            Assert.IsTrue(loaded.LoadSection(new StateReader(writer.Buffer, 0, writer.Position), writer.Position));
            Assert.AreEqual(123, loaded.ZeroMillivolts);
            Assert.AreEqual(4567L, loaded.MicrovoltsPerMmHg);
            Assert.AreEqual(150250L, loaded.LimitMilliMmHg);
            Assert.IsFalse(loaded.LoadSection(new StateReader(writer.Buffer, 0, writer.Position), writer.Position - 1));
        }
    }
}
