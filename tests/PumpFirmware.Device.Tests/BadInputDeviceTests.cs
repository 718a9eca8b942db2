// The protocol parser's bad-input table (the host's BadInputTests, row for row), on the device
// runtime: every malformed or out-of-range request gets its specified ERR and changes nothing
// (therapy image, PIN state, staged program, CRC mode, telemetry, session) and logs nothing.
// One RUNNING pump serves every row: each row is checked against the state before the first,
// so a row that changed anything fails, and so does every row after it.
using System;
using nanoFramework.TestFramework;

namespace PumpFirmware.Device.Tests
{
    [TestClass]
    public class BadInputDeviceTests
    {
        private const string Long25 = "1234567890123456789012345";
        private const string Nul = DevicePump.Nul;
        private const string Del = "\u007F";
        private const string NonAscii = "\u00E9";

        /// <summary>RUNNING a committed program, a session open, a staged edit (as the host table).</summary>
        private static DevicePump RunningWithStagedEdit()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(1700000000, DevicePump.FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Advance(3600);
            pump.Ok("AUTH 0000"); // the session timed out while time ran
            pump.Ok("PROG:DRUG morphine 1000");
            pump.Take();
            return pump;
        }

        private static void AllRefused(string[] requests, string expectedPrefix)
        {
            DevicePump pump = RunningWithStagedEdit();
            byte[] before = pump.StateWithoutLog();
            long logBefore = pump.Device.App.Log.NextSeq;
            for (int i = 0; i < requests.Length; i++)
            {
                string status = pump.Send(requests[i]);
                Assert.IsTrue(status.StartsWith(expectedPrefix), "'" + requests[i] + "' answered '" + status + "', expected " + expectedPrefix);
                Assert.IsTrue(DevicePump.SameBytes(before, pump.StateWithoutLog()), "'" + requests[i] + "' changed the state");
                Assert.AreEqual(logBefore, pump.Device.App.Log.NextSeq, "'" + requests[i] + "' logged");
            }
        }

        [TestMethod]
        public void Unknown_commands_and_bytes_that_are_not_words_are_400_unknown_command()
        {
            AllRefused(new string[] { "FOO", "STATUS", "STATUS??", "PROG:", "PROG:FOO", Nul, Del, NonAscii, "STATUS?" + Nul, "START" + Del }, "ERR 400 unknown command");
        }

        [TestMethod]
        public void Commands_without_arguments_refuse_any_argument()
        {
            string[] commands = { "*IDN?", "STATUS?", "TIME?", "LOGOUT", "PROG:NEW", "PROG:LOAD", "PROG:CLEARSTEPS",
                "PROG:REVIEW", "PROG?", "START", "STOP", "BOLUS:CANCEL", "PTM", "CAL?", "ALARM?" };
            string[] rows = new string[commands.Length * 2];
            for (int i = 0; i < commands.Length; i++)
            {
                rows[2 * i] = commands[i] + " 1";
                rows[2 * i + 1] = commands[i] + " " + Nul;
            }
            AllRefused(rows, "ERR 400");
        }

        [TestMethod]
        public void Malformed_numbers_in_every_numeric_slot_are_400()
        {
            string[] malformed = { "1.2345", "-1", "+1", "1e3", ".5", "5.", "1,5", Nul, Del, NonAscii, "0x10", "1" + Nul };
            string[] prefixes = { "PROG:DRUG baclofen ", "PROG:LIMIT ", "PROG:STEP 08:00 ", "PROG:PTM ", "PROG:PTM 10 ",
                "PROG:PTM 10 5 ", "PROG:RESERVOIR ", "PROG:RESERVOIR 20000 ", "PROG:CATHETER ", "PROG:MINRATE ", "BOLUS ",
                "BOLUS 1 ", "PRIME ", "REFILL ", "TIME ", "CAL ", "TEL ", "LOG? ", "LOG? 1 ", "PROG:PTM 10 5 60 ", "REFILL 20000 " };
            string[] suffixes = { "", "", "", " 5 60 4", " 60 4", " 4", " 2000", "", "", "", " 5", "", "", "", "", "", "", " 5", "", "", "" };
            string[] rows = new string[prefixes.Length * malformed.Length];
            int n = 0;
            for (int slot = 0; slot < prefixes.Length; slot++)
            {
                for (int i = 0; i < malformed.Length; i++) rows[n++] = prefixes[slot] + malformed[i] + suffixes[slot];
            }
            AllRefused(rows, "ERR 400");
        }

        [TestMethod]
        public void Counts_minutes_and_seconds_take_no_decimals()
        {
            AllRefused(new string[] { "CAL 1000.5", "CAL 1000.0", "TEL 1.0", "LOG? 1.0 5", "LOG? 1 5.0", "PROG:PTM 10 5 60 4.0",
                "BOLUS 1 2.5", "PROG:PTM 10 2.5 60 4", "PROG:PTM 10 5 0.5 4", "TIME 1700000000.5" }, "ERR 400");
        }

