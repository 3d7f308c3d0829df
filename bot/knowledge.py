"""Load and check the knowledge base; every problem says ``file:line: field: message``.

Admins edit these files by hand, so a problem must point at the line to fix.
PyYAML's node tree keeps line numbers; a pydantic error's location
(``offers -> 3 -> phones -> 0 -> number``) is walked down that tree to the line
of the offending value. Problems are collected, not raised one by one, so the
admin sees all of them in one run.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import opening_hours
import yaml
from pydantic import BaseModel, ValidationError

from bot.model import Hotline, HotlinesFile, Offer, OffersFile, Topic, TopicsFile
from bot.normalize import normalize

#: Bump when the database layout changes, so --check asks for a rebuild.
SCHEMA_VERSION = "1"

M = TypeVar("M", bound=BaseModel)


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
    offer: Offer
    file: str
    line: int


@dataclass
class Knowledge:
    offers: list[LocatedOffer] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    hotlines: list[Hotline] = field(default_factory=list)
    places: list[dict[str, str]] = field(default_factory=list)
    counties: list[dict[str, Any]] = field(default_factory=list)
    input_hash: str = ""


def knowledge_files(directory: Path) -> list[Path]:
    """Every file the database is built from, in a stable order."""
    files = sorted((directory / "offers").glob("*.yaml")) if (directory / "offers").is_dir() else []
    for name in ("topics.yaml", "hotlines.yaml", "places.csv", "counties.yaml"):
        if (directory / name).exists():
            files.append(directory / name)
    return files


def input_hash(directory: Path) -> str:
    """sha256 over the knowledge files (names and bytes) and the schema version."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in knowledge_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, label: str, problems: list[Problem]) -> tuple[Any, yaml.Node | None]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(label, line, "-", "die Datei ist nicht in UTF-8 gespeichert"))
        return None, None
    if not text.strip():
        problems.append(Problem(label, 1, "-", "die Datei ist leer"))
        return None, None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(label, line, "-", f"YAML-Fehler: {reason}"))
        return None, None
    return value, node


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
            elif error["type"].startswith("string_type"):
                message = f"muss Text sein, ist {type(error.get('input')).__name__} (in Anführungszeichen setzen)"
            problems.append(Problem(label, _line(_node_at(node, loc)), where, message))
        return None


def _offer_lines(node: yaml.Node | None) -> list[int]:
    offers = _node_at(node, ["offers"])
    if isinstance(offers, yaml.SequenceNode):
        return [_line(item) for item in offers.value]
    return []


def load_places(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_knowledge(directory: Path) -> tuple[Knowledge, list[Problem]]:
    """Read every knowledge file; return what could be read and every problem and warning."""
    directory = Path(directory)
    problems: list[Problem] = []
    knowledge = Knowledge(input_hash=input_hash(directory))

    topics_path = directory / "topics.yaml"
    if topics_path.exists():
        value, node = _read_yaml(topics_path, _rel(topics_path, directory), problems)
        if value is not None:
            parsed = _validate(TopicsFile, value, node, _rel(topics_path, directory), problems)
            knowledge.topics = parsed.topics if parsed else []
    hotlines_path = directory / "hotlines.yaml"
    if hotlines_path.exists():
        value, node = _read_yaml(hotlines_path, _rel(hotlines_path, directory), problems)
        if value is not None:
            parsed_h = _validate(HotlinesFile, value, node, _rel(hotlines_path, directory), problems)
            knowledge.hotlines = parsed_h.hotlines if parsed_h else []
    knowledge.places = load_places(directory / "places.csv")
    counties_path = directory / "counties.yaml"
    if counties_path.exists():
        value, _ = _read_yaml(counties_path, _rel(counties_path, directory), problems)
        knowledge.counties = list((value or {}).get("counties", [])) if isinstance(value, dict) else []

    offer_files = sorted((directory / "offers").glob("*.yaml")) if (directory / "offers").is_dir() else []
    if not offer_files:
        problems.append(Problem(_rel(directory / "offers", directory), 1, "-", "keine Angebotsdateien gefunden"))
    for path in offer_files:
        label = _rel(path, directory)
        value, node = _read_yaml(path, label, problems)
        if value is None:
            continue
        parsed_o = _validate(OffersFile, value, node, label, problems)
        if parsed_o is None:
            continue
        lines = _offer_lines(node)
        for i, offer in enumerate(parsed_o.offers):
            knowledge.offers.append(LocatedOffer(offer, label, lines[i] if i < len(lines) else 1))

    _cross_check(knowledge, problems)
    return knowledge, problems


def _cross_check(knowledge: Knowledge, problems: list[Problem]) -> None:
    """Checks across files: unique ids, known topics and places, readable hours."""
    topic_ids = {t.id for t in knowledge.topics}
    postcodes = {p["postcode"] for p in knowledge.places}
    seen: dict[str, LocatedOffer] = {}
    for located in knowledge.offers:
        offer, label, line = located.offer, located.file, located.line
        if offer.id in seen:
            first = seen[offer.id]
            problems.append(Problem(label, line, "id", f"die id {offer.id!r} steht schon in {first.file}:{first.line}"))
        else:
            seen[offer.id] = located
        for topic in offer.topics:
            if topic_ids and topic not in topic_ids:
                problems.append(Problem(label, line, "topics", f"unbekanntes Thema {topic!r} (siehe topics.yaml)"))
        postcode = offer.address.postcode
        if postcode and postcodes and postcode not in postcodes:
            problems.append(Problem(label, line, "address.postcode",
                                    f"unbekannte Postleitzahl {postcode} (nicht in Thüringen oder Hessen)"))
        if offer.hours.osm and not opening_hours.validate(offer.hours.osm):
            problems.append(Problem(label, line, "hours.osm",
                                    f"{offer.hours.osm!r} ist keine gültige opening_hours-Angabe"))
        elif offer.hours.text and not offer.hours.osm and not offer.hours.by_appointment:
            problems.append(Problem(label, line, "hours", f"Sprechzeiten bleiben Text: {offer.hours.text!r}",
                                    warning=True))
    for topic in knowledge.topics:
        for related in topic.related:
            if related not in topic_ids:
                problems.append(Problem("knowledge/topics.yaml", 1, f"{topic.id}.related",
                                        f"unbekanntes Thema {related!r}"))


def county_index(counties: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Normalised county name, alias or abbreviation -> county record."""
    index: dict[str, dict[str, Any]] = {}
    for county in counties:
        for name in [county["name"], *county.get("aliases", []), *county.get("abbreviations", [])]:
            index.setdefault(normalize(name), county)
    return index
