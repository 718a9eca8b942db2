// The ESP32 adapters' silicon-free logic, on the device runtime: RMT block encoding, the
// LEDC+PCNT stop decisions, the DC speed loop's integer arithmetic, debouncing, step
// confirmation. Hand-computed expectations (the host suite adds properties and simulations).
using nanoFramework.TestFramework;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class Esp32LogicDeviceTests
    {
        [TestMethod]
        public void Rmt_block_of_three_steps_at_1000us()
        {
            RmtStepBlockEncoder encoder = new RmtStepBlockEncoder(5, 5);
            byte[] items = new byte[12];
            Assert.AreEqual(3, encoder.Encode(3, 1000, items));

            // (5, high, 995, low): 5 = 0x0005 | level bit 0x8000; 995 = 0x03E3.
            Assert.AreEqual((byte)0x05, items[0]);
            Assert.AreEqual((byte)0x80, items[1]);
            Assert.AreEqual((byte)0xE3, items[2]);
            Assert.AreEqual((byte)0x03, items[3]);

            // The last step ends after the minimum low time: (5, high, 5, low).
            Assert.AreEqual((byte)0x05, items[10]);
            Assert.AreEqual((byte)0x00, items[11]);
            Assert.AreEqual(2010L, encoder.BlockDurationMicros(3, 1000));
        }

        [TestMethod]
        public void Rmt_long_low_time_is_split_without_zero_halves()
        {
            RmtStepBlockEncoder encoder = new RmtStepBlockEncoder(5, 5);
            Assert.AreEqual(3, encoder.ItemsFor(2, 32773));
            Assert.AreEqual(-1, encoder.ItemsFor(1, 9));
            Assert.AreEqual(2, RmtStepBlockEncoder.StepsStartedBy(1000, 3, 1000));
        }

        [TestMethod]
        public void Pcnt_stop_switches_to_approach_and_stops_at_target()
        {
            PwmPcntStopController controller = new PwmPcntStopController(20000);
            Assert.IsTrue(controller.TryStart(100, 500, 1000));
            Assert.AreEqual(2000, controller.FrequencyHz);
            Assert.AreEqual(2000, controller.Poll(1058));
            Assert.AreEqual(50, controller.Poll(1059));
            Assert.AreEqual(0, controller.Poll(1100));
            Assert.AreEqual(0, controller.CreditSteps);
        }

        [TestMethod]
        public void Dc_loop_feedforward_and_ramp()
        {
            DcSpeedLoop loop = new DcSpeedLoop(500, 0, 0, 1000);
            Assert.IsTrue(loop.TryStart(10, 2000, 0, 0));
            Assert.AreEqual(250, loop.Update(0, 0));
            Assert.AreEqual(5L, loop.ReferenceCounts(10000));
            Assert.AreEqual(0, loop.Update(10, 20000));
            Assert.IsFalse(loop.IsRunning);
        }

        [TestMethod]
        public void Debouncer_and_step_confirmation()
        {
            Debouncer debouncer = new Debouncer(50000, false);
            Assert.IsFalse(debouncer.Update(true, 0));
            Assert.IsTrue(debouncer.Update(true, 50000));

            StepConfirmation confirmation = new StepConfirmation();
            Assert.AreEqual(10L, confirmation.Observe(10, false));
            Assert.AreEqual(10L, confirmation.Observe(25, true));
            Assert.AreEqual(13L, confirmation.Observe(28, false));
        }
    }
}
