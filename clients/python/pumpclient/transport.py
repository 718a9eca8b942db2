"""Byte links to a pump, line by line: the virtual device over stdio, a serial port, a pty.

Each transport offers ``write_line(text)``, ``read_line(timeout) -> str or None`` (None when
no complete line arrived in time) and ``close()``. Reading never loses a partial line: it is
kept for the next call.
"""
import os
import queue
import select
import subprocess
import threading
import time
from typing import List, Optional, Sequence

from .errors import LinkTimeout

_EOF = object()


class StdioTransport:
    """A child process speaking the protocol on its stdin/stdout (``pumpctl sim --stdio``).

    Its stderr is collected in ``stderr_lines`` (the virtual device announces a simulated
    balance there as ``BALANCE <path>``).
    """

    def __init__(self, command: Sequence[str], cwd: Optional[str] = None):
        self.command = list(command)
        self.name = " ".join(self.command)
        self._process = subprocess.Popen(
            self.command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, bufsize=0)
        self._lines = queue.Queue()  # type: queue.Queue
        self.stderr_lines = []  # type: List[str]
        self._stderr_seen = threading.Condition()
        threading.Thread(target=self._pump_stdout, daemon=True).start()
        threading.Thread(target=self._pump_stderr, daemon=True).start()

    def _pump_stdout(self) -> None:
        for raw in iter(self._process.stdout.readline, b""):
            self._lines.put(raw.decode("ascii", "replace").rstrip("\r\n"))
        self._lines.put(_EOF)

    def _pump_stderr(self) -> None:
        for raw in iter(self._process.stderr.readline, b""):
            with self._stderr_seen:
                self.stderr_lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
                self._stderr_seen.notify_all()

    def wait_stderr(self, prefix: str, timeout: float) -> Optional[str]:
        """Waits for a stderr line starting with ``prefix``; returns it or None."""
        deadline = time.monotonic() + timeout
        with self._stderr_seen:
            while True:
                for line in self.stderr_lines:
                    if line.startswith(prefix):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self._process.poll() is not None:
                    return None
                self._stderr_seen.wait(left)

    def write_line(self, text: str) -> None:
        try:
            self._process.stdin.write((text + "\n").encode("ascii"))
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise LinkTimeout("%s: the virtual device has exited (%s)" % (self.name, self._exit_text()))

    def read_line(self, timeout: float) -> Optional[str]:
        try:
            item = self._lines.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None
        if item is _EOF:
            self._lines.put(_EOF)
            raise LinkTimeout("%s: the virtual device closed its output (%s)" % (self.name, self._exit_text()))
        return item

    def _exit_text(self) -> str:
        code = self._process.poll()
        tail = "; ".join(self.stderr_lines[-3:])
        return ("exit code %s" % code if code is not None else "still running") + (": " + tail if tail else "")

    def close(self, timeout: float = 10.0) -> int:
        """Ends the input (the device then exits cleanly) and waits; kills it if it hangs."""
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            code = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        self._process.stdout.close()
        self._process.stderr.close()
        return code


class SerialTransport:
    """A serial port through pyserial (imported here, so the rest needs nothing but Python)."""

    def __init__(self, port: str, baudrate: int = 115200, terminator: str = "\n"):
        try:
            import serial  # noqa: F401  (pyserial, only needed for real ports)
        except ImportError:
            raise ImportError("a serial port needs pyserial: python3 -m pip install pyserial "
                              "(or apt-get install python3-serial)")
        self.name = port
        self._terminator = terminator
        self._port = serial.Serial(port, baudrate=baudrate, timeout=0.05)
        self._pending = b""

    def write_line(self, text: str) -> None:
        self._port.write((text + self._terminator).encode("ascii"))
        self._port.flush()

    def read_line(self, timeout: float) -> Optional[str]:
        deadline = time.monotonic() + timeout
        while True:
            nl = self._pending.find(b"\n")
            if nl >= 0:
                line, self._pending = self._pending[:nl], self._pending[nl + 1:]
                return line.decode("ascii", "replace").rstrip("\r")
            if time.monotonic() >= deadline:
                return None
            self._pending += self._port.read(self._port.in_waiting or 1)

    def close(self) -> int:
        self._port.close()
        return 0


class PtyTransport:
    """A pseudo-terminal opened with the standard library (the virtual device's balance).

    The virtual device puts its ptys into raw mode itself, so no terminal settings are needed.
    """

    def __init__(self, path: str, terminator: str = "\r\n"):
        self.name = path
        self._terminator = terminator
        self._fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        self._pending = b""

    def write_line(self, text: str) -> None:
        os.write(self._fd, (text + self._terminator).encode("ascii"))

    def read_line(self, timeout: float) -> Optional[str]:
        deadline = time.monotonic() + timeout
        while True:
            nl = self._pending.find(b"\n")
            if nl >= 0:
                line, self._pending = self._pending[:nl], self._pending[nl + 1:]
                return line.decode("ascii", "replace").rstrip("\r")
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._fd], [], [], left)
            if ready:
                self._pending += os.read(self._fd, 1024)

    def close(self) -> int:
        os.close(self._fd)
        return 0
