// PROTOCOL.md "Therapy" on the device runtime: the dosing engine against hand-computed
// integrals, the flex schedule, START/STOP, clinician and patient boluses, prime, refill,
// bridge and the rolling 24 h limit. 500 ug/mL at 64000 steps/mL: 1 ug is 2 uL is 128 steps.
using nanoFramework.TestFramework;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class TherapyDeviceTests
    {
        private static void Within(long expected, long tolerance, long actual, string what)
        {
            long difference = actual - expected;
            if (difference < 0) difference = -difference;
            Assert.IsTrue(difference <= tolerance, what + ": " + actual.ToString() + " is not within " + tolerance.ToString() + " of " + expected.ToString());
        }

        [TestMethod]
        public void Delivery_follows_the_ideal_integral_within_one_step_across_a_flex_step()
        {
            DevicePump pump = DevicePump.Running();
            // 100 ug/day from midnight: 200 uL/day = 12800 steps/day = 533.33 steps/h.
            pump.Advance(3600);
            Within(533, 1, pump.Steps, "after 1 h");
            Assert.AreEqual("200.000", pump.Status("rate_ul_day"));
            pump.Advance(7 * 3600);
            Within(4267, 1, pump.Steps, "at 08:00");
            // 150 ug/day from 08:00: 19200 steps/day = 800 steps/h.
            Assert.AreEqual("300.000", pump.Status("rate_ul_day"));
            Assert.AreEqual("150.000", pump.Status("rate_ug_day"));
            pump.Advance(3600);
            Within(5067, 1, pump.Steps, "at 09:00");
            // delivered_ul is exact from the steps: steps / 64 uL.
            long steps = pump.Steps;
            Assert.AreEqual(Units.Fixed3.Format(steps * 1000 / 64), pump.Status("delivered_ul"));
        }

        [TestMethod]
        public void The_reservoir_goes_down_by_what_was_delivered()
        {
            DevicePump pump = DevicePump.Running();
            pump.Advance(6 * 3600); // 50 uL
            Assert.AreEqual("19950.000", pump.Status("reservoir_ul"));
            Assert.AreEqual("50.000", pump.Status("delivered_ul"));
        }

        [TestMethod]
        public void START_needs_a_session_an_active_program_and_a_stopped_or_suspended_pump()
        {
            DevicePump pump = new DevicePump();
            Assert.AreEqual("ERR 403 auth required", pump.Send("START"));
            pump.Ok("AUTH 0000");
            Assert.AreEqual("ERR 409 no active program", pump.Send("START"));
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            Assert.AreEqual("RUNNING", pump.Status("state"));
            Assert.AreEqual("ERR 409 state RUNNING", pump.Send("START"));
        }

        [TestMethod]
        public void STOP_suspends_to_the_minimum_rate_then_stops_and_is_accepted_in_every_state()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(DevicePump.Midnight, new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100", "PROG:MINRATE 10" });
            pump.Ok("REFILL 20000");
            pump.Ok("STOP"); // STOPPED stays STOPPED
            Assert.AreEqual("STOPPED", pump.Status("state"));
            Assert.AreEqual("-1", pump.Status("empty_in_s"));
            pump.Ok("START");
            pump.Ok("STOP");
            Assert.AreEqual("SUSPENDED", pump.Status("state"));
            Assert.AreEqual("10.000", pump.Status("rate_ul_day"));
            // 10 uL/day = 640 steps/day: 26.67 steps/h.
            long before = pump.Steps;
            pump.Advance(3 * 3600);
            pump.Ok("AUTH 0000");
            Within(80, 1, pump.Steps - before, "3 h at the minimum rate");
            pump.Ok("STOP");
            Assert.AreEqual("STOPPED", pump.Status("state"));
            Assert.AreEqual("0.000", pump.Status("rate_ul_day"));
            before = pump.Steps;
            pump.Advance(3600);
            Assert.AreEqual(before, pump.Steps);
        }

        [TestMethod]
        public void A_clinician_bolus_adds_its_dose_over_its_duration_on_top_of_the_basal_rate()
        {
            DevicePump pump = DevicePump.Running();
            long before = pump.Steps;
            pump.Ok("AUTH 0000");
            pump.Ok("BOLUS 5 10");
            Assert.AreEqual("CLINICIAN", pump.Status("bolus"));
            Assert.AreEqual("ERR 409 bolus in progress (CLINICIAN)", pump.Send("BOLUS 5 10"));
            Assert.AreEqual("ERR 409 bolus in progress (CLINICIAN)", pump.Send("PTM"));
            pump.Advance(600);
            Assert.AreEqual("NONE", pump.Status("bolus"));
            // 5 ug = 640 steps, plus 10 min of 533.33 steps/h = 88.9 steps.
            Within(640 + 89, 1, pump.Steps - before, "bolus and basal over 10 min");
        }

        [TestMethod]
        public void A_clinician_bolus_needs_RUNNING_and_a_cancelled_one_delivers_no_more()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            Assert.AreEqual("ERR 409 state STOPPED", pump.Send("BOLUS 5 10"));
            pump.Ok("START");
            long before = pump.Steps;
            pump.Ok("BOLUS 5 10");
            pump.Advance(300);
            pump.Ok("AUTH 0000");
            pump.Ok("BOLUS:CANCEL");
            Assert.AreEqual("NONE", pump.Status("bolus"));
            long atCancel = pump.Steps;
            Within(320 + 44, 1, atCancel - before, "half the bolus and 5 min of basal");
            pump.Advance(600);
            Within(89, 1, pump.Steps - atCancel, "10 min of basal only");
            pump.Ok("AUTH 0000");
            Assert.AreEqual("ERR 409 no bolus in progress", pump.Send("BOLUS:CANCEL"));
        }

        [TestMethod]
        public void STOP_cancels_a_clinician_bolus()
        {
            DevicePump pump = DevicePump.Running();
            pump.Ok("AUTH 0000");
            pump.Ok("BOLUS 5 10");
            pump.Ok("STOP");
            Assert.AreEqual("NONE", pump.Status("bolus"));
            Assert.AreEqual("SUSPENDED", pump.Status("state"));
        }

        [TestMethod]
        public void PTM_needs_no_session_and_is_granted_then_refused_by_the_lockout()
        {
            DevicePump pump = DevicePump.Running();
            pump.Ok("LOGOUT");
            Assert.AreEqual("OK dose_ug=10.000 next_allowed_s=3600", pump.Send("PTM"));
            Assert.AreEqual("PTM", pump.Status("bolus"));
            pump.Advance(600);
            Assert.AreEqual("ERR 423 lockout remaining_s=3000", pump.Send("PTM"));
            pump.Advance(3000);
            Assert.StartsWith("OK dose_ug=10.000", pump.Send("PTM"));
        }

        [TestMethod]
        public void PTM_is_refused_past_its_daily_count_in_any_24_h()
        {
            DevicePump pump = DevicePump.Running();
            for (int i = 0; i < 4; i++)
            {
                Assert.StartsWith("OK dose_ug=10.000", pump.Send("PTM"), "PTM " + (i + 1).ToString());
                pump.Advance(3600);
            }
            Assert.StartsWith("ERR 423 daily count reached max_per_day=4", pump.Send("PTM"));
            // The first was granted 4 h ago: 20 h later it leaves the 24 h count.
            pump.Advance(20 * 3600);
            Assert.StartsWith("OK dose_ug=10.000", pump.Send("PTM"));
        }

        [TestMethod]
        public void PTM_is_refused_when_disabled_or_not_RUNNING()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            Assert.AreEqual("ERR 409 state STOPPED", pump.Send("PTM"));
            pump.Ok("PROG:PTM OFF");
            pump.Ok("PROG:COMMIT " + DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc"));
            pump.Ok("START");
            Assert.AreEqual("ERR 409 PTM disabled", pump.Send("PTM"));
        }

        [TestMethod]
        public void A_bolus_or_PTM_that_would_cross_the_24_h_limit_is_refused()
        {
            DevicePump pump = new DevicePump();
            // 100 ug/day with a 120 ug limit: what was delivered in the last 24 h plus the dose must fit.
            pump.Commit(DevicePump.Midnight, new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 120", "PROG:STEP 00:00 100", "PROG:PTM 10 5 60 2" });
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Advance(22 * 3600); // 91.667 ug delivered in the window
            pump.Ok("AUTH 0000");
            Assert.StartsWith("ERR 422", pump.Send("BOLUS 30 10"));
            Assert.AreEqual("NONE", pump.Status("bolus"));
            pump.Ok("BOLUS 25 10");
            pump.Advance(600);
            // 91.667 + 0.694 basal + 25 leave less than the 10 ug of a PTM.
            Assert.StartsWith("ERR 42", pump.Send("PTM"));
            Assert.AreEqual("NONE", pump.Status("bolus"));
        }

        [TestMethod]
        public void PRIME_runs_only_while_STOPPED_at_the_motors_maximum_up_to_the_catheter_volume()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            Assert.StartsWith("ERR 422 volume_ul=150.001 exceeds catheter_ul=150.000", pump.Send("PRIME 150.001"));
            pump.Ok("PRIME 100");
            Assert.AreEqual("PRIME", pump.Status("bolus"));
            // 100 uL = 6400 steps at 1000 steps/s: 6.4 s.
            pump.Advance(6);
            Within(6000, 1, pump.Steps, "after 6 s");
            pump.Advance(1);
            Assert.AreEqual(6400L, pump.Steps);
            Assert.AreEqual("NONE", pump.Status("bolus"));
            Assert.AreEqual("STOPPED", pump.Status("state"));
            pump.Ok("START");
            Assert.AreEqual("ERR 409 state RUNNING", pump.Send("PRIME 10"));
        }

        [TestMethod]
        public void Prime_is_not_counted_against_the_24_h_limit()
        {
            DevicePump pump = new DevicePump();
            // 150 uL of prime is 75 ug: more than the 50 ug limit, yet a full day's basal still runs.
            pump.Commit(DevicePump.Midnight, new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 50", "PROG:STEP 00:00 48", "PROG:CATHETER 150" });
            pump.Ok("REFILL 20000");
            pump.Ok("PRIME 150");
            pump.Advance(10);
            Assert.AreEqual(9600L, pump.Steps);
            pump.Ok("AUTH 0000");
            pump.Ok("START");
            pump.Advance(12 * 3600);
            Within(9600 + 3072, 1, pump.Steps, "prime and 12 h of 48 ug/day");
            Assert.AreEqual("NONE", pump.Status("alarms"));
        }

        [TestMethod]
        public void REFILL_sets_the_reservoir_up_to_its_capacity()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(DevicePump.Midnight, new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100", "PROG:RESERVOIR 10000 1000" });
            Assert.StartsWith("ERR 422 volume_ul=10000.001 exceeds capacity_ul=10000.000", pump.Send("REFILL 10000.001"));
            pump.Ok("REFILL 10000");
            Assert.AreEqual("10000.000", pump.Status("reservoir_ul"));
            pump.Ok("REFILL 5000.5");
            Assert.AreEqual("5000.500", pump.Status("reservoir_ul"));
        }

        [TestMethod]
        public void A_bridge_pushes_the_catheters_old_drug_at_the_old_volume_rate_first()
        {
            DevicePump pump = new DevicePump();
            // 100 ug/day of 500 ug/mL: 200 uL/day, all day.
            pump.Commit(DevicePump.Midnight, new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100", "PROG:CATHETER 150" });
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Ok("PROG:DRUG baclofen 1000");
            string crc = DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc");
            pump.Ok("PROG:COMMIT " + crc + " BRIDGE");
            Assert.AreEqual("BRIDGE", pump.Status("bolus"));
            // The old volume rate goes on: 200 uL/day, not the new program's 100 uL/day.
            Assert.AreEqual("200.000", pump.Status("rate_ul_day"));
            long before = pump.Steps;
            pump.Advance(6 * 3600);
            Within(3200, 1, pump.Steps - before, "6 h at 200 uL/day");
            Assert.AreEqual("BRIDGE", pump.Status("bolus"));
            // 150 uL of catheter take 18 h at 200 uL/day; then the new drug at 100 uL/day.
            pump.Advance(12 * 3600 + 60);
            Assert.AreEqual("NONE", pump.Status("bolus"));
            Assert.AreEqual("100.000", pump.Status("rate_ul_day"));
            // The catheter's 150 uL (9600 steps), then 60 s of 100 uL/day (4.4 steps).
            Within(9604, 1, pump.Steps - before, "the bridge and one minute after");
        }

        [TestMethod]
        public void The_24_h_window_holds_steps_back_and_raises_DOSE_LIMIT_while_RUNNING()
        {
            DevicePump pump = DevicePump.Running();
            pump.Advance(12 * 3600); // 33.3 ug at night + 25 ug from 08:00: 58.3 ug
            // A new program whose limit the last 24 h already nearly reached.
            pump.Ok("AUTH 0000");
            pump.Ok("PROG:NEW");
            pump.Ok("PROG:DRUG baclofen 500");
            pump.Ok("PROG:LIMIT 60");
            pump.Ok("PROG:STEP 00:00 48");
            pump.Ok("PROG:COMMIT " + DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc"));
            long before = pump.Steps;
            string lines = pump.Advance(3600);
            Assert.Contains("!ALARM code=DOSE_LIMIT state=RAISED", lines);
            Assert.AreEqual("RUNNING", pump.Status("state"));
            // At most 60 ug = 7680 steps in the 24 h up to now.
            Assert.IsTrue(pump.Steps <= 7680, "the window was crossed: " + pump.Steps.ToString());
            Assert.IsTrue(pump.Steps - before < 256, "steps were not held back");
        }
            [TestMethod]
        public void A_commit_cancels_a_running_clinician_bolus()
        {
            DevicePump pump = DevicePump.Running();
            pump.Ok("AUTH 0000");
            pump.Ok("BOLUS 5 10");
            pump.Ok("PROG:LOAD");
            pump.Ok("PROG:MINRATE 5");
            pump.Ok("PROG:COMMIT " + DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc"));
            Assert.AreEqual("NONE", pump.Status("bolus"));
            Assert.AreEqual("RUNNING", pump.Status("state"));
        }

        [TestMethod]
        public void A_new_wall_clock_moves_the_schedule_and_never_delivers_a_catch_up()
        {
            DevicePump pump = DevicePump.Running(); // 00:00, 100 ug/day until 08:00
            pump.Advance(3600);
            long before = pump.Steps;
            pump.Ok("AUTH 0000");
            pump.Ok("TIME " + (DevicePump.Midnight + 9 * 3600).ToString()); // 09:00: the 150 ug/day step
            Assert.AreEqual("300.000", pump.Status("rate_ul_day"));
            Assert.IsTrue(pump.Steps - before <= 1, "a catch-up was delivered");
            pump.Advance(3600);
            Within(800, 1, pump.Steps - before, "one hour at 150 ug/day");
        }

        [TestMethod]
        public void CAL_sets_the_steps_per_mL_used_for_the_next_steps()
        {
            DevicePump pump = new DevicePump();
            pump.Ok("AUTH 0000");
            Assert.AreEqual("OK steps_per_ml=64000 max_steps_s=1000", pump.Send("CAL?"));
            pump.Ok("CAL 32000");
            Assert.AreEqual("OK steps_per_ml=32000 max_steps_s=1000", pump.Send("CAL?"));
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Advance(6 * 3600); // 50 uL at 32 steps/uL
            Within(1600, 1, pump.Steps, "6 h at 32000 steps/mL");
            Assert.AreEqual("50.000", pump.Status("delivered_ul"));
        }

        [TestMethod]
        public void A_granted_PTM_and_the_24_h_window_survive_a_power_cut()
        {
            DevicePump pump = new DevicePump(true);
            pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            Assert.StartsWith("OK dose_ug=10.000", pump.Send("PTM"));
            pump.Advance(600);
            pump.PowerCut(600);
            Assert.AreEqual("RUNNING", pump.Status("state"));
            // The lockout counts the 10 min off: 60 - 10 - 10 = 40 min left, plus the one second
            // the whole-seconds off-time counter may hide: off-time is counted down, so a reset
            // can make a lockout end up to a second later, never sooner.
            Assert.AreEqual("ERR 423 lockout remaining_s=2401", pump.Send("PTM"));
        }
    }
}
