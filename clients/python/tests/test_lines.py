"""The protocol's lines without a device: CRC, parsing into dicts with units, the CSV."""
import ast
import csv
import io
import os
import unittest

from pumpclient import ChecksumError, LinkTimeout, Pump, TelemetryCsv, crc16, parse_line, strip_crc, unit_of, with_crc
from pumpclient.balance import parse_reading
from pumpclient.errors import PumpError

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(os.path.dirname(HERE), "pumpclient")


class CrcTests(unittest.TestCase):
    def test_check_value_of_the_standard_string_is_29B1(self):
        self.assertEqual(0x29B1, crc16(b"123456789"))

    def test_with_crc_appends_upper_case_hex(self):
        self.assertEqual("STATUS?*%04X" % crc16(b"STATUS?"), with_crc("STATUS?"))
        self.assertEqual(with_crc("abc")[-4:], with_crc("abc")[-4:].upper())

    def test_strip_crc_tells_match_mismatch_and_absence(self):
        good = with_crc("OK state=RUNNING")
        self.assertEqual(("OK state=RUNNING", True), strip_crc(good))
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        self.assertEqual(("OK state=RUNNING", False), strip_crc(bad))
        self.assertEqual(("OK", None), strip_crc("OK"))
        self.assertEqual(("OK a=b*XYZW", None), strip_crc("OK a=b*XYZW"))


class ParseTests(unittest.TestCase):
    STATUS = ("OK state=RUNNING t_ms=4301 unix_s=0 delivered_ul=12.345 steps=790 reservoir_ul=19987.655 "
              "rate_ul_day=1200.000 rate_ug_day=2400.000 bolus=NONE alarms=LOW_RESERVOIR,DOSE_LIMIT "
              "program_crc=1234 empty_in_s=-1 pin_default=YES")

    def test_status_fields_become_numbers_with_units(self):
        m = parse_line(self.STATUS)
        self.assertEqual("OK", m.kind)
        self.assertTrue(m.is_ok)
        self.assertEqual(12.345, m["delivered_ul"])
        self.assertEqual("uL", m.units["delivered_ul"])
        self.assertEqual(4301, m["t_ms"])
        self.assertIsInstance(m["t_ms"], int)
        self.assertEqual((2400.0, "ug/day"), m.quantity("rate_ug_day"))
        self.assertEqual((1200.0, "uL/day"), m.quantity("rate_ul_day"))
        self.assertEqual((790, "steps"), m.quantity("steps"))
        self.assertEqual((-1, "s"), m.quantity("empty_in_s"))

    def test_words_and_identifiers_stay_strings(self):
        m = parse_line(self.STATUS)
        self.assertEqual("RUNNING", m["state"])
        self.assertEqual("LOW_RESERVOIR,DOSE_LIMIT", m["alarms"])
        self.assertEqual("1234", m["program_crc"])   # an all-digit CRC is not a number
        self.assertNotIn("program_crc", m.units)

    def test_async_lines_are_tagged_by_kind(self):
        tel = parse_line("!TEL seq=7 t_ms=210000 unix_s=0 state=RUNNING delivered_ul=2.906 steps=186 "
                         "reservoir_ul=19997.094 rate_ul_day=1200.000 alarms=NONE")
        self.assertEqual("TEL", tel.kind)
        self.assertTrue(tel.is_async)
        self.assertEqual(7, tel["seq"])
        self.assertEqual(2.906, tel["delivered_ul"])
        alarm = parse_line("!ALARM code=OCCLUSION state=RAISED t_ms=4064")
        self.assertEqual(("ALARM", "OCCLUSION", 4064), (alarm.kind, alarm["code"], alarm["t_ms"]))

    def test_err_carries_code_text_and_details(self):
        m = parse_line("ERR 403 wrong PIN attempts_left=3")
        self.assertEqual("ERR", m.kind)
        self.assertEqual(403, m["code"])
        self.assertEqual("wrong PIN attempts_left=3", m["text"])
        self.assertEqual(3, m["attempts_left"])

    def test_library_lines_give_limits_as_numbers_NONE_as_a_word_and_the_crc_as_text(self):
        m = parse_line("!LIB drug=ziconotide source=DEFAULT max_conc_ug_ml=100.000 max_ug_day=19.200 max_step_ug_day=NONE "
                       "max_increases_7d=3 max_increase_7d_ug_day=7.200 drug_crc=1234")
        self.assertEqual("LIB", m.kind)
        self.assertEqual((100.0, "ug/mL"), m.quantity("max_conc_ug_ml"))
        self.assertEqual((19.2, "ug/day"), m.quantity("max_ug_day"))
        self.assertEqual(("NONE", 3, "1234"), (m["max_step_ug_day"], m["max_increases_7d"], m["drug_crc"]))
        self.assertEqual((2, 9), (parse_line("OK drug=x source=PUMP increases_7d=2")["increases_7d"],
                                  parse_line("ERR 422 entries=9 exceeds max_entries=8")["entries"]))

    def test_special_units(self):
        m = parse_line("OK steps_per_ml=64000 max_steps_s=1000")
        self.assertEqual((64000, "steps/mL"), m.quantity("steps_per_ml"))
        self.assertEqual((1000, "steps/s"), m.quantity("max_steps_s"))
        self.assertEqual("ug/mL", unit_of("conc_ug_ml"))
        self.assertEqual("min", unit_of("ptm_lockout_min"))
        self.assertIsNone(unit_of("state"))

    def test_a_non_protocol_line_is_refused(self):
        with self.assertRaises(ValueError):
            parse_line("hello")
        with self.assertRaises(ValueError):
            parse_line("   ")


