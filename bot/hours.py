"""German free-text consultation hours -> OpenStreetMap ``opening_hours`` syntax.

STUB: the hours helper replaces this with the real parser. The signature is the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParsedHours:
    """The reading of one hours text."""

    #: OSM opening_hours string, or None when the text could not be read with certainty.
    osm: str | None
    #: "nach Vereinbarung", "Termin", ...: appointments possible or required.
    by_appointment: bool = False
    #: Why the text could not be read with certainty (German or English, for admins).
    problems: list[str] = field(default_factory=list)


def parse_hours(text: str) -> ParsedHours:
    """Read a German hours text; never guess."""
    return ParsedHours(osm=None, problems=["parser not implemented yet"])
