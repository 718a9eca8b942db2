"""The client against the real firmware core: the virtual device over stdio, manual clock.

Needs the built pumpctl: PUMPCTL_DLL names it (the xunit test that runs these passes it);
without it the checkout's artifacts/bin/PumpCtl/debug/pumpctl.dll is used, and when that
is missing too the tests are skipped with a message.
"""
import csv
import os
import shutil
import tempfile
import unittest

from pumpclient import ChecksumError, DeviceError, Pump

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_DLL = os.path.join(REPO, "artifacts", "bin", "PumpCtl", "debug", "pumpctl.dll")


def pumpctl_dll():
    given = os.environ.get("PUMPCTL_DLL")
    if given:
        if not os.path.isfile(given):
            raise AssertionError("PUMPCTL_DLL=%s does not exist" % given)
        return given
    return DEFAULT_DLL if os.path.isfile(DEFAULT_DLL) else None


DLL = pumpctl_dll()
NO_DEVICE = "the virtual device is not built: run 'dotnet build tools/PumpCtl' or set PUMPCTL_DLL"
NO_DOTNET = "no 'dotnet' on PATH to run the virtual device"


@unittest.skipIf(DLL is None, NO_DEVICE)
@unittest.skipIf(shutil.which("dotnet") is None, NO_DOTNET)
class VirtualDeviceTests(unittest.TestCase):
    def setUp(self):
        self.pump = Pump.virtual(DLL)
        self.addCleanup(self.pump.close)

    def baclofen_50_ul_h(self):
        # 2400 ug/day of 2000 ug/mL = 1200 uL/day = 50 uL/h.
        self.pump.auth("0000")
        crc = self.pump.program("baclofen", 2000, 5000, [("00:00", 2400)], ["PROG:RESERVOIR 20000 2000"])
        self.pump.request("REFILL 20000")
        self.pump.request("START")
        return crc

    def test_boot_is_seen_and_status_parses_with_units(self):
        self.assertEqual("BOOT", self.pump.events[0].kind)
        status = self.pump.status()
        self.assertEqual("STOPPED", status["state"])
        self.assertEqual((0.0, "uL"), status.quantity("delivered_ul"))
        self.assertEqual(0, status["t_ms"])
        self.assertEqual("NONE", status["program_crc"])

    def test_requests_carry_a_crc_the_device_accepts_and_a_wrong_one_is_refused(self):
        self.assertTrue(self.pump.crc)
        self.assertTrue(self.pump.request("*IDN?").is_ok)
        self.pump.transport.write_line("STATUS?*0000")
        with self.assertRaises(DeviceError) as caught:
            self.pump.request("STATUS?")   # reads the 401 first: one status line per request, in order
        self.assertEqual(401, caught.exception.code)
        self.assertTrue(self.pump.request("STATUS?").is_ok)

    def test_err_raises_with_code_and_text_and_changes_nothing(self):
        with self.assertRaises(DeviceError) as caught:
            self.pump.request("START")
        self.assertEqual(403, caught.exception.code)
        self.assertIn("auth", caught.exception.text)
        self.assertIn("ERR 403", str(caught.exception))
        self.pump.auth()
        with self.assertRaises(DeviceError) as caught:
            self.pump.request("CAL 0")
        self.assertEqual(422, caught.exception.code)
        self.assertEqual(64000, self.pump.request("CAL?")["steps_per_ml"])
        refused = self.pump.request("START", check=False)
        self.assertEqual(("ERR", 409), (refused.kind, refused["code"]))

    def test_without_crc_mode_a_status_line_needs_no_suffix(self):
        self.pump.crc = False
        self.assertTrue(self.pump.status().is_ok)
        self.pump.crc = True
        self.assertTrue(self.pump.status().is_ok)

    def test_alarm_lines_arrive_as_async_messages(self):
        self.baclofen_50_ul_h()
        reply = self.pump.request("SIM:FAULT OCCLUSION")
        reply = reply if any(m.kind == "ALARM" for m in reply.async_lines) else self.pump.advance(2)
        alarms = [m for m in self.pump.events if m.kind == "ALARM" and m["code"] == "OCCLUSION"]
        self.assertEqual("RAISED", alarms[0]["state"])
        self.assertEqual("ms", alarms[0].units["t_ms"])

    def test_hist_and_refills_give_one_message_per_day_and_per_refill(self):
        self.baclofen_50_ul_h()
        self.pump.request("TIME 1767225600")
        self.pump.advance(90000)   # 25 h at 2400 ug/day
        days = self.pump.hist(5)
        self.assertEqual(["2026-01-01", "2026-01-02"], [d["date"] for d in days[-2:]])
        self.assertAlmostEqual(2400.0, days[-2]["basal_ug"], delta=0.05)
        self.assertAlmostEqual(days[-1]["basal_ug"], days[-1]["total_ug"])
        self.pump.auth("0000")
        reply = self.pump.request("REFILL 20000 15000")
        self.assertAlmostEqual(20000 - 1250, reply["measured_ul"] - reply["gap_ul"], delta=0.05)
        refills = self.pump.refills()
        self.assertEqual("NONE", refills[0]["measured_ul"])
        self.assertEqual(15000.0, refills[1]["measured_ul"])
        self.assertEqual("YES", refills[1]["alarm"])

    def test_library_lists_the_compiled_in_entries_with_numbers_and_NONE(self):
        entries = {m["drug"]: m for m in self.pump.library()}
        self.assertEqual(["morphine", "baclofen", "ziconotide"], list(entries))
        zic = entries["ziconotide"]
        self.assertEqual(("DEFAULT", 19.2, 2.4, 3), (zic["source"], zic["max_ug_day"], zic["max_step_ug_day"], zic["max_increases_7d"]))
        self.assertEqual("ug/mL", zic.units["max_conc_ug_ml"])
        self.assertEqual("NONE", entries["baclofen"]["max_ug_day"])
        self.assertEqual("CD86", entries["morphine"]["drug_crc"])
        one = self.pump.library_entry("ziconotide")
        self.assertEqual((0, 0.0), (one["increases_7d"], one["increase_7d_ug_day"]))
        self.assertEqual("NONE", self.pump.library_entry("water")["source"])

    def test_set_and_clear_library_need_a_session_store_the_whole_entry_and_refusals_change_nothing(self):
        before = [dict(m) for m in self.pump.library()]
        with self.assertRaises(DeviceError) as caught:
            self.pump.set_library("morphine", max_ug_day=10000)
        self.assertEqual(403, caught.exception.code)
        self.pump.auth()
        entry = self.pump.set_library("morphine", max_ug_day=10000, max_increases_7d=2)
        self.assertEqual(("PUMP", "NONE", 10000.0, 2), (entry["source"], entry["max_conc_ug_ml"], entry["max_ug_day"], entry["max_increases_7d"]))
        # The guard now refuses a morphine program above 10 mg/day, and says which limit.
        with self.assertRaises(DeviceError) as caught:
            self.pump.program("morphine", 10000, 20000, [("00:00", 12000)])
        self.assertEqual(422, caught.exception.code)
        self.assertIn("exceeds max_ug_day=10000.000 drug=morphine", caught.exception.text)
        self.assertEqual("DEFAULT", self.pump.clear_library("morphine")["source"])
        self.assertEqual(before, [dict(m) for m in self.pump.library()])
        for bad in (lambda: self.pump.clear_library("morphine"),                  # 409: no per-pump entry
                    lambda: self.pump.set_library("morphine", max_ug_day=0),      # 422: out of range
                    lambda: self.pump.set_library("morphine", max_increases_7d=101)):
            with self.assertRaises(DeviceError):
                bad()
        for bad in (lambda: self.pump.set_library("Mor phine", max_ug_day=1),     # refused here, never sent
                    lambda: self.pump.set_library("morphine", max_ug_day=1.0001),
                    lambda: self.pump.set_library("morphine", max_increases_7d=1.5),
                    lambda: self.pump.set_library("morphine", max_ug_day="lots"),
                    lambda: self.pump.clear_library("")):
            with self.assertRaises(ValueError):
                bad()
        self.assertEqual(before, [dict(m) for m in self.pump.library()])

    def test_a_simulated_hour_of_telemetry_becomes_a_csv_pandas_reads(self):
        self.baclofen_50_ul_h()
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        path = os.path.join(folder, "run.csv")
        rows = self.pump.log_telemetry(path, period_s=30, duration_s=3600, sim_advance=True)
        self.assertEqual(120, rows)
        with open(path, newline="") as f:
            table = list(csv.DictReader(f))
        self.assertEqual(120, len(table))
        self.assertEqual(list(range(1, 121)), [int(r["seq"]) for r in table])
        self.assertEqual(3600000, int(table[-1]["t_ms"]))
        # 50 uL/h for an hour, within one motor step (1/64 uL).
        self.assertLessEqual(abs(float(table[-1]["delivered_ul"]) - 50.0), 1 / 64 + 1e-9)
        self.assertTrue(all(r["state"] == "RUNNING" for r in table))
        self.assertTrue(table[0]["host_utc"].endswith("Z"))
        with self.assertRaises(FileExistsError):
            self.pump.log_telemetry(path, period_s=30, duration_s=60, sim_advance=True)


