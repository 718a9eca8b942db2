"""Telemetry rows into a CSV that pandas reads as is.

The columns are those of ``pumpctl log`` (so ``pumpctl analyze`` reads the file too):
``host_utc`` (ISO 8601 UTC with ms, when the host received the line), then the device's
``!TEL`` fields exactly as printed, plus ``mass_g`` when a balance is read. Every row is
flushed as it is written, so a crash loses at most one row.

    import pandas as pd
    df = pd.read_csv("run.csv", parse_dates=["host_utc"])
"""
import csv
import datetime
from typing import IO, Optional, Union

from .messages import Message

TELEMETRY_COLUMNS = (
    "host_utc", "seq", "t_ms", "unix_s", "state", "delivered_ul", "steps",
    "reservoir_ul", "rate_ul_day", "alarms",
)


def utc_now_text() -> str:
    """Now as ``2026-01-01T00:00:00.000Z``."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


class TelemetryCsv:
    """Writes ``!TEL`` messages as CSV rows to an open text file (open it with ``newline=""``)."""

    def __init__(self, stream: IO[str], with_mass: bool = False):
        self._stream = stream
        self._with_mass = with_mass
        self._writer = csv.writer(stream, lineterminator="\n")
        columns = list(TELEMETRY_COLUMNS) + (["mass_g"] if with_mass else [])
        self._writer.writerow(columns)
        self.rows = 0

    def write(self, tel: Message, host_utc: Optional[str] = None, mass_g: Union[float, str, None] = None) -> None:
        """Writes one ``!TEL`` message; device values are written as the device printed them.

        ``mass_g`` is best given as the balance printed it (a string), so the file shows the
        balance's resolution; a float is written with 7 decimals.
        """
        if tel.kind != "TEL":
            raise ValueError("not a telemetry line: %s" % tel.raw)
        printed = {}
        for word in tel.raw.split()[1:]:
            eq = word.find("=")
            if eq > 0:
                printed[word[:eq]] = word[eq + 1:]
        row = [host_utc or utc_now_text()] + [printed.get(c, "") for c in TELEMETRY_COLUMNS[1:]]
        if self._with_mass:
            row.append("" if mass_g is None else mass_g if isinstance(mass_g, str) else "%.7f" % mass_g)
        self._writer.writerow(row)
        self._stream.flush()
        self.rows += 1
