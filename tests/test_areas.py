"""Whom an offer serves (service_area) and whom it is for (intended_for), on the shipped data, on the
FICTIONAL evaluation listing (tests/data/eval), and on broken input (file:line, offers.db unchanged)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.importer import load_offers_file
from bot.knowledge import load_knowledge
from bot.render import Context, answer_reply, to_plain
from bot.search import search
from bot.store import Store
from bot.sync import sync
from tests.search_fixtures import evaluate_script

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
EVAL_LISTINGS = sorted((ROOT / "tests" / "data" / "eval" / "listings").glob("*.csv"))


@pytest.fixture(scope="module")
def fictional(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """knowledge/ plus the fictional listing, imported and synced as scripts/evaluate.py does."""
    store = Store(evaluate_script().build_eval_db(EVAL_LISTINGS, tmp_path_factory.mktemp("areas")))
    yield store
    store.conn.close()


def _ids(store: Store, question: str, **options) -> list[str]:
    return [r.offer.id for r in search(store, question, **options).results]


def _answer(store: Store, question: str) -> str:
    from datetime import datetime

    from bot.i18n import translator

    ctx = Context(tr=translator("de"), at=datetime(2026, 12, 3, 10, 0))
    return to_plain(answer_reply(search(store, question), ctx).reply.text)


# --- the data ------------------------------------------------------------------------------------

def test_every_shipped_offer_states_whom_it_serves() -> None:
    knowledge, problems = load_knowledge(KNOWLEDGE)
    assert not [str(p) for p in problems if p.field.startswith("service_area")]
    assert all(o.offer.service_area is not None for o in knowledge.offers)
    assert len({o.offer.address.county for o in knowledge.offers if o.offer.address.county}) >= 23


def test_hessen_programmes_serve_hessen_only() -> None:
    for offer in load_offers_file(KNOWLEDGE / "offers" / "hessen-landesprogramme.yaml").offers:
        assert (offer.service_area.kind, offer.service_area.regions) == ("state", ["Hessen"]), offer.id
    seeds = load_offers_file(KNOWLEDGE / "offers" / "seeds.yaml").offers
    assert all(o.service_area.regions == ["Hessen"] for o in seeds if o.id.startswith("seed-he-"))


def test_offers_db_keeps_service_area_and_audience(shipped: Store) -> None:
    rows = dict(shipped.conn.execute("SELECT id, service_area || ' ' || service_regions FROM offers").fetchall())
    assert rows["bw-001"] == "nationwide []"
    assert rows["he-001"] == 'state ["Hessen"]'
    assert rows["th-031"] == 'counties ["Saale-Orla-Kreis"]'
    assert rows["seed-ea-jugendamt"] == 'town ["Eisenach"]'
    professionals = {r[0] for r in shipped.conn.execute("SELECT id FROM offers WHERE intended_for = 'professionals'")}
    assert {"kyf-001", "kyf-002", "he-001", "seed-th-sozialministerium", "seed-he-landessozialbericht",
            "seed-uhk-sozialplanungskonferenz"} <= professionals
    assert not professionals & {"kyf-003", "th-004", "bw-001", "wak-hand-1"}


def test_wartburgkreis_has_sourced_offers(shipped: Store) -> None:
    rows = shipped.conn.execute("SELECT name, source_url, coalesce(source_date, source_retrieved) FROM offers "
                                "WHERE county = 'Wartburgkreis'").fetchall()
    assert len(rows) >= 1 and all(url.startswith("https://") and when for _, url, when in rows)


# --- the search: another district's office is never offered --------------------------------------

@pytest.mark.parametrize(("question", "office"), [
    ("jugendamt sonneberg", "Jugendamt"), ("jugendamt sondershausen", "Jugendamt"),
    ("jobcenter jena", "Jobcenter"), ("jugendamt bad salzungen", "Jugendamt"),
])
def test_no_office_of_another_district(shipped: Store, question: str, office: str) -> None:
    response = search(shipped, question)
    place = response.analysis.place
    for result in response.results:
        offer = result.offer
        assert offer.state == "DE" or offer.county in (place.county, place.name) or \
            offer.service_area in ("nationwide", "state"), (question, offer.id)
    assert response.missing_office == office


def test_the_answer_says_the_office_is_missing_and_what_is_known(shipped: Store) -> None:
    text = _answer(shipped, "jugendamt bad salzungen")
    assert text.startswith("Die zuständige Stelle für Bad Salzungen (Jugendamt) ist noch nicht in meinen Daten.")
    assert "Landratsamt Wartburgkreis" in text and "Eisenach" not in text.split("Landratsamt")[0]
    text = _answer(shipped, "jobcenter jena")
    assert "Die zuständige Stelle für Jena (Jobcenter) ist noch nicht in meinen Daten." in text
    assert "Jobcenter Gera" not in text and "Jobcenter Weimarer Land" not in text


def test_a_womens_shelter_question_gets_the_nationwide_line_not_a_hessen_programme(shipped: Store) -> None:
    ids = _ids(shipped, "frauenhaus kyffhäuserkreis")
    assert ids[0] == "bw-002" and not [i for i in ids if i.startswith(("he-", "seed-he-"))]
    assert "Hilfetelefon Gewalt gegen Frauen" in _answer(shipped, "frauenhaus kyffhäuserkreis")


def test_another_states_programmes_only_when_the_question_is_about_that_state(shipped: Store) -> None:
    # a volunteer guardian in Gotha: Hessen's coordination of guardianship associations is not hers
    gotha = "ich bin ehrenamtliche betreuerin in gotha, wer berät betreuungsvereine"
    assert not [i for i in _ids(shipped, gotha) if i.startswith(("he-", "seed-he-"))]
    assert "Hessen" not in _answer(shipped, gotha)
    assert not [i for i in _ids(shipped, "ehrenamtliche betreuer beratung thüringen") if i.startswith(("he-", "seed-he-"))]
    # asked from Kassel, or about Hessen by name from Erfurt, it is the answer
    assert _ids(shipped, "rechtliche betreuung ehrenamt beratung kassel")[0] == "he-002"
    assert _ids(shipped, "landesarbeitsgemeinschaft betreuungsvereine hessen erfurt")[0] == "seed-he-lag-betreuungsvereine"
    assert _ids(shipped, "kofab erfurt")[0] == "he-002"  # the programme's own name


def test_a_town_in_the_providers_name_is_no_outpost_there(shipped: Store) -> None:
    # the addiction counselling in Saalfeld is run by the "Diakoniestiftung Weimar Bad Lobenstein", the
    # counselling in Leinefelde by the "Caritasverband für das Bistum Erfurt": neither is in Weimar or Erfurt
    text = _answer(shipped, "suchtberatung weimar")
    assert text.startswith("In Weimar habe ich nichts Passendes gefunden – das sind die nächsten Angebote")
    assert "1. Suchthilfezentrum – Suchtberatungsstelle Michaelisstraße" in text and "Saalfeld" not in text
    first = search(shipped, "sozialberatung erfurt").results[0]
    assert first.offer.id != "th-035" and first.offer.city == "Erfurt" and first.distance_km == 0.0


def test_an_everyday_word_names_no_town_in_the_answer(shipped: Store) -> None:
    # "gefunden" is one letter from Gemünden, "Grüßen" from Greußen: no misspelt towns
    text = _answer(shipped, "ich habe im internet nichts gefunden, wer hilft bei schulden?")
    assert "Gemünden" not in text and text.startswith("Angebote 1–3 von")
    assert " km)" not in _answer(shipped, "Mit freundlichen Grüßen und vielen Dank, ich suche eine Schuldnerberatung")


def test_the_districts_own_office_is_found(shipped: Store) -> None:
    response = search(shipped, "jugendamt gotha")
    assert response.results[0].offer.id in ("th-004", "th-005") and response.missing_office is None
    assert _ids(shipped, "jugendamt eisenach")[0] == "seed-ea-jugendamt"


@pytest.mark.slow
def test_on_the_fictional_listing(fictional: Store) -> None:
    areas = {r[0]: (r[1], r[2]) for r in fictional.conn.execute(
        "SELECT source_id, service_area, service_regions FROM offers WHERE source_id LIKE 'NT-%'")}
    assert areas and all(kind == "counties" for kind, _ in areas.values())
    assert areas["NT-013"] == ("counties", '["Kyffhäuserkreis"]')
    assert search(fictional, "jugendamt sondershausen").results[0].offer.source_id == "NT-013"
    assert search(fictional, "jobcenter sondershausen").results[0].offer.source_id == "NT-016"
    for question in ("jugendamt mühlhausen", "jobcenter nordhausen", "jugendamt heiligenstadt"):
        found = {r.offer.source_id for r in search(fictional, question).results}
        assert not found & {"NT-013", "NT-014", "NT-016"}, question


# --- whom an offer is for --------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["hilfe für familie", "familie", "erziehungsberatung sondershausen",
                                      "frauenhaus kyffhäuserkreis", "ich brauche hilfe in hessen",
                                      "familie in not kyffhäuserkreis", "hilfe bei armut", "altersarmut erfurt"])
def test_families_asking_for_help_get_no_offers_for_professionals(shipped: Store, question: str) -> None:
    for result in search(shipped, question).results:
        assert result.offer.intended_for == "public", (question, result.offer.id)


@pytest.mark.parametrize(("question", "expected"), [
    ("sozialplanung", "ea-001"), ("förderprogramm familie", "kyf-001"), ("telefon frau grimm", "kyf-002"),
    ("sozialplanung unstrut-hainich-kreis", "uhk-001"), ("landessozialbericht", "seed-he-landessozialbericht"),
    ("ikpe", "seed-th-ikpe"),
])
def test_professional_questions_and_persons_find_them(shipped: Store, question: str, expected: str) -> None:
    assert expected in _ids(shipped, question)[:3]


def test_inline_mode_finds_them_too(shipped: Store) -> None:
    # a family's words: in the chat only help for families; inline (social workers) the programme too
    assert "kyf-001" not in _ids(shipped, "hilfe für familie")
    assert "kyf-001" in _ids(shipped, "hilfe für familie", professionals=True)[:3]


@pytest.mark.slow
def test_on_the_fictional_listing_too(fictional: Store) -> None:
    # the fictional listing's offers are all for the public; the real planning offices stay for professionals
    assert fictional.conn.execute("SELECT count(*) FROM offers WHERE source_id LIKE 'NT-%' "
                                  "AND intended_for != 'public'").fetchone()[0] == 0
    assert all(r.offer.intended_for == "public" for r in search(fictional, "familie nordhausen").results)
    assert "kyf-002" in [r.offer.id for r in search(fictional, "sozialplanung kyffhäuserkreis").results]


# --- bad input: file:line, and offers.db stays byte-identical -------------------------------------

def _knowledge(tmp_path: Path, offers: str) -> Path:
    folder = tmp_path / "knowledge"
    (folder / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "counties.yaml", "places.csv"):
        shutil.copy(KNOWLEDGE / name, folder / name)
    (folder / "offers" / "test.yaml").write_text(offers, encoding="utf-8")
    return folder


_GOOD = """title: Test
offers:
  - id: t-1
    name: Tafel Test
    address:
      county: Kyffhäuserkreis
    service_area:
      kind: counties
      regions:
        - Kyffhäuserkreis
    source:
      url: https://example.org
      date: '2025-01'