@unittest.skipIf(DLL is None, NO_DEVICE)
@unittest.skipIf(shutil.which("dotnet") is None, NO_DOTNET)
class VirtualBalanceTests(unittest.TestCase):
    def test_the_simulated_balance_weighs_what_the_head_delivered(self):
        # The head delivers 2 % more than commanded; the balance sees it, the counters do not.
        with Pump.virtual(DLL, balance=True, sim_args=["--cal-error-ppm", "20000"]) as pump:
            pump.auth()
            pump.program("water", 1000, 100000, [("00:00", 24000)], ["PROG:RESERVOIR 20000 2000"])  # 1000 uL/h
            pump.request("REFILL 20000")
            pump.request("START")
            folder = tempfile.mkdtemp()
            self.addCleanup(shutil.rmtree, folder)
            path = os.path.join(folder, "run.csv")
            self.assertEqual(20, pump.log_telemetry(path, period_s=30, duration_s=600, sim_advance=True))
            with open(path, newline="") as f:
                last = list(csv.DictReader(f))[-1]
            volume_ul = float(last["delivered_ul"])
            weighed_ul = float(last["mass_g"]) / 0.998 * 1000
            self.assertAlmostEqual(1.02, weighed_ul / volume_ul, delta=0.001)
            self.assertRegex(last["mass_g"], r"^[0-9]+\.[0-9]{4}$")   # as the balance printed it: 0.1 mg


if __name__ == "__main__":
    unittest.main()
