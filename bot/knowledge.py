"""Load and check the knowledge base; every problem says ``file:line: field: message``.

Admins edit these files by hand, so a problem must point at the line to fix.
PyYAML's node tree keeps line numbers; a pydantic error's location
(``offers -> 3 -> phones -> 0 -> number``) is walked down that tree to the line
of the offending value. Problems are collected, not raised one by one, so the
admin sees all of them in one run.
"""

from __future__ import annotations

import csv
import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import opening_hours
import yaml
from pydantic import BaseModel, ValidationError

from bot.areas import STATES
from bot.hours import contradiction
from bot.model import Hotline, HotlinesFile, Offer, OffersFile, Topic, TopicsFile, explain
from bot.normalize import normalize

M = TypeVar("M", bound=BaseModel)

#: libyaml's parser when present: ten times faster, with the same line marks on the nodes.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "Warnung: " if self.warning else ""
        return f"{self.file}:{self.line}: {self.field}: {prefix}{self.message}"


@dataclass
class LocatedOffer:
    """An offer with the file and line it stands at (the YAML nodes are not kept: memory)."""

    offer: Offer
    file: str
    line: int
    id_line: int


@dataclass
class Knowledge:
    offers: list[LocatedOffer] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    hotlines: list[Hotline] = field(default_factory=list)
    places: list[dict[str, str]] = field(default_factory=list)
    counties: list[dict[str, Any]] = field(default_factory=list)
    input_hash: str = ""


#: The folders of the semantic layer's examples (bot.exemplars), in the order they are read.
EXAMPLE_FOLDERS = ("crisis", "situations", "asked")


def knowledge_files(directory: Path) -> list[Path]:
    """Every file the database is built from, in a stable order."""
    files = sorted((directory / "offers").glob("*.yaml")) if (directory / "offers").is_dir() else []
    for name in ("topics.yaml", "hotlines.yaml", "places.csv", "counties.yaml"):
        if (directory / name).exists():
            files.append(directory / name)
    for folder in EXAMPLE_FOLDERS:
        files.extend(sorted((directory / folder).glob("*.yaml")))
    return files


