"""The pump: requests and their status lines, asynchronous lines, telemetry logging.

Every request gets exactly one status line; ``!`` lines may arrive before it and at any
time. ``request`` returns the status line as a ``Message`` and raises ``DeviceError`` for
``ERR`` (code and text). With ``crc=True`` (the default) every request carries the
CRC-16 suffix ``*HHHH``, and the status line must come back with a matching one.
"""
import collections
import numbers
import os
import re
import time
from typing import Callable, Deque, Iterable, List, Optional, Sequence

from .balance import Balance
from .crc import strip_crc, with_crc
from .errors import ChecksumError, DeviceError, LinkTimeout
from .messages import Message, parse_line
from .telemetry import TelemetryCsv, utc_now_text
from .transport import PtyTransport, SerialTransport, StdioTransport


class Pump:
    """A pump on a transport. Use ``Pump.open_port`` or ``Pump.virtual``; close it (or use ``with``)."""

    def __init__(self, transport, crc: bool = True, timeout: float = 10.0):
        self.transport = transport
        self.crc = crc
        self.timeout = timeout
        self.events = collections.deque(maxlen=10000)  # type: Deque[Message]
        self.corrupt_lines = 0
        self.on_async = None  # type: Optional[Callable[[Message], None]]
        self.balance = None  # type: Optional[Balance]

    # ---- opening -------------------------------------------------------------------
    @classmethod
    def open_port(cls, port: str, baudrate: int = 115200, **kwargs) -> "Pump":
        """A pump on a serial port (needs pyserial), e.g. ``/dev/ttyUSB0``."""
        return cls(SerialTransport(port, baudrate), **kwargs)

    @classmethod
    def virtual(cls, pumpctl: Optional[str] = None, clock: str = "manual", balance: bool = False,
                sim_args: Sequence[str] = (), cwd: Optional[str] = None, **kwargs) -> "Pump":
        """Starts the virtual device over stdio: ``pumpctl sim --stdio --clock <clock>``.

        ``pumpctl`` is the built ``pumpctl.dll`` (run with ``dotnet``) or a ``pumpctl``
        executable; by default the ``PUMPCTL_DLL`` environment variable, else
        ``dotnet run --project tools/PumpCtl --`` in ``cwd`` (a checkout). ``balance=True``
        adds the simulated balance (``--balance-pty``) as ``pump.balance``. ``sim_args``
        are further ``pumpctl sim`` options, e.g. ``["--cal-error-ppm", "20000"]``.
        """
        pumpctl = pumpctl or os.environ.get("PUMPCTL_DLL")
        if pumpctl is None:
            head = ["dotnet", "run", "--project", "tools/PumpCtl", "--"]
        elif pumpctl.endswith(".dll"):
            head = ["dotnet", pumpctl]
        else:
            head = [pumpctl]
        command = head + ["sim", "--stdio", "--clock", clock] + (["--balance-pty"] if balance else []) + list(sim_args)
        transport = StdioTransport(command, cwd=cwd)
        pump = cls(transport, **kwargs)
        # `dotnet run` builds first, which can take minutes on a cold checkout.
        boot = pump.read_async(timeout=600.0 if pumpctl is None else 60.0)
        if boot is None or boot.kind != "BOOT":
            transport.close(timeout=1)
            raise LinkTimeout("the virtual device did not boot: %s" % (transport.stderr_lines[-3:] or "no output"))
        if balance:
            line = transport.wait_stderr("BALANCE ", 10.0)
            if line is None:
                pump.close()
                raise LinkTimeout("the virtual device did not announce its balance")
            pump.balance = Balance(PtyTransport(line[len("BALANCE "):]))
        return pump

    def close(self) -> None:
        """Closes the link (the virtual device ends with its input)."""
        if self.balance is not None:
            self.balance.close()
            self.balance = None
        self.transport.close()

    def __enter__(self) -> "Pump":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- lines ---------------------------------------------------------------------
    def _receive(self, timeout: float):
        """One checked line as ``(message, had_crc)``; None on timeout; corrupt lines are counted and skipped."""
        raw = self.transport.read_line(timeout)
        if raw is None:
            return None
        body, verdict = strip_crc(raw)
        if verdict is False:
            self.corrupt_lines += 1
            if body.startswith(("OK", "ERR")):
                raise ChecksumError("%s: a status line failed its CRC check: %s" % (self.transport.name, raw))
            return "skip", False
        if not body.strip():
            return "skip", False
        try:
            return parse_line(body), verdict is True
        except ValueError:
            return "skip", False   # noise that is not a protocol line carries no answer

    def _deliver(self, message: Message) -> None:
        self.events.append(message)
        if self.on_async is not None:
            self.on_async(message)

    def request(self, line: str, timeout: Optional[float] = None, check: bool = True) -> Message:
        """Sends ``line`` and returns its status line.

        The ``!`` lines that arrived before it are in the result's ``async_lines`` (and in
        ``events``). Raises ``DeviceError`` on ``ERR`` (unless ``check=False``),
        ``ChecksumError`` on a corrupt status line, ``LinkTimeout`` when none arrives.
        """
        self.transport.write_line(with_crc(line) if self.crc else line)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        before = []  # type: List[Message]
        while True:
            left = deadline - time.monotonic()
            got = self._receive(left) if left > 0 else None
            if got is None:
                raise LinkTimeout("%s: no answer to '%s' within %.1f s" % (self.transport.name, line, self.timeout if timeout is None else timeout))
            message, had_crc = got
            if message == "skip":
                continue
            if message.is_async:
                before.append(message)
                self._deliver(message)
                continue
            if self.crc and not had_crc:
                raise ChecksumError("%s: the answer to '%s' carries no CRC: %s" % (self.transport.name, line, message.raw))
            message.async_lines = before
            if message.kind == "ERR" and check:
                raise DeviceError(message["code"], message["text"], line, message)
            return message

    def read_async(self, timeout: float) -> Optional[Message]:
        """The next ``!`` line, or None when none arrives within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            got = self._receive(max(left, 0))
            if got is None:
                return None
            message, _ = got
            if message != "skip" and message.is_async:
                self._deliver(message)
                return message
            if left <= 0:
                return None

    # ---- conveniences ----------------------------------------------------------------
    def auth(self, pin: str = "0000") -> Message:
        return self.request("AUTH %s" % pin)

    def status(self) -> Message:
        return self.request("STATUS?")

    def program(self, drug: str, conc_ug_ml: float, limit_ug_day: float, steps: Iterable,
                extra: Sequence[str] = ()) -> str:
        """Stages, reviews and commits a program; returns its CRC.

        ``steps`` are ``(hh:mm, ug_day)`` pairs; ``extra`` more ``PROG:`` lines such as
        ``"PROG:RESERVOIR 20000 2000"``. The commit names the CRC the review printed, so
        exactly the reviewed program runs.
        """
        self.request("PROG:NEW")
        self.request("PROG:DRUG %s %s" % (drug, _num(conc_ug_ml)))
        self.request("PROG:LIMIT %s" % _num(limit_ug_day))
        for at, ug_day in steps:
            self.request("PROG:STEP %s %s" % (at, _num(ug_day)))
        for line in extra:
            self.request(line)
        crc = str(self.request("PROG:REVIEW")["crc"])
        self.request("PROG:COMMIT %s" % crc)
        return crc

    def hist(self, days: int = 31) -> List[Message]:
        """``HIST? <days>``: drug delivered per day, oldest first, one message per day with
        ``date`` (``2026-01-01``, or ``T+<n>`` before the wall clock was set) and ``basal_ug``,
        ``ptm_ug``, ``clinician_ug``, ``bridge_ug``, ``prime_ug``, ``minrate_ug``, ``total_ug``."""
        reply = self.request("HIST? %d" % days)
        return [m for m in reply.async_lines if m.kind == "HIST"]

    def refills(self) -> List[Message]:
        """``REFILL?``: the refill history, oldest first (``expected_ul``, ``measured_ul`` and
        ``gap_ul`` are ``NONE`` strings for a refill made without a measured residual)."""
        reply = self.request("REFILL?")
        return [m for m in reply.async_lines if m.kind == "REFILL"]

    def library(self) -> List[Message]:
        """``LIB?``: the drug library entries in force, one message per drug, in the pump's order.

        Each has ``drug``, ``source`` (``DEFAULT`` compiled in, ``PUMP`` set on this pump),
        ``max_conc_ug_ml``, ``max_ug_day``, ``max_step_ug_day``, ``max_increases_7d``,
        ``max_increase_7d_ug_day`` (numbers, or the string ``NONE``: does not limit) and
        ``drug_crc`` (the name's CRC-16, as the pump's log names the drug)."""
        reply = self.request("LIB?")
        return [m for m in reply.async_lines if m.kind == "LIB"]

    def library_entry(self, drug: str) -> Message:
        """``LIB? <drug>``: the entry in force for one drug (``source`` ``NONE`` and no limits when it
        has none) and its rises of ``daily_ug`` in the last 7 days: ``increases_7d`` and
        ``increase_7d_ug_day``."""
        return self.request("LIB? %s" % _drug(drug))

    def set_library(self, drug: str, max_conc_ug_ml=None, max_ug_day=None, max_step_ug_day=None,
                    max_increases_7d: Optional[int] = None, max_increase_7d_ug_day=None) -> Message:
        """``LIB:SET``: stores the drug's per-pump entry (needs ``auth()``); returns the entry now in
        force (``library_entry``).

        The entry is stored whole, as the protocol does: a limit left ``None`` (or given as
        ``"NONE"``) does not limit, even when the compiled-in entry it replaces had one.
        Quantities take at most 3 decimals and ``max_increases_7d`` a whole number; anything else
        raises ``ValueError`` before a request is sent. Values out of the pump's ranges raise
        ``DeviceError`` (422) and change nothing.
        """
        limits = (("max_conc_ug_ml", max_conc_ug_ml, False), ("max_ug_day", max_ug_day, False),
                  ("max_step_ug_day", max_step_ug_day, False), ("max_increases_7d", max_increases_7d, True),
                  ("max_increase_7d_ug_day", max_increase_7d_ug_day, False))
        words = ["drug=%s" % _drug(drug)] + ["%s=%s" % (key, _limit(key, value, count)) for key, value, count in limits]
        self.request("LIB:SET " + " ".join(words))
        return self.library_entry(drug)

    def clear_library(self, drug: str) -> Message:
        """``LIB:CLEAR``: removes the drug's per-pump entry (needs ``auth()``); returns the entry now in
        force: the compiled-in one, or ``source`` ``NONE``. A drug without a per-pump entry raises
        ``DeviceError`` (409) and changes nothing."""
        self.request("LIB:CLEAR %s" % _drug(drug))
        return self.library_entry(drug)

    def advance(self, seconds: float) -> Message:
        """``SIM:ADVANCE``: runs the virtual device through virtual time (manual clock)."""
        return self.request("SIM:ADVANCE %s" % _num(seconds), timeout=max(self.timeout, 60.0))

    def log_telemetry(self, path: str, period_s: int, duration_s: float, sim_advance: bool = False,
                      with_mass: Optional[bool] = None, overwrite: bool = False) -> int:
        """Records ``!TEL`` lines for ``duration_s`` seconds into a CSV at ``path``; returns the rows.

        With ``sim_advance`` (virtual device, manual clock) it sends ``SIM:ADVANCE <period>``
        instead of waiting, so an hour takes a second. ``with_mass`` (default: when a balance
        is attached) reads the balance for each row into ``mass_g``. Telemetry is switched off
        at the end, also after an error.
        """
        if os.path.exists(path) and not overwrite:
            raise FileExistsError("%s exists; pass overwrite=True to replace it" % path)
        with_mass = self.balance is not None if with_mass is None else with_mass
        if with_mass and self.balance is None:
            raise ValueError("with_mass needs a balance (Pump.virtual(balance=True))")
        if with_mass:
            self.balance.read("SI")   # a balance that does not answer fails here, before any row
        with open(path, "w", newline="", encoding="utf-8") as stream:
            table = TelemetryCsv(stream, with_mass)

            def row(message: Message) -> None:
                if message.kind == "TEL":
                    table.write(message, utc_now_text(), self.balance.mass_g_text() if with_mass else None)

            self.request("TEL %d" % period_s)
            try:
                if sim_advance:
                    for _ in range(int(round(duration_s / period_s))):
                        for message in self.advance(period_s).async_lines:
                            row(message)
                else:
                    end = time.monotonic() + duration_s
                    while time.monotonic() < end:
                        message = self.read_async(min(1.0, max(end - time.monotonic(), 0)))
                        if message is not None:
                            row(message)
            finally:
                self.request("TEL 0", check=False)
            return table.rows


def _num(x) -> str:
    """A number as the protocol wants it: decimal, at most 3 fractional digits, no exponent."""
    if isinstance(x, int):
        return str(x)
    text = "%.3f" % x
    return text.rstrip("0").rstrip(".") if "." in text else text


_DRUG = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


def _drug(name: str) -> str:
    """A drug name as the protocol takes it, or ValueError (nothing is sent)."""
    if not isinstance(name, str) or not _DRUG.match(name):
        raise ValueError("drug %r: expected 1 to 16 letters, digits, '_' or '-' (names are case-sensitive)" % (name,))
    return name


def _limit(key: str, value, count: bool) -> str:
    """A library limit as LIB:SET takes it: NONE for None, else the number exactly, or ValueError."""
    if value is None or (isinstance(value, str) and value.upper() == "NONE"):
        return "NONE"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError("%s=%r: expected a number or None" % (key, value))
    if count:
        if value != int(value):
            raise ValueError("%s=%r: expected a whole number or None" % (key, value))
        return str(int(value))
    text = _num(value)
    if abs(float(text) - value) > 1e-9 * max(1.0, abs(value)):
        raise ValueError("%s=%r: the pump takes at most 3 decimals" % (key, value))
    return text