class TelemetryCsvTests(unittest.TestCase):
    def test_rows_keep_the_device_text_and_quote_alarm_lists(self):
        out = io.StringIO()
        table = TelemetryCsv(out, with_mass=True)
        tel = parse_line("!TEL seq=1 t_ms=30000 unix_s=0 state=RUNNING delivered_ul=0.406 steps=26 "
                         "reservoir_ul=19999.594 rate_ul_day=1200.000 alarms=LOW_RESERVOIR,DOSE_LIMIT")
        table.write(tel, "2026-01-01T00:00:30.000Z", 0.0004)
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        self.assertEqual(["host_utc", "seq", "t_ms", "unix_s", "state", "delivered_ul", "steps",
                          "reservoir_ul", "rate_ul_day", "alarms", "mass_g"], rows[0])
        self.assertEqual(["2026-01-01T00:00:30.000Z", "1", "30000", "0", "RUNNING", "0.406", "26",
                          "19999.594", "1200.000", "LOW_RESERVOIR,DOSE_LIMIT", "0.0004000"], rows[1])
        self.assertIn('"LOW_RESERVOIR,DOSE_LIMIT"', out.getvalue())

    def test_only_telemetry_lines_are_rows(self):
        table = TelemetryCsv(io.StringIO())
        with self.assertRaises(ValueError):
            table.write(parse_line("!ALARM code=EMPTY state=RAISED t_ms=1"))


class BalanceReplyTests(unittest.TestCase):
    def test_stable_dynamic_and_units(self):
        self.assertEqual((12.3456, True), parse_reading("S S      12.3456 g"))
        self.assertEqual((0.5, False), parse_reading("S D      500.0 mg"))
        self.assertEqual((1500.0, True), parse_reading("S S 1.5 kg"))
        with self.assertRaises(PumpError):
            parse_reading("ES")


class ScriptedTransport:
    """Answers each request with the next scripted lines."""

    def __init__(self, *answers):
        self.name = "scripted"
        self.sent = []
        self._answers = list(answers)
        self._lines = []

    def write_line(self, text):
        self.sent.append(text)
        self._lines.extend(self._answers.pop(0))

    def read_line(self, timeout):
        return self._lines.pop(0) if self._lines else None

    def close(self):
        return 0


class RequestTests(unittest.TestCase):
    def test_a_status_line_with_a_wrong_or_missing_crc_is_an_error(self):
        for answer in ("OK*0000", "OK"):
            pump = Pump(ScriptedTransport([answer]), timeout=0.1)
            with self.assertRaises(ChecksumError):
                pump.request("STATUS?")
            self.assertEqual([with_crc("STATUS?")], pump.transport.sent)

    def test_async_lines_with_a_bad_crc_are_dropped_and_counted(self):
        pump = Pump(ScriptedTransport(["!TEL seq=1*0000", with_crc("!TEL seq=2"), with_crc("OK")]), timeout=0.1)
        reply = pump.request("TEL 1")
        self.assertEqual([2], [m["seq"] for m in reply.async_lines])
        self.assertEqual(1, pump.corrupt_lines)

    def test_silence_is_a_link_timeout(self):
        pump = Pump(ScriptedTransport([]), timeout=0.05)
        with self.assertRaises(LinkTimeout):
            pump.request("STATUS?")


class PythonVersionTests(unittest.TestCase):
    def test_the_client_parses_as_python_3_9(self):
        # Nothing past 3.9 in the code: every module must parse with 3.9's grammar.
        for name in sorted(os.listdir(PACKAGE)):
            if name.endswith(".py"):
                with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
                    ast.parse(f.read(), name, feature_version=(3, 9))

    def test_the_core_imports_nothing_outside_the_standard_library_but_pyserial_lazily(self):
        for name in sorted(os.listdir(PACKAGE)):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
                tree = ast.parse(f.read())
            for node in tree.body:   # module level only: pyserial is imported inside a function
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    for n in names:
                        self.assertNotIn(n.split(".")[0], ("serial", "pandas", "numpy", "matplotlib"), name)


if __name__ == "__main__":
    unittest.main()
