"""Whom an offer serves, in one place: how a listing's ``Landkreis`` becomes a service area, how a
service area is checked against the counties and towns the knowledge base knows, and the rule the
search applies.

Import (a new row), HSDS (``service_area``) and sync (an offer without one: a warning, and the area
its address gives) all read a region the same way, so one offer never serves two different areas
depending on the path it took into offers.db.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.normalize import normalize

if TYPE_CHECKING:  # the search imports this module and must not load pydantic
    from bot.model import ServiceArea

#: States by the names a service area uses, and their codes in offers.db.
STATES = {"Thüringen": "TH", "Hessen": "HE"}

#: Words listings and HSDS use for an area that is no county.
_NATIONWIDE = {"bundesweit", "deutschland", "germany", "national", "nationwide"}
_STATE_WORDS = {normalize(name): name for name in STATES} | {
    "thueringen": "Thüringen", "freistaat thuringen": "Thüringen", "land hessen": "Hessen"}

#: Topics whose offices serve the people living in their area only (a youth office, a social welfare
#: office, a job centre, a county's women's shelter, a county or town administration): the search
#: never offers such an office to someone from another district.
RESIDENCE_TOPICS = frozenset({"jugendamt", "jobcenter", "grundsicherung", "frauenhaus", "verwaltung"})


def states_named(tokens: Iterable[str]) -> frozenset[str]:
    """The codes of the states a question's words name ("betreuungsvereine hessen" -> HE): a state's own
    programme answers a question about that state wherever the asker is."""
    return frozenset(STATES[_STATE_WORDS[token]] for token in tokens if token in _STATE_WORDS)


def area_of(text: str | None, county: Callable[[str], str | None]) -> ServiceArea | None:
    """The service area a region's name means ("bundesweit", "Hessen", "LK Gotha"); ``county`` gives
    a county's canonical name (knowledge/counties.yaml) or None. None when the name is unknown."""
    from bot.model import ServiceArea

    key = normalize(text or "")
    if not key:
        return None
    if key in _NATIONWIDE:
        return ServiceArea(kind="nationwide")
    if key in _STATE_WORDS:
        return ServiceArea(kind="state", regions=[_STATE_WORDS[key]])
    canonical = county(text or "")
    return ServiceArea(kind="counties", regions=[canonical]) if canonical else None


def area_keys(area_kind: str | None, regions: Iterable[str], county_of: Callable[[str], str | None]) -> str:
    """The area as the search index keeps it: ``""`` (serves anyone: nationwide or not stated),
    ``state:TH``, ``counties:<county key>|<county key>`` or ``town:<town key>|<its county key>``."""
    regions = list(regions)
    if area_kind == "state":
        return f"state:{STATES.get(regions[0], regions[0])}" if regions else ""
    if area_kind == "counties":
        return "counties:" + "|".join(normalize(r) for r in regions)
    if area_kind == "town" and regions:
        return f"town:{normalize(regions[0])}|{normalize(county_of(regions[0]) or '')}"
    return ""


def serves(keys: str, place_county: str | None, place_state: str | None, place_town: str | None) -> bool | None:
    """Whether an area (:func:`area_keys`) serves someone at a place; None when that cannot be told
    (the place's county is unknown: a shared location, say)."""
    if not keys:
        return True
    kind, _, rest = keys.partition(":")
    if kind == "state":
        return None if not place_state else rest == place_state
    if place_county is None:
        return None
    county = normalize(place_county)
    if kind == "counties":
        return county in rest.split("|")
    town, _, town_county = rest.partition("|")
    # a town's office serves its town; asked for its whole county, it is the county's office there
    return normalize(place_town or "") == town if place_town else county == town_county
