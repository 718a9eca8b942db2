"""A lab balance speaking MT-SICS level 0: ``SI`` answers ``S S      12.3456 g`` (stable) or
``S D ...`` (dynamic); the mass is returned in grams (mg and kg are converted)."""
import re
from typing import Optional, Tuple

from .errors import LinkTimeout, PumpError

_REPLY = re.compile(r"^S\s+([SD])\s+(-?[0-9]+(?:\.[0-9]+)?)\s*(mg|g|kg)$")
_TO_GRAMS = {"mg": 0.001, "g": 1.0, "kg": 1000.0}


def parse_reading(reply: str) -> Tuple[float, bool]:
    """``(mass_g, stable)`` of an ``SI``/``S`` reply; ``PumpError`` for an error reply."""
    m = _REPLY.match(reply.strip())
    if m is None:
        raise PumpError("the balance answered %r instead of a weight" % reply)
    return float(m.group(2)) * _TO_GRAMS[m.group(3)], m.group(1) == "S"


class Balance:
    """Reads a balance over a transport (a ``PtyTransport`` or a ``SerialTransport``)."""

    def __init__(self, transport, timeout: float = 2.0):
        self.transport = transport
        self.timeout = timeout

    def read(self, command: str = "SI") -> Tuple[float, bool]:
        """Sends ``SI`` (immediate) or ``S`` (stable) and returns ``(mass_g, stable)``."""
        self.transport.write_line(command)
        reply = self.transport.read_line(self.timeout)
        if reply is None:
            raise LinkTimeout("balance on %s: no reply to %s within %.1f s" % (self.transport.name, command, self.timeout))
        return parse_reading(reply)

    def mass_g(self) -> Optional[float]:
        """The immediate mass in g, or None when the balance gives none."""
        try:
            return self.read("SI")[0]
        except PumpError:
            return None

    def mass_g_text(self) -> Optional[str]:
        """The immediate mass in g as the balance printed it (its digits show its resolution), or None."""
        self.transport.write_line("SI")
        reply = self.transport.read_line(self.timeout)
        if reply is None:
            return None
        m = _REPLY.match(reply.strip())
        if m is None:
            return None
        return m.group(2) if m.group(3) == "g" else "%.10g" % (float(m.group(2)) * _TO_GRAMS[m.group(3)])

    def close(self) -> None:
        self.transport.close()
