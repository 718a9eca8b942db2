// PROTOCOL.md "The program (prescription)" on the device runtime: staged programming, the
// canonical review and its crc, commit by crc, validation at review and commit, and what
// survives a reset. Expectations are hand-computed from the spec.
using nanoFramework.TestFramework;
using PumpFirmware.Units;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class ProgrammingDeviceTests
    {
        private static DevicePump Staged(string[] lines)
        {
            DevicePump pump = new DevicePump();
            pump.Ok("AUTH 0000");
            pump.Ok("PROG:NEW");
            for (int i = 0; i < lines.Length; i++) pump.Ok(lines[i]);
            return pump;
        }

        [TestMethod]
        public void Every_PROG_command_but_PROG_query_needs_a_session()
        {
            DevicePump pump = new DevicePump();
            string[] commands = { "PROG:NEW", "PROG:LOAD", "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100",
                "PROG:CLEARSTEPS", "PROG:PTM OFF", "PROG:RESERVOIR 20000 2000", "PROG:CATHETER 150", "PROG:MINRATE 10",
                "PROG:REVIEW", "PROG:COMMIT 1234" };
            for (int i = 0; i < commands.Length; i++)
            {
                Assert.AreEqual("ERR 403 auth required", pump.Send(commands[i]), commands[i]);
            }
            Assert.AreEqual("OK crc=NONE", pump.Send("PROG?"));
        }

        [TestMethod]
        public void A_program_without_drug_limit_or_step_is_incomplete()
        {
            Assert.AreEqual("ERR 409 program incomplete", Staged(new string[0]).Send("PROG:REVIEW"));
            Assert.AreEqual("ERR 409 program incomplete", Staged(new string[] { "PROG:LIMIT 200", "PROG:STEP 00:00 100" }).Send("PROG:REVIEW"));
            Assert.AreEqual("ERR 409 program incomplete", Staged(new string[] { "PROG:DRUG baclofen 500", "PROG:STEP 00:00 100" }).Send("PROG:REVIEW"));
            DevicePump noStep = Staged(new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 200" });
            Assert.AreEqual("ERR 409 program incomplete", noStep.Send("PROG:REVIEW"));
            Assert.AreEqual("ERR 409 program incomplete", noStep.Send("PROG:COMMIT 1234"));
        }

        [TestMethod]
        public void The_review_is_the_canonical_text_in_order_with_defaults_and_its_crc()
        {
            DevicePump pump = Staged(DevicePump.FlexProgram);
            string review = pump.Ok("PROG:REVIEW");
            string canonical = review.Substring("OK crc=HHHH ".Length);
            Assert.AreEqual("drug=baclofen conc_ug_ml=500.000 limit_ug_day=200.000 schedule_ug_day=00:00/100.000,08:00/150.000"
                + " ptm=ON ptm_dose_ug=10.000 ptm_duration_min=5 ptm_lockout_min=60 ptm_max_per_day=4 capacity_ul=20000.000"
                + " low_alarm_ul=2000.000 catheter_ul=150.000 minrate_ul_day=0.000 daily_ug=133.334 worst_day_ug=173.334", canonical);
            // daily: 100 x 8/24 + 150 x 16/24 = 133.333.. (rounded up); worst day: + 4 x 10 ug of PTM.
            Assert.AreEqual(Crc16.ToHex(Crc16.Compute(canonical)), DevicePump.Field(review, "crc").Substring(0, 4));
        }

        [TestMethod]
        public void Steps_are_kept_in_time_order_a_step_at_an_existing_time_replaces_it_and_CLEARSTEPS_removes_all()
        {
            DevicePump pump = Staged(new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 400", "PROG:STEP 12:00 150",
                "PROG:STEP 00:00 100", "PROG:STEP 12:00 200" });
            Assert.AreEqual("00:00/100.000,12:00/200.000", DevicePump.Field(pump.Ok("PROG:REVIEW"), "schedule_ug_day"));
            pump.Ok("PROG:CLEARSTEPS");
            Assert.AreEqual("ERR 409 program incomplete", pump.Send("PROG:REVIEW"));
        }

        [TestMethod]
        public void At_most_12_steps()
        {
            DevicePump pump = Staged(new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 400" });
            for (int hour = 0; hour < 12; hour++)
            {
                pump.Ok("PROG:STEP " + (hour < 10 ? "0" : "") + hour.ToString() + ":00 10");
            }
            Assert.StartsWith("ERR 422", pump.Send("PROG:STEP 13:00 10"));
            pump.Ok("PROG:STEP 05:00 20"); // replacing one is still allowed
        }

        [TestMethod]
        public void A_worst_day_over_the_limit_is_422_naming_both_numbers_at_review_and_commit()
        {
            DevicePump pump = Staged(new string[] { "PROG:DRUG baclofen 500", "PROG:LIMIT 150", "PROG:STEP 00:00 100",
                "PROG:STEP 08:00 150", "PROG:PTM 10 5 60 4" });
            string review = pump.Send("PROG:REVIEW");
            Assert.StartsWith("ERR 422", review);
            Assert.Contains("173.334", review);
            Assert.Contains("150.000", review);
            string staged = DevicePump.Field(pump.Send("PROG:COMMIT 0000"), "staged_crc");
            string commit = pump.Send("PROG:COMMIT " + staged);
            Assert.StartsWith("ERR 422", commit);
            Assert.Contains("173.334", commit);
            Assert.AreEqual("OK crc=NONE", pump.Send("PROG?"));
        }

        [TestMethod]
        public void A_rate_over_the_motors_maximum_is_422()
        {
            // 100000 ug/day of 0.001 ug/mL is 10^8 mL/day: far beyond 1000 steps/s at 64000 steps/mL.
            DevicePump pump = Staged(new string[] { "PROG:DRUG baclofen 0.001", "PROG:LIMIT 100000", "PROG:STEP 00:00 100000" });
            Assert.StartsWith("ERR 422", pump.Send("PROG:REVIEW"));
        }

        [TestMethod]
        public void A_commit_must_quote_the_staged_crc_and_then_runs_exactly_what_was_reviewed()
        {
            DevicePump pump = Staged(DevicePump.FlexProgram);
            string review = pump.Ok("PROG:REVIEW");
            string crc = DevicePump.Field(review, "crc");
            string wrong = crc == "0000" ? "0001" : "0000";
            Assert.AreEqual("ERR 409 crc does not match the staged program staged_crc=" + crc, pump.Send("PROG:COMMIT " + wrong));
            Assert.AreEqual("OK crc=NONE", pump.Send("PROG?"));

            Assert.AreEqual("OK crc=" + crc, pump.Send("PROG:COMMIT " + crc));
            Assert.AreEqual(review, pump.Send("PROG?"));
            Assert.AreEqual(crc, pump.Status("program_crc"));
        }

        [TestMethod]
        public void The_staging_area_survives_a_commit_and_LOAD_copies_the_active_program()
        {
            DevicePump pump = new DevicePump();
            pump.Ok("AUTH 0000");
            Assert.AreEqual("ERR 409 no active program", pump.Send("PROG:LOAD"));
            string crc = pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            Assert.AreEqual(crc, DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc"));
            pump.Ok("PROG:NEW");
            pump.Ok("PROG:LOAD");
            Assert.AreEqual(crc, DevicePump.Field(pump.Ok("PROG:REVIEW"), "crc"));
            pump.Ok("PROG:PTM OFF");
            string changed = pump.Ok("PROG:REVIEW");
            Assert.AreEqual("OFF", DevicePump.Field(changed, "ptm"));
            Assert.AreEqual("133.334", DevicePump.Field(changed, "worst_day_ug"));
            Assert.AreEqual(crc, pump.Status("program_crc")); // staging is not the active program
        }

        [TestMethod]
        public void The_active_program_survives_a_power_cut_and_the_staging_area_does_not()
        {
            DevicePump pump = new DevicePump(true);
            string crc = pump.Commit(DevicePump.Midnight, DevicePump.FlexProgram);
            pump.Ok("PROG:LIMIT 300"); // a staged edit
            pump.PowerCut(60);
            Assert.AreEqual(crc, DevicePump.Field(pump.Send("PROG?"), "crc"));
            pump.Ok("AUTH 0000");
            Assert.AreEqual("ERR 409 program incomplete", pump.Send("PROG:REVIEW"));
        }

        [TestMethod]
        public void A_simple_continuous_program_is_one_step_at_midnight()
        {
            DevicePump pump = Staged(new string[] { "PROG:DRUG morphine 1000", "PROG:LIMIT 48", "PROG:STEP 00:00 24" });
            string review = pump.Ok("PROG:REVIEW");
            Assert.AreEqual("00:00/24.000", DevicePump.Field(review, "schedule_ug_day"));
            Assert.AreEqual("24.000", DevicePump.Field(review, "daily_ug"));
            Assert.AreEqual("OFF", DevicePump.Field(review, "ptm"));
        }
    }
}
