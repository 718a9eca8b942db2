"""Exceptions of the client: one for a device's ERR, one for a corrupt line, one for silence."""
from typing import Dict, Optional


class PumpError(Exception):
    """Base class of every error the client raises."""


class DeviceError(PumpError):
    """The device answered ``ERR <code> <text>``.

    ``code`` is the protocol's error code (400, 401, 403, 409, 422, 423, 429, 500),
    ``text`` the device's words, ``request`` the line that was refused and ``fields`` any
    ``key=value`` details (e.g. ``attempts_left``). A refused request changed nothing.
    """

    MEANINGS = {
        400: "malformed request",
        401: "checksum mismatch or missing",
        403: "authorisation required or wrong PIN",
        409: "not allowed in the current state",
        422: "value or limit exceeded",
        423: "patient bolus refused",
        429: "PIN locked",
        500: "internal fault",
    }

    def __init__(self, code: int, text: str, request: str, fields: Optional[Dict[str, object]] = None):
        self.code = code
        self.text = text
        self.request = request
        self.fields = dict(fields or {})
        meaning = self.MEANINGS.get(code, "error")
        super().__init__("'%s' was refused: ERR %d %s (%s)" % (request, code, text, meaning))


class ChecksumError(PumpError):
    """A status line arrived with a CRC suffix that does not match its text."""


class LinkTimeout(PumpError):
    """No status line arrived in time, or the link closed (the virtual device exited)."""
