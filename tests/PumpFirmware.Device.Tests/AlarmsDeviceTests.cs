// PROTOCOL.md "Alarms" on the device runtime: when each alarm is raised and cleared, which
// ones stop delivery (the motor driver is then disabled and queued steps dropped), latching
// and acknowledgement, and CRITICAL from a stored state that fails its checks.
using nanoFramework.TestFramework;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class AlarmsDeviceTests
    {
        [TestMethod]
        public void LOW_RESERVOIR_is_raised_at_the_low_mark_does_not_stop_delivery_and_REFILL_clears_it()
        {
            DevicePump pump = DevicePump.Running();
            pump.Ok("AUTH 0000");
            // 2000.5 uL, 0.5 uL over the low mark: 32 steps at 533 steps/h, about 3.6 min.
            string lines = pump.SendAll("REFILL 2000.5");
            Assert.IsFalse(lines.IndexOf("LOW_RESERVOIR") >= 0, lines);
            lines = pump.Advance(600);
            Assert.Contains("!ALARM code=LOW_RESERVOIR state=RAISED", lines);
            Assert.AreEqual("RUNNING", pump.Status("state"));
            long steps = pump.Steps;
            pump.Advance(3600);
            Assert.IsTrue(pump.Steps > steps + 500, "delivery stopped");
            pump.Ok("AUTH 0000");
            Assert.Contains("!ALARM code=LOW_RESERVOIR state=CLEARED", pump.SendAll("REFILL 20000"));
            Assert.AreEqual("NONE", pump.Status("alarms"));
        }

        [TestMethod]
        public void EMPTY_stops_delivery_when_the_reservoir_cannot_supply_the_next_step_and_needs_REFILL_then_START()
        {
            DevicePump pump = DevicePump.Running();
            pump.Ok("AUTH 0000");
            pump.Ok("REFILL 1"); // 64 steps
            string lines = pump.Advance(3600);
            Assert.Contains("!ALARM code=EMPTY state=RAISED", lines);
            Assert.AreEqual("ALARM", pump.Status("state"));
            Assert.AreEqual("0.000", pump.Status("reservoir_ul"));
            Assert.IsFalse(pump.Device.Driver.IsEnabled, "the driver stayed enabled");
            long steps = pump.Steps;
            pump.Advance(3600);
            Assert.AreEqual(steps, pump.Steps);
            pump.Ok("AUTH 0000");
            Assert.Contains("!ALARM code=EMPTY state=CLEARED", pump.SendAll("REFILL 20000"));
            Assert.AreEqual("SUSPENDED", pump.Status("state"));
            pump.Ok("START");
            Assert.AreEqual("RUNNING", pump.Status("state"));
        }

        [TestMethod]
        public void STALL_is_seen_within_16_steps_stops_delivery_and_clears_when_acknowledged()
        {
            DevicePump pump = DevicePump.Running();
            pump.Advance(600);
            long emittedBefore = pump.Device.Steps.Emitted;
            pump.Device.Steps.Stalled = true;
            string lines = pump.Advance(3600);
            Assert.Contains("!ALARM code=STALL state=RAISED", lines);
            Assert.IsTrue(pump.Device.Steps.Emitted - emittedBefore <= 16, "STALL after " + (pump.Device.Steps.Emitted - emittedBefore).ToString() + " steps");
            Assert.AreEqual("ALARM", pump.Status("state"));
            Assert.IsFalse(pump.Device.Driver.IsEnabled);
            Assert.AreEqual(0L, pump.Device.Steps.IssuedWhileDisabled);
            // Stopped, the motor cannot show whether the cause is gone: acknowledging clears it,
            // and START finds out.
            Assert.AreEqual("OK alarms=STALL acked=NONE", pump.Send("ALARM?"));
            pump.Ok("AUTH 0000");
            Assert.AreEqual("ERR 409 state ALARM", pump.Send("START"));
            Assert.Contains("!ALARM code=STALL state=CLEARED", pump.SendAll("ALARM:ACK STALL"));
            Assert.AreEqual("SUSPENDED", pump.Status("state"));
            pump.Ok("START");
            emittedBefore = pump.Device.Steps.Emitted;
            Assert.Contains("!ALARM code=STALL state=RAISED", pump.Advance(3600));
            Assert.IsTrue(pump.Device.Steps.Emitted - emittedBefore <= 16, "STALL again after " + (pump.Device.Steps.Emitted - emittedBefore).ToString() + " steps");
            pump.Device.Steps.Stalled = false;
            pump.Ok("ALARM:ACK STALL");
            pump.Ok("AUTH 0000");
            pump.Ok("START");
            long steps = pump.Steps;
            Assert.IsFalse(pump.Advance(3600).IndexOf("STALL") >= 0, "STALL with a turning motor");
            Assert.IsTrue(pump.Steps > steps + 500);
        }

        [TestMethod]
        public void OCCLUSION_is_raised_within_1_s_stops_delivery_cancels_a_bolus_and_clears_in_either_order()
        {
            DevicePump pump = DevicePump.Running();
            pump.Ok("AUTH 0000");
            pump.Ok("BOLUS 5 10");
            pump.Device.Occlusion.IsAsserted = true;
            Assert.Contains("!ALARM code=OCCLUSION state=RAISED", pump.Advance(1));
            Assert.AreEqual("ALARM", pump.Status("state"));
            Assert.AreEqual("NONE", pump.Status("bolus"));
            Assert.IsFalse(pump.Device.Driver.IsEnabled);
            long steps = pump.Steps;
            pump.Advance(600);
            Assert.AreEqual(steps, pump.Steps);
            // Cause gone first: still latched until acknowledged.
            pump.Device.Occlusion.IsAsserted = false;
            pump.Advance(1);
            Assert.AreEqual("OK alarms=OCCLUSION acked=NONE", pump.Send("ALARM?"));
            pump.Ok("AUTH 0000");
            Assert.AreEqual("ERR 409 state ALARM", pump.Send("START"));
            Assert.Contains("!ALARM code=OCCLUSION state=CLEARED", pump.SendAll("ALARM:ACK OCCLUSION"));
            Assert.AreEqual("SUSPENDED", pump.Status("state"));
            pump.Ok("START");
            Assert.AreEqual("RUNNING", pump.Status("state"));
        }

        [TestMethod]
        public void DOSE_LIMIT_clears_by_itself_10_minutes_after_the_last_held_back_step()
        {
            DevicePump pump = new DevicePump();
            // 48 ug/day (256 steps/h) with a 50 ug limit; a 2 ug bolus fits; a day later, the window
            // holds back the basal steps that would cross 50 ug.
            pump.Commit(DevicePump.Midnight, new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 50", "PROG:STEP 00:00 48" });
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Advance(3600);
            pump.Ok("AUTH 0000");
            pump.Ok("BOLUS 2 60");
            string lines = pump.Advance(24 * 3600);
            Assert.Contains("!ALARM code=DOSE_LIMIT state=RAISED", lines);
            Assert.AreEqual("RUNNING", pump.Status("state"));
            lines = lines + pump.Advance(3 * 3600);
            Assert.Contains("!ALARM code=DOSE_LIMIT state=CLEARED", lines);
            Assert.AreEqual("NONE", pump.Status("alarms"));
            // The window never held more than 50 ug = 6400 steps over any day: check the last one.
            long steps = pump.Steps;
            pump.Advance(24 * 3600);
            Assert.IsTrue(pump.Steps - steps <= 6400, "a day delivered " + (pump.Steps - steps).ToString() + " steps");
        }

        [TestMethod]
        public void LOW_BATTERY_does_not_stop_delivery()
        {
            DevicePump pump = DevicePump.Running();
            pump.Device.LowBattery.IsAsserted = true;
            Assert.Contains("!ALARM code=LOW_BATTERY state=RAISED", pump.Advance(1));
            long steps = pump.Steps;
            pump.Advance(3600);
            Assert.AreEqual("RUNNING", pump.Status("state"));
            Assert.IsTrue(pump.Steps > steps + 500);
            pump.Device.LowBattery.IsAsserted = false;
            Assert.Contains("!ALARM code=LOW_BATTERY state=CLEARED", pump.Advance(1));
        }

        [TestMethod]
        public void A_stored_state_that_fails_its_checks_boots_into_CRITICAL_until_a_new_program_is_committed()
        {
            DevicePump pump = new DevicePump(true);
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Advance(3600);
            // Every stored file damaged: no snapshot copy passes its checks.
            byte[] garbage = new byte[64];
            for (int i = 0; i < garbage.Length; i++) garbage[i] = (byte)(i * 37 + 11);
            for (int file = 1; file <= 3; file++)
            {
                if (pump.Device.Store.Length(file) >= 0) pump.Device.Store.Write(file, garbage, 0, garbage.Length);
            }
            string boot = pump.PowerCut(60);
            Assert.Contains("!BOOT", boot);
            Assert.AreEqual("ALARM", pump.Status("state"));
            Assert.Contains("CRITICAL", pump.Status("alarms"));
            Assert.IsFalse(pump.Device.Driver.IsEnabled);
            pump.Ok("AUTH 0000");
            Assert.StartsWith("ERR 409", pump.Send("START"));
            pump.Ok("TIME " + (DevicePump.Midnight + 3700).ToString());
            pump.Ok("PROG:NEW");
            for (int i = 0; i < DevicePump.FlexProgram.Length; i++) pump.Ok(DevicePump.FlexProgram[i]);
            Assert.Contains("!ALARM code=CRITICAL state=CLEARED", pump.SendAll("PROG:COMMIT " + DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc")));
        }

        [TestMethod]
        public void ALARM_query_lists_active_and_acknowledged_alarms_and_ACK_of_an_inactive_one_is_409()
        {
            DevicePump pump = DevicePump.Running();
            Assert.AreEqual("OK alarms=NONE acked=NONE", pump.Send("ALARM?"));
            Assert.AreEqual("ERR 409 alarm OCCLUSION not active", pump.Send("ALARM:ACK OCCLUSION"));
            pump.Device.Occlusion.IsAsserted = true;
            pump.Device.LowBattery.IsAsserted = true;
            pump.Advance(1);
            Assert.AreEqual("OK alarms=OCCLUSION,LOW_BATTERY acked=NONE", pump.Send("ALARM?"));
            pump.Ok("ALARM:ACK OCCLUSION");
            Assert.AreEqual("OK alarms=OCCLUSION,LOW_BATTERY acked=OCCLUSION", pump.Send("ALARM?"));
        }
            [TestMethod]
        public void A_stopping_alarm_ends_a_prime()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("PRIME 100");
            pump.Advance(2);
            pump.Device.Occlusion.IsAsserted = true;
            Assert.Contains("!ALARM code=OCCLUSION state=RAISED", pump.Advance(1));
            Assert.AreEqual("NONE", pump.Status("bolus"));
            long steps = pump.Steps;
            Assert.IsTrue(steps < 6400, "the prime ran to its end: " + steps.ToString());
            pump.Advance(10);
            Assert.AreEqual(steps, pump.Steps);
        }
    }
}