def input_hash(directory: Path) -> str:
    """sha256 over the knowledge files' names and bytes, sorted by path."""
    digest = hashlib.sha256()
    for path in knowledge_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes() + b"\0")
        except OSError as exc:  # a symlink loop, no permission: load_knowledge reports it with the file's name
            digest.update(f"{exc.errno}\0".encode())
    return digest.hexdigest()


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def read_yaml(path: Path, label: str, problems: list[Problem]) -> tuple[Any, yaml.Node | None]:
    """A YAML file's value and its node tree (which keeps the line numbers), or (None, None)
    with a problem appended: an admin's broken file is reported, never raised."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # a symlink loop (offers/a.yaml -> b.yaml -> a.yaml), no permission, a folder
        problems.append(Problem(label, 1, "-", f"die Datei ist nicht lesbar ({exc.strerror})"))
        return None, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(label, line, "-", "die Datei ist nicht in UTF-8 gespeichert"))
        return None, None
    loader = _LOADER(text)
    try:
        if "&" in text or "*" in text:  # only then can there be anchors; most files skip the scan
            refused = _anchors(text)
            if refused is not None:
                problems.append(Problem(label, *refused))
                return None, None
        node = loader.get_single_node()
        value = _construct(loader, node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(label, line, "-", f"YAML-Fehler: {reason}"))
        return None, None
    finally:
        loader.dispose()
    if node is None:
        problems.append(Problem(label, 1, "-", "die Datei ist leer"))
        return None, None
    return value, node


def _anchors(text: str) -> tuple[int, str, str] | None:
    """``(line, field, message)`` of the first anchor (``&a``) or alias (``*a``) in ``text``, or None.

    Knowledge files need neither, and aliases are dangerous: nine lines of nested aliases
    (``b: &b [*a, *a, ...]``) expand to hundreds of millions of values and gigabytes of memory.
    PyYAML's composer shares an aliased node instead of copying it, but every walk over the
    values (ours, pydantic's) expands it again. So a file with any is refused before it is
    composed, by a scan of its parser events (linear in the text; run only when the text holds
    ``&`` or ``*`` at all)."""
    scanner = _LOADER(text)
    first: yaml.NodeEvent | None = None
    count = 0
    try:
        while scanner.check_event():
            event = scanner.get_event()
            if isinstance(event, yaml.NodeEvent) and (isinstance(event, yaml.AliasEvent) or event.anchor):
                first = first or event
                count += 1
    finally:
        scanner.dispose()
    if first is None:
        return None
    kind = "YAML-Verweis *" if isinstance(first, yaml.AliasEvent) else "YAML-Anker &"
    more = f" ({count} Stellen in der Datei)" if count > 1 else ""
    line = first.start_mark.line + 1 if first.start_mark else 1
    return (line, "-", f"{kind}{first.anchor}: Anker (&) und Verweise (*) sind in der "
            f"Wissensbasis nicht erlaubt, bitte ausschreiben{more}")


def _key_twice(n: yaml.MappingNode) -> None:
    """Raise when a mapping names a key twice (PyYAML would silently keep the second value)."""
    seen: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in n.value:
        if isinstance(key, yaml.ScalarNode):
            first = seen.setdefault((key.tag, key.value), key)
            if first is not key:
                raise yaml.constructor.ConstructorError(
                    None, None, f"der Schlüssel {key.value!r} steht zweimal (zuerst in Zeile {_line(first)})",
                    key.start_mark)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _construct(loader: Any, node: yaml.Node) -> Any:
    """The document's value, as ``construct_document`` gives it, in a third of the time: plain
    strings, mappings and lists are taken from the nodes directly (PyYAML builds each scalar
    through half a dozen Python calls), every other tag (numbers, booleans, null, dates, merge
    keys) through PyYAML's own constructor, so YAML's rules ("no", 10:30) stay exactly its own."""
    def value(n: yaml.Node) -> Any:
        if n.tag == _STR and isinstance(n, yaml.ScalarNode):
            return n.value
        if n.tag == _MAP and isinstance(n, yaml.MappingNode):
            if any(k.tag != _STR for k, _ in n.value):
                _key_twice(n)
                return loader.construct_object(n, deep=True)
            mapping = {k.value: value(v) for k, v in n.value}
            if len(mapping) < len(n.value):  # a key given twice: find it (rare, so only then)
                _key_twice(n)
            return mapping
        if n.tag == _SEQ and isinstance(n, yaml.SequenceNode):
            return [value(v) for v in n.value]
        return loader.construct_object(n, deep=True)

    return value(node)


def _node_at(node: yaml.Node | None, loc: Iterable[Any]) -> yaml.Node | None:
    """The YAML node at a pydantic error location (the deepest one that exists)."""
    current = node
    for key in loc:
        if isinstance(current, yaml.MappingNode):
            nxt = next((v for k, v in current.value if k.value == key), None)
            if nxt is None:
                # an unknown key: point at the key itself
                nxt = next((k for k, _ in current.value if k.value == key), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int) and key < len(current.value):
            nxt = current.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        current = nxt
    return current


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _validate(model: type[M], value: Any, node: yaml.Node | None, label: str, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            where = ".".join(str(p) for p in loc) or "-"
            message = error["msg"]
            if error["type"] == "missing":
                message = "Pflichtfeld fehlt"
            elif error["type"] == "extra_forbidden":
                message = "unbekanntes Feld (Tippfehler?)"
            elif error["type"] == "value_error":
                message = str(error.get("ctx", {}).get("error", message))
            elif error["type"] == "literal_error":
                message = f"{error.get('input')!r} ist nicht erlaubt: {error.get('ctx', {}).get('expected', '')}"
            elif error["type"].startswith("string_type"):
                message = f"muss Text sein, ist {type(error.get('input')).__name__} (in Anführungszeichen setzen)"
            else:
                message = explain(error) or message
            problems.append(Problem(label, _line(_node_at(node, loc)), where, message))
        return None


def _valid_items(model: type[M], value: Any, key: str) -> list[tuple[int, M]]:
    """The items of a file's list that are valid on their own, with their positions, when the file as a
    whole is not: its errors are reported already, and the good items still go through every further
    check (known topics, postcodes, hours, unique ids), so one run of the sync reports every error."""
    items = value.get(key) if isinstance(value, dict) else None
    found: list[tuple[int, M]] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        try:
            found.append((i, model.model_validate(item)))
        except ValidationError:
            continue
    return found


def _offer_nodes(node: yaml.Node | None) -> list[yaml.Node]:
    offers = _node_at(node, ["offers"])
    return list(offers.value) if isinstance(offers, yaml.SequenceNode) else []


PLACE_COLUMNS = ("postcode", "name", "county", "state", "lat", "lon")


def load_places(path: Path, label: str, problems: list[Problem]) -> list[dict[str, str]]:
    """Rows of places.csv; rows without coordinates are reported and skipped."""
    if not path.exists():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in PLACE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                problems.append(Problem(label, 1, "-", f"Spalten fehlen: {', '.join(missing)}"))
                return []
            places = []
            for row in reader:
                try:
                    float(row["lat"]), float(row["lon"])
                except (TypeError, ValueError):
                    problems.append(Problem(label, reader.line_num, "lat/lon", "keine gültigen Koordinaten"))
                    continue
                places.append({c: row[c] for c in PLACE_COLUMNS})
            return places
    except UnicodeDecodeError:
        problems.append(Problem(label, 1, "-", "die Datei ist nicht in UTF-8 gespeichert"))
        return []


def load_counties(value: Any, node: yaml.Node | None, label: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """The ``counties`` list of counties.yaml; entries without name or state are reported."""
    entries = value.get("counties") if isinstance(value, dict) else None
    if not isinstance(entries, list):
        problems.append(Problem(label, 1, "counties", "erwartet eine Liste unter dem Schlüssel 'counties'"))
        return []
    counties = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("state"):
            problems.append(Problem(label, _line(_node_at(node, ["counties", i])), f"counties.{i}",
                                    "jeder Kreis braucht name und state"))
            continue
        counties.append(entry)
    return counties


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing (and, in the sync, building).

    A YAML node tree holds a million small objects and no reference cycles; the
    collector would walk the growing heap again and again and makes loading
    10,000 offers four times slower (12 s instead of 3 s). Nested use is fine.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_knowledge(directory: Path) -> tuple[Knowledge, list[Problem]]:
    """Read every knowledge file; return what could be read and every problem and warning."""
    with paused_gc():
        return _load_knowledge(Path(directory))


def _read_optional(directory: Path, name: str, problems: list[Problem]) -> tuple[Any, yaml.Node | None, str]:
    """:func:`read_yaml` for a knowledge file that may be left out: (value, node, label); the value is
    None when the file is absent or unreadable."""
    path = directory / name
    label = _rel(path, directory)
    value, node = read_yaml(path, label, problems) if path.exists() else (None, None)
    return value, node, label


def _load_knowledge(directory: Path) -> tuple[Knowledge, list[Problem]]:
    problems: list[Problem] = []
    knowledge = Knowledge(input_hash=input_hash(directory))

    value, topics_node, topics_label = _read_optional(directory, "topics.yaml", problems)
    if value is not None:
        parsed = _validate(TopicsFile, value, topics_node, topics_label, problems)
        knowledge.topics = parsed.topics if parsed else [t for _, t in _valid_items(Topic, value, "topics")]
    value, node, label = _read_optional(directory, "hotlines.yaml", problems)
    if value is not None:
        parsed_h = _validate(HotlinesFile, value, node, label, problems)
        knowledge.hotlines = parsed_h.hotlines if parsed_h else []
    places_path = directory / "places.csv"
    knowledge.places = load_places(places_path, _rel(places_path, directory), problems)
    value, node, label = _read_optional(directory, "counties.yaml", problems)
    if value is not None:
        knowledge.counties = load_counties(value, node, label, problems)

    topic_ids = {t.id for t in knowledge.topics}
    postcodes = {p["postcode"] for p in knowledge.places}
    regions = _Regions(knowledge)
    offer_files = sorted((directory / "offers").glob("*.yaml")) if (directory / "offers").is_dir() else []
    if not offer_files:
        problems.append(Problem(_rel(directory / "offers", directory), 1, "-", "keine Angebotsdateien gefunden"))
    for path in offer_files:
        label = _rel(path, directory)
        value, node = read_yaml(path, label, problems)
        if value is None:
            continue
        parsed_o = _validate(OffersFile, value, node, label, problems)
        offers = list(enumerate(parsed_o.offers)) if parsed_o else _valid_items(Offer, value, "offers")
        nodes = _offer_nodes(node)
        for i, offer in offers:
            item = nodes[i] if i < len(nodes) else None
            _check_offer(offer, label, item, topic_ids, postcodes, problems)
            _check_area(offer, label, item, regions, problems)
            knowledge.offers.append(LocatedOffer(offer, label, _line(item), _line(_node_at(item, ["id"]))))

    if knowledge.offers and not knowledge.places:
        problems.append(Problem(_rel(places_path, directory), 1, "-",
                                "places.csv fehlt oder ist leer: Postleitzahlen und Orte sind nicht prüfbar"))
    if any(o.offer.topics for o in knowledge.offers) and not knowledge.topics:
        problems.append(Problem(topics_label, 1, "-",
                                "topics.yaml fehlt oder ist leer: Themen der Angebote sind nicht prüfbar"))
    _check_unique_ids(knowledge.offers, problems)
    _check_related_topics(knowledge.topics, topics_node, topics_label, problems)
    return knowledge, problems


def _check_offer(offer: Offer, label: str, node: yaml.Node | None, topic_ids: set[str], postcodes: set[str],
                 problems: list[Problem]) -> None:
    """Checks against the other files: known topics and postcodes, readable hours."""
    def line_of(*path: str | int) -> int:
        return _line(_node_at(node, path))

    for i, topic in enumerate(offer.topics):
        if topic_ids and topic not in topic_ids:
            problems.append(Problem(label, line_of("topics", i), "topics",
                                    f"unbekanntes Thema {topic!r} (nicht in topics.yaml)"))
    postcode = offer.address.postcode
    if postcode and postcodes and postcode not in postcodes:
        problems.append(Problem(label, line_of("address", "postcode"), "address.postcode",
                                f"unbekannte Postleitzahl {postcode} (nicht in places.csv)"))
    if offer.hours.osm and not opening_hours.validate(offer.hours.osm):
        problems.append(Problem(label, line_of("hours", "osm"), "hours.osm",
                                f"{offer.hours.osm!r} ist keine gültige opening_hours-Angabe"))
    elif offer.hours.osm and offer.hours.text and (differs := contradiction(offer.hours.text, offer.hours.osm)):
        problems.append(Problem(label, line_of("hours", "osm"), "hours.osm", differs, warning=True))
    elif offer.hours.text and not offer.hours.osm and (
            not offer.hours.by_appointment or any(ch.isdigit() for ch in offer.hours.text)):
        # "nach Vereinbarung" alone is fully said by by_appointment; times left as text are not
        problems.append(Problem(label, line_of("hours", "text"), "hours",
                                f"Sprechzeiten bleiben Text: {offer.hours.text!r}", warning=True))
    if not offer.source.date and not offer.source.retrieved:
        problems.append(Problem(label, line_of("source"), "source",
                                "kein Datum: weder Stand der Seite (date) noch wann übernommen (retrieved)",
                                warning=True))


class _Regions:
    """The counties (names, aliases, codes -> record) and towns a service area may name."""

    counties: dict[str, dict[str, Any]]
    towns: set[str]

    def __init__(self, knowledge: Knowledge) -> None:
        self.counties = county_index(knowledge.counties)
        self.towns = {normalize(p["name"]) for p in knowledge.places}


def _check_area(offer: Offer, label: str, node: yaml.Node | None, regions: _Regions, problems: list[Problem]) -> None:
    """The service area names known regions and agrees with the address; missing, it is a warning."""
    area = offer.service_area
    if area is None:
        problems.append(Problem(label, _line(_node_at(node, ["id"])), "service_area",
                                "keine Zuständigkeit (service_area): bundesweit, ein Land, Kreise oder ein Ort? "
                                "Bis dahin gilt der Kreis der Anschrift", warning=True))
        return
    if not regions.counties:
        return
    known = regions.counties if area.kind == "counties" else regions.towns if area.kind == "town" else None
    for i, region in enumerate(area.regions):
        # (without places.csv no town can be checked: that is reported once, for the whole file)
        if known and normalize(region) not in known:
            what = "Kreis (knowledge/counties.yaml)" if area.kind == "counties" else "Ort (knowledge/places.csv)"
            problems.append(Problem(label, _line(_node_at(node, ["service_area", "regions", i])),
                                    "service_area.regions", f"unbekannter {what}: {region!r}"))
    where = normalize(offer.address.county or "")
    county = regions.counties.get(where)
    if area.kind == "state" and county and county["state"] != STATES[area.regions[0]]:
        problems.append(Problem(label, _line(_node_at(node, ["service_area"])), "service_area",
                                f"Widerspruch: zuständig für {area.regions[0]}, die Anschrift liegt aber im "
                                f"{county['name']} ({county['state']})"))
    if where in ("bundesweit", "deutschland") and area.kind != "nationwide":
        problems.append(Problem(label, _line(_node_at(node, ["service_area"])), "service_area",
                                f"Widerspruch: address.county ist {offer.address.county!r}, service_area aber "
                                f"{area.kind}"))


def _check_unique_ids(offers: list[LocatedOffer], problems: list[Problem]) -> None:
    seen: dict[str, LocatedOffer] = {}
    for located in offers:
        first = seen.setdefault(located.offer.id, located)
        if first is not located:
            problems.append(Problem(located.file, located.id_line, "id",
                                    f"die id {located.offer.id!r} steht schon in {first.file}:{first.line}"))


def _check_related_topics(topics: list[Topic], node: yaml.Node | None, label: str,
                          problems: list[Problem]) -> None:
    topic_ids = {t.id for t in topics}
    for i, topic in enumerate(topics):
        for j, related in enumerate(topic.related):
            if related not in topic_ids:
                problems.append(Problem(label, _line(_node_at(node, ["topics", i, "related", j])),
                                        f"{topic.id}.related", f"unbekanntes Thema {related!r}"))


def county_index(counties: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Normalised county name, alias or abbreviation -> county record."""
    index: dict[str, dict[str, Any]] = {}
    for county in counties:
        for name in [county["name"], *county.get("aliases", []), *county.get("abbreviations", [])]:
            index.setdefault(normalize(name), county)
    return index