        [TestMethod]
        public void Well_formed_numbers_out_of_range_however_large_are_422()
        {
            AllRefused(new string[] {
                "PROG:DRUG baclofen " + Long25, "PROG:DRUG baclofen 0", "PROG:DRUG baclofen 100000.001",
                "PROG:LIMIT " + Long25, "PROG:LIMIT 0", "PROG:STEP 08:00 " + Long25, "PROG:PTM " + Long25 + " 5 60 4",
                "PROG:PTM 10 0 60 4", "PROG:PTM 10 1441 60 4", "PROG:PTM 10 5 1441 4", "PROG:PTM 10 5 60 0",
                "PROG:PTM 10 5 60 101", "PROG:PTM 10 5 60 " + Long25, "PROG:RESERVOIR " + Long25 + " 2000",
                "PROG:RESERVOIR 0 0", "PROG:RESERVOIR 1000 2000", "PROG:CATHETER " + Long25, "PROG:MINRATE " + Long25,
                "REFILL " + Long25, "REFILL 20000.001", "TIME " + Long25, "CAL 0", "CAL 10000001", "CAL " + Long25,
                "TEL 3601", "TEL " + Long25, "LOG? 1 101", "LOG? 1 " + Long25, "BOLUS " + Long25 + " 5",
                "BOLUS 1 " + Long25 }, "ERR 422");
        }

        [TestMethod]
        public void Missing_and_extra_arguments_are_400()
        {
            AllRefused(new string[] { "TIME", "TIME 1 2", "AUTH", "AUTH 0000 0000", "PIN", "PIN 1234 5678",
                "PROG:DRUG", "PROG:DRUG baclofen", "PROG:DRUG baclofen 1 2", "PROG:LIMIT", "PROG:LIMIT 1 2",
                "PROG:STEP", "PROG:STEP 08:00", "PROG:STEP 08:00 1 2", "PROG:PTM", "PROG:PTM 1 2 3", "PROG:PTM 1 2 3 4 5",
                "PROG:PTM ON", "PROG:RESERVOIR", "PROG:RESERVOIR 1", "PROG:RESERVOIR 1 2 3", "PROG:CATHETER",
                "PROG:CATHETER 1 2", "PROG:MINRATE", "PROG:MINRATE 1 2", "PROG:COMMIT", "PROG:COMMIT ABCD BRIDGE X",
                "BOLUS", "BOLUS 1", "BOLUS 1 2 3", "PRIME", "PRIME 1 2", "REFILL", "REFILL 1 2 3", "CAL", "CAL 1 2",
                "ALARM:ACK", "ALARM:ACK STALL STALL", "TEL", "TEL 1 2", "LOG?", "LOG? 1", "LOG? 1 2 3", "CRC", "CRC ON OFF",
                "PROG:STEP 08:00 1 2 3 4 5 6 7 8 9 10 11 12 13 14" }, "ERR 400");
        }

        [TestMethod]
        public void Malformed_names_times_of_day_pins_crcs_and_words_are_400()
        {
            AllRefused(new string[] {
                "PROG:DRUG ABCDEFGHIJKLMNOPQ 1", "PROG:DRUG mor.phine 1", "PROG:DRUG caf" + NonAscii + " 1",
                "PROG:DRUG x" + Nul + " 1", "PROG:STEP 24:00 1", "PROG:STEP 12:60 1", "PROG:STEP 8:00 1",
                "PROG:STEP 08-00 1", "PROG:STEP 0800 1", "PROG:STEP 08:00:00 1", "AUTH 123", "AUTH 123456789",
                "AUTH 12a4", "AUTH " + NonAscii + NonAscii + NonAscii + NonAscii, "PIN 123", "PIN 123456789", "PIN abcd",
                "PROG:COMMIT 12345", "PROG:COMMIT XYZW", "PROG:COMMIT ABC", "PROG:COMMIT ABCD FOO",
                "ALARM:ACK FOO", "ALARM:ACK " + Nul, "CRC MAYBE" }, "ERR 400");
        }

        [TestMethod]
        public void Requests_the_state_does_not_allow_are_409()
        {
            DevicePump pump = RunningWithStagedEdit();
            Assert.IsFalse(pump.Send("PROG:REVIEW").IndexOf("crc=0000 ") >= 0, "the staged crc happens to be 0000");
            AllRefused(new string[] { "PROG:COMMIT 0000", "START", "PRIME 10", "BOLUS:CANCEL", "ALARM:ACK STALL" }, "ERR 409");
        }

        [TestMethod]
        public void A_line_too_long_is_400_and_the_next_line_is_read()
        {
            DevicePump pump = RunningWithStagedEdit();
            byte[] before = pump.StateWithoutLog();
            string longLine = "STATUS?";
            while (longLine.Length < 300) longLine = longLine + " 0123456789";
            Assert.StartsWith("ERR 400 line too long", pump.Send(longLine));
            Assert.IsTrue(DevicePump.SameBytes(before, pump.StateWithoutLog()));
            Assert.StartsWith("OK state=RUNNING", pump.Send("STATUS?"));
        }

        [TestMethod]
        public void A_refused_PTM_changes_nothing_but_its_log_record()
        {
            DevicePump pump = RunningWithStagedEdit();
            Assert.StartsWith("OK dose_ug=10.000", pump.Send("PTM"));
            pump.Advance(6 * 60); // the 5 min bolus is over; the 60 min lockout is not
            pump.Ok("AUTH 0000");
            byte[] before = pump.StateWithoutLog();
            long logBefore = pump.Device.App.Log.NextSeq;

            Assert.StartsWith("ERR 423", pump.Send("PTM"));

            Assert.IsTrue(DevicePump.SameBytes(before, pump.StateWithoutLog()));
            Assert.AreEqual(logBefore + 1, pump.Device.App.Log.NextSeq);
            Assert.AreEqual(Log.EventLogTypes.Ptm, pump.Device.App.Log.Type(logBefore));
        }
    }
}
