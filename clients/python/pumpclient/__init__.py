"""A Python client for PumpFirmware's serial protocol (version 1).

Standard library only; pyserial is imported only when a real serial port is opened.
Research equipment, not a medical device: never connect a pump to a patient.

    from pumpclient import Pump
    with Pump.virtual("artifacts/bin/PumpCtl/debug/pumpctl.dll") as pump:
        status = pump.request("STATUS?")
        print(status["state"], status["delivered_ul"], status.units["delivered_ul"])
"""
from .crc import crc16, with_crc, strip_crc
from .errors import PumpError, DeviceError, ChecksumError, LinkTimeout
from .messages import Message, parse_line, unit_of
from .client import Pump
from .telemetry import TelemetryCsv, TELEMETRY_COLUMNS

__all__ = [
    "crc16", "with_crc", "strip_crc",
    "PumpError", "DeviceError", "ChecksumError", "LinkTimeout",
    "Message", "parse_line", "unit_of",
    "Pump", "TelemetryCsv", "TELEMETRY_COLUMNS",
]

__version__ = "1.0.0"
