"""CRC-16/CCITT-FALSE and the protocol's optional ``*HHHH`` line suffix.

poly 0x1021, init 0xFFFF, no reflection, no final xor; the check value of "123456789" is
29B1. The CRC covers every byte of the line before the ``*``.
"""
from typing import Optional, Tuple


def crc16(data: bytes) -> int:
    """The CRC-16/CCITT-FALSE of ``data``."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            if crc & 0x8000:
                crc = ((crc << 1) ^ 0x1021) & 0xFFFF
            else:
                crc = (crc << 1) & 0xFFFF
    return crc


def with_crc(line: str) -> str:
    """``line`` followed by ``*HHHH`` (upper-case hex)."""
    return "%s*%04X" % (line, crc16(line.encode("ascii")))


def strip_crc(line: str) -> Tuple[str, Optional[bool]]:
    """Splits a received line into its body and the verdict on its CRC suffix.

    Returns ``(body, None)`` when the line carries no suffix, ``(body, True)`` when the
    suffix matches and ``(body, False)`` when it does not.
    """
    star = len(line) - 5
    if star < 0 or line[star] != "*":
        return line, None
    digits = line[star + 1:]
    if any(c not in "0123456789ABCDEFabcdef" for c in digits):
        return line, None
    body = line[:star]
    return body, crc16(body.encode("ascii")) == int(digits, 16)
