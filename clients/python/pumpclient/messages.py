"""Lines of protocol v1 as dictionaries with units.

Every field is ``key=value`` with the unit as the key's suffix (``delivered_ul`` is in uL,
``t_ms`` in ms, ``rate_ug_day`` in ug/day). ``parse_line`` turns a line into a
``Message``: a dict of the fields with numbers as ``int`` or ``float`` (quantities are
printed with 3 decimals, counts as integers), the unit of each field in ``.units``, and
the line's kind (``OK``, ``ERR``, or the tag of a ``!`` line such as ``TEL``).
Values that are not numbers (``state=RUNNING``, ``alarms=NONE``, ``program_crc=3D74``,
``schedule_ug_day=00:00/2400.000``) stay strings.
"""
import re
from typing import Dict, List, Optional

# Longest suffix first, so `_ug_day` wins over `_day`-less `_ug`.
_SUFFIX_UNITS = (
    ("_ug_day", "ug/day"),
    ("_ul_day", "uL/day"),
    ("_ug_ml", "ug/mL"),
    ("_ul", "uL"),
    ("_ug", "ug"),
    ("_ms", "ms"),
    ("_min", "min"),
    ("_s", "s"),
)

# Keys whose name does not follow the suffix rule.
_SPECIAL_UNITS = {
    "max_steps_s": "steps/s",
    "steps_per_ml": "steps/mL",
    "steps": "steps",
    "lost_steps": "steps",
}

# Counts without a unit that are still numbers.
_COUNTS = {"seq", "next_seq", "count", "attempts_left", "proto", "max_per_day", "ptm_max_per_day",
           "max_increases_7d", "increases_7d", "entries", "max_entries"}

# Keys whose values look like numbers but are identifiers (a CRC may be all digits).
_TEXT_KEYS = {"crc", "program_crc", "previous_crc", "staged_crc", "serial", "fw", "drug_crc", "drug"}

_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def unit_of(key: str) -> Optional[str]:
    """The unit of a field by its name (``None`` for counts and words)."""
    if key in _SPECIAL_UNITS:
        return _SPECIAL_UNITS[key]
    for suffix, unit in _SUFFIX_UNITS:
        if key.endswith(suffix):
            return unit
    return None


def _value(key: str, text: str) -> object:
    if key in _TEXT_KEYS:
        return text
    if (unit_of(key) is not None or key in _COUNTS) and _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


class Message(dict):
    """One line from the device: its fields as a dict, plus ``kind``, ``units``, ``words`` and ``raw``.

    ``kind`` is ``"OK"``, ``"ERR"`` or the tag of an asynchronous line (``"TEL"``, ``"ALARM"``,
    ``"LOG"``, ``"BOOT"``, ``"HELP"``...). ``words`` holds the words that are not ``key=value``
    (for ``ERR`` the code and text are also in ``code`` and ``text``).
    """

    def __init__(self, kind: str, fields: Dict[str, object], units: Dict[str, str], words: List[str], raw: str):
        super().__init__(fields)
        self.kind = kind
        self.units = units
        self.words = words
        self.raw = raw

    @property
    def is_async(self) -> bool:
        """True for a ``!`` line."""
        return self.raw.startswith("!")

    @property
    def is_ok(self) -> bool:
        """True for an ``OK`` status line."""
        return self.kind == "OK"

    def quantity(self, key: str):
        """``(value, unit)`` of a field, e.g. ``(12.345, "uL")``."""
        return self[key], self.units.get(key)

    def __repr__(self) -> str:
        return "Message(%s, %s)" % (self.kind, dict.__repr__(self))


def parse_line(line: str) -> Message:
    """Parses one line (without its terminator and CRC suffix)."""
    words = line.split()
    if not words:
        raise ValueError("an empty line is not a protocol line")
    head, rest = words[0], words[1:]
    if head.startswith("!"):
        kind = head[1:]
    elif head in ("OK", "ERR"):
        kind = head
    else:
        raise ValueError("not a protocol line: %r" % line)
    fields = {}  # type: Dict[str, object]
    units = {}  # type: Dict[str, str]
    plain = []  # type: List[str]
    for word in rest:
        eq = word.find("=")
        if eq > 0:
            key = word[:eq]
            fields[key] = _value(key, word[eq + 1:])
            unit = unit_of(key)
            if unit is not None:
                units[key] = unit
        else:
            plain.append(word)
    if kind == "ERR":
        # ERR <code> <text...>; the text may hold key=value details, kept in fields too.
        code = int(plain[0]) if plain and plain[0].isdigit() else 0
        text_words = rest[1:] if plain and plain[0].isdigit() else rest
        fields["code"] = code
        fields["text"] = " ".join(text_words)
    return Message(kind, fields, units, plain, line)