"""


@pytest.mark.slow
def test_bad_service_areas_are_reported_with_file_and_line_and_the_db_stays(tmp_path: Path) -> None:
    knowledge = _knowledge(tmp_path, _GOOD)
    db = tmp_path / "offers.db"
    assert sync(knowledge, db).ok
    before = db.read_bytes()
    offers = yaml.safe_load(_GOOD)
    base = offers["offers"][0]
    # what the model refuses (one file) and what only the other files can tell (another): one run
    wrong = {"title": "Falsch", "offers": [copy.deepcopy(o) for o in [
        base | {"id": "w-3", "service_area": {"kind": "state", "regions": ["Bayern"]}},
        base | {"id": "w-4", "service_area": {"kind": "nationwide", "regions": ["Hessen"]}},
        base | {"id": "w-7", "service_area": {"kind": "county", "regions": ["Kyffhäuserkreis"]}},
        base | {"id": "w-8", "intended_for": "fachleute"},
    ]]}
    offers["offers"] = [copy.deepcopy(o) for o in [
        base | {"id": "t-1", "service_area": {"kind": "counties", "regions": ["Kyffhäuserkreis", "Atlantis"]}},
        base | {"id": "t-2", "service_area": {"kind": "town", "regions": ["Nirgendwo"]}},
        base | {"id": "t-5", "service_area": {"kind": "state", "regions": ["Hessen"]}},  # address in Thüringen
        base | {"id": "t-6", "address": {"county": "bundesweit"}},  # but the area is a county
    ]]
    for name, data in (("test.yaml", offers), ("falsch.yaml", wrong)):
        (knowledge / "offers" / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
    result = sync(knowledge, db)
    messages = [str(p) for p in result.problems if not p.warning]
    assert not result.ok and db.read_bytes() == before
    assert all(m.startswith(("knowledge/offers/test.yaml:", "knowledge/offers/falsch.yaml:"))
               and m.split(":")[1].isdigit() for m in messages), messages
    text = "\n".join(messages)
    assert "service_area.regions: unbekannter Kreis (knowledge/counties.yaml): 'Atlantis'" in text
    assert "unbekannter Ort (knowledge/places.csv): 'Nirgendwo'" in text
    assert "unbekanntes Land 'Bayern'" in text
    assert "bundesweit (nationwide) nennt keine regions" in text
    assert "Widerspruch: zuständig für Hessen, die Anschrift liegt aber im Kyffhäuserkreis (TH)" in text
    assert "Widerspruch: address.county ist 'bundesweit', service_area aber counties" in text
    assert "offers.2.service_area.kind: 'county' ist nicht erlaubt" in text
    assert "offers.3.intended_for: 'fachleute' ist nicht erlaubt" in text
    lines = (knowledge / "offers" / "test.yaml").read_text(encoding="utf-8").splitlines()
    atlantis = next(m for m in messages if "Atlantis" in m)
    assert "Atlantis" in lines[int(atlantis.split(":")[1]) - 1]


@pytest.mark.slow
def test_a_missing_service_area_is_a_warning_with_its_line(tmp_path: Path) -> None:
    text = _GOOD.replace("    service_area:\n      kind: counties\n      regions:\n        - Kyffhäuserkreis\n", "")
    result = sync(_knowledge(tmp_path, text), tmp_path / "offers.db")
    [warning] = [p for p in result.problems if p.field == "service_area"]
    assert result.ok and warning.warning and warning.line == 3
    # meanwhile the county of the address counts
    assert Store(tmp_path / "offers.db").offers(["t-1"])[0].service_regions == ("Kyffhäuserkreis",)


# --- help in town before the exact topic far away ----------------------------------------------------

def test_a_lonely_pensioner_gets_the_meeting_places_in_town_not_a_club_85_km_away(shipped: Store) -> None:
    # no offer in Jena is about loneliness itself; the nearest that is, a day centre in Mühlhausen, came first
    results = search(shipped, "ich bin so einsam seit ich in rente bin, wohne in jena").results
    assert [r.distance_km is not None and r.distance_km < 15 for r in results[:2]] == [True, True]
    assert "Generationenzentrum Mittendrin" in [r.offer.name for r in results[:2]]


def test_a_hungry_pensioner_gets_the_food_bank_in_town(shipped: Store) -> None:
    # "kein geld mehr fürs essen" also reads as Grundsicherung: the office of that name was missing for the
    # district, and the answer was empty (the office is asked for by its name, not by the need)
    response = search(shipped, "rentnerin in hildburghausen, am monatsende ist kein geld mehr fürs essen da")
    assert response.missing_office is None
    assert response.results[0].offer.name == "Hildburghäuser Tafel"
    assert response.results[0].distance_km == 0.0
    assert search(shipped, "sozialamt hildburghausen").missing_office == "Grundsicherung und Sozialhilfe"
