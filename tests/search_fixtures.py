"""A fictional county listing and a search database built from it, for the search tests.

The real listings hold a few dozen offers that other helpers keep changing, and the
shared evaluation listing must not be tuned for. So the search is tested against
offers of two counties the project has no listing for (Ilm-Kreis, Weimarer Land):
the organisations, people, streets, phone numbers (030 23125 xxx, a range
reserved for fiction) and e-mail addresses (example.org) are invented here, the
towns and postcodes are real. Three rows carry the public numbers of national
crisis lines (from knowledge/hotlines.yaml), as the real nationwide listing does.

The database is built the way the product builds it: the listing is imported
with scripts/import_listing.py into a knowledge folder holding only the project's
vocabulary, places, counties and hotlines, then bot.sync builds the database.
"""

from __future__ import annotations

import csv
import importlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ("Nr", "Angebot", "Träger", "Kategorie", "Schlagworte", "Zielgruppe", "Beschreibung", "Straße", "PLZ",
           "Ort", "Landkreis", "Ansprechperson", "Telefon", "E-Mail", "Webseite", "Sprechzeiten", "Hinweis",
           "Quelle", "Stand")
IK, WL = "Ilm-Kreis", "Weimarer Land"
ARNSTADT, ILMENAU, STADTILM, GRAEFENRODA, GROSSBREITENBACH = (
    ("99310", "Arnstadt"), ("98693", "Ilmenau"), ("99326", "Stadtilm"), ("99330", "Gräfenroda"),
    ("98701", "Großbreitenbach"))
APOLDA, BAD_BERKA, BLANKENHAIN, BAD_SULZA = (("99510", "Apolda"), ("99438", "Bad Berka"), ("99444", "Blankenhain"),
                                             ("99518", "Bad Sulza"))

# (Nr, Angebot, Träger, Kategorie, Schlagworte, Zielgruppe, Beschreibung, Straße, (PLZ, Ort), Landkreis,
#  Ansprechperson, Telefon, Sprechzeiten, Hinweis)
_ROWS: tuple[tuple[str, ...], ...] = (
    ("TST-001", "Schuldner- und Insolvenzberatung Arnstadt", "Diakoniewerk Ilmtal e.V.", "Schuldnerberatung",
     "Schulden, Mahnung, Pfändung, P-Konto, Privatinsolvenz, Inkasso", "Familien, Erwerbslose",
     "Hilft bei Überschuldung, verhandelt mit Gläubigern und stellt P-Konto-Bescheinigungen aus.",
     "Ritterstraße 7", ARNSTADT, IK, "Maren Kranich (Schuldnerberaterin)", "030 23125 501",
     "Mo 9-12 Uhr, Do 13-17 Uhr und nach Vereinbarung", "Erstgespräch nur mit Termin"),
    ("TST-002", "Schuldnerberatung Apolda", "Volkshilfe Weimarer Land e.V.", "Schuldnerberatung",
     "Schulden, Kredit, Mietschulden, Stromschulden", "Erwachsene",
     "Beratung bei Schulden, Haushaltsplan und Verbraucherinsolvenz.", "Bahnhofstraße 22", APOLDA, WL,
     "Olaf Reimann", "030 23125 502", "Di 9.00 - 12.00 Uhr", ""),
    ("TST-003", "Erziehungs- und Familienberatungsstelle Ilmenau", "Kinderhilfe Ilmtal gGmbH", "Erziehungsberatung",
     "Erziehung, Pubertät, Trennung, Scheidung, Schulprobleme, Streit in der Familie", "Eltern, Kinder, Jugendliche",
     "Beratung für Eltern, Kinder und Jugendliche bei Erziehungsfragen und Konflikten in der Familie.",
     "Lindenstraße 12", ILMENAU, IK, "Dr. Petra Ahlborn (Psychologin)", "030 23125 503",
     "Mo-Do 8:00-16:00, Fr 8:00-12:00", "kostenlos und vertraulich"),
    ("TST-004", "Erziehungsberatung Apolda", "Kinderhilfe Ilmtal gGmbH", "Erziehungsberatung",
     "Erziehung, Trotzphase, ADHS, Familienkonflikte", "Eltern", "Außenstelle der Erziehungsberatung.",
     "Dornburger Straße 3", APOLDA, WL, "", "030 23125 504", "Mittwoch 14 - 18 Uhr", ""),
    ("TST-005", "Suchtberatung Arnstadt", "Suchthilfe Thüringer Wald e.V.", "Suchtberatung",
     "Alkohol, Drogen, Cannabis, Glücksspiel, Medienabhängigkeit, Angehörige", "Betroffene, Angehörige",
     "Beratung und Vermittlung in Entgiftung und Therapie, Gruppe für Angehörige.", "Lohmühlenweg 4", ARNSTADT, IK,
     "Herr Tobias Lindemann", "030 23125 505", "Mo bis Fr 9 - 15 Uhr", "offene Sprechstunde Dienstag ohne Termin"),
    ("TST-006", "Suchtberatungsstelle Weimarer Land", "Suchthilfe Thüringer Wald e.V.", "Suchtberatung",
     "Alkohol, Drogen, Spielsucht, MPU", "Betroffene", "Beratung bei Abhängigkeit und vor der MPU.",
     "Stobraer Straße 9", APOLDA, WL, "", "030 23125 506", "Do 10-18 Uhr", ""),
    ("TST-007", "Frauenschutzwohnung Ilm-Kreis", "Frauen helfen Frauen Ilmenau e.V.", "Frauenhaus",
     "Häusliche Gewalt, Schutz, Notaufnahme, Frauen mit Kindern", "Frauen, Kinder",
     "Geschützte Unterkunft und Beratung für Frauen und ihre Kinder, die Gewalt erleben.", "", ILMENAU, IK, "",
     "030 23125 507", "rund um die Uhr erreichbar", "Adresse wird nicht veröffentlicht"),
    ("TST-008", "Interventionsstelle gegen häusliche Gewalt Weimarer Land", "Frauen helfen Frauen Ilmenau e.V.",
     "Gewaltschutz", "Häusliche Gewalt, Gewaltschutzgesetz, Stalking, Wegweisung", "Betroffene",
     "Beratung nach Polizeieinsätzen bei häuslicher Gewalt, Hilfe bei Schutzanordnungen.", "Markt 1", APOLDA, WL,
     "", "030 23125 508", "Mo-Fr 9-15 Uhr", ""),
    ("TST-009", "Schwangerschaftsberatung Arnstadt", "Familienbund Ilmtal e.V.", "Schwangerschaftsberatung",
     "Schwangerschaft, Beratungsschein, Schwangerschaftskonflikt, Elterngeld, Stiftung Mutter und Kind",
     "Schwangere, Paare", "Anerkannte Schwangerschafts- und Konfliktberatung, auf Wunsch anonym.",
     "Erfurter Straße 31", ARNSTADT, IK, "Susanne Brettschneider", "030 23125 509", "Di und Do 9-16 Uhr", ""),
    ("TST-010", "Migrationsberatung für Erwachsene Ilmenau", "Ilmtaler Integrationswerk e.V.", "Migrationsberatung",
     "Migration, Aufenthalt, Integrationskurs, Anerkennung von Abschlüssen, Sprachkurs", "Zugewanderte",
     "Begleitung nach der Ankunft: Sprachkurs, Behörden, Arbeit, Familiennachzug.", "Weimarer Straße 5", ILMENAU,
     IK, "Nadia Haddad (Beraterin, Arabisch)", "030 23125 510", "Mo 10-16 Uhr", ""),
    ("TST-011", "Tafel Arnstadt", "Tafelverein Ilm-Kreis e.V.", "Lebensmittelausgabe",
     "Lebensmittel, Tafel, günstig einkaufen", "Menschen mit wenig Geld",
     "Ausgabe gespendeter Lebensmittel gegen einen kleinen Beitrag, Bescheid mitbringen.", "Am Güterbahnhof 2",
     ARNSTADT, IK, "", "030 23125 511", "Di und Fr 10-13 Uhr", ""),
    ("TST-012", "Tafel Ilmenau", "Tafelverein Ilm-Kreis e.V.", "Lebensmittelausgabe", "Lebensmittel, Tafel",
     "Menschen mit wenig Geld", "Lebensmittelausgabe für Bedürftige.", "Grenzhammer 6", ILMENAU, IK, "",
     "030 23125 512", "Mi 13-16 Uhr", ""),
    ("TST-013", "Tafel Apolda", "Apoldaer Tafel e.V.", "Lebensmittelausgabe", "Lebensmittel, Essen, Tafel",
     "Bedürftige", "Ausgabe von Lebensmitteln zweimal die Woche.", "Heidenberg 8", APOLDA, WL, "",
     "030 23125 513", "Montag und Donnerstag 11 - 14 Uhr", ""),
    ("TST-014", "Pflegestützpunkt Ilm-Kreis", "Landratsamt Ilm-Kreis", "Pflegeberatung",
     "Pflege, Pflegegrad, Demenz, Angehörige, Pflegedienst, Hilfsmittel", "Pflegebedürftige, Angehörige",
     "Kostenlose Beratung zu Pflegegrad, Leistungen der Pflegeversicherung und Entlastung für Angehörige.",
     "Ritterstraße 14", ARNSTADT, IK, "Birgit Schönherr (Pflegeberaterin)", "030 23125 514",
     "Mo-Fr 8-12 Uhr, Do 13-18 Uhr", ""),
    ("TST-015", "Seniorenbüro Bad Berka", "Stadt Bad Berka", "Seniorenberatung",
     "Senioren, Einsamkeit, Nachbarschaftshilfe, Seniorentreff", "Ältere Menschen",
     "Treffpunkt, Beratung und Ausflüge für ältere Menschen.", "Goetheallee 2", BAD_BERKA, WL, "",
     "030 23125 515", "Di 10-12 Uhr", ""),
    ("TST-016", "Jugendamt Ilm-Kreis – Allgemeiner Sozialer Dienst", "Landratsamt Ilm-Kreis", "Jugendamt",
     "Jugendamt, ASD, Kindeswohl, Hilfe zur Erziehung, Inobhutnahme, Sorgerecht", "Eltern, Kinder, Jugendliche",
     "Berät Familien, vermittelt Hilfen zur Erziehung und schützt Kinder bei Gefahr.", "Ritterstraße 14",
     ARNSTADT, IK, "Jana Stolle (Sachgebietsleiterin ASD)", "030 23125 516",
     "Di 9-12 Uhr und 13-18 Uhr, Do 9-12 Uhr", ""),
    ("TST-017", "Jugendamt Weimarer Land", "Landratsamt Weimarer Land", "Jugendamt",
     "Jugendamt, Kinderschutz, Beistandschaft, Vaterschaft", "Familien",
     "Jugendamt des Landkreises mit Allgemeinem Sozialen Dienst.", "Bahnhofstraße 28", APOLDA, WL, "",
     "030 23125 517", "Di 9-18 Uhr", ""),
    ("TST-018", "Unterhaltsvorschussstelle Ilm-Kreis", "Landratsamt Ilm-Kreis", "Unterhaltsvorschuss",
     "Unterhaltsvorschuss, Unterhalt, Alleinerziehende", "Alleinerziehende",
     "Zahlt Unterhaltsvorschuss, wenn der andere Elternteil keinen Unterhalt zahlt.", "Ritterstraße 14", ARNSTADT,
     IK, "Frank Oehme", "030 23125 518", "Di 9-12 Uhr", ""),
    ("TST-019", "Wohngeldstelle Ilmenau", "Stadtverwaltung Ilmenau", "Wohngeld", "Wohngeld, Lastenzuschuss, Miete",
     "Mieter, Eigentümer", "Antrag und Beratung zum Wohngeld.", "Am Markt 7", ILMENAU, IK, "", "030 23125 519",
     "Mo und Do 9-12 Uhr", ""),
    ("TST-020", "Jobcenter Weimarer Land", "Jobcenter Weimarer Land", "Jobcenter",
     "Jobcenter, Bürgergeld, Arbeitsvermittlung, Weiterbildung", "Erwerbslose",
     "Bürgergeld und Hilfe bei der Arbeitssuche.", "Dornburger Straße 50", APOLDA, WL, "", "030 23125 520",
     "Mo-Fr 8-12 Uhr", ""),
    ("TST-021", "Familienzentrum Stadtilm", "Familienbund Ilmtal e.V.", "Familienzentrum",
     "Krabbelgruppe, Elterncafé, Familienbildung, Spielgruppe", "Familien, Eltern mit Babys",
     "Offener Treff für Familien mit kleinen Kindern.", "Markt 3", STADTILM, IK, "", "030 23125 521",
     "Mo-Do 9-12 Uhr", ""),
    ("TST-022", "Sozialpsychiatrischer Dienst Ilm-Kreis", "Gesundheitsamt Ilm-Kreis", "Sozialpsychiatrischer Dienst",
     "Psychische Krise, Depression, Psychose, Angehörige", "Menschen in seelischen Krisen",
     "Beratung und Hausbesuche bei psychischen Erkrankungen und Krisen.", "Krankenhausstraße 2", ARNSTADT, IK,
     "", "030 23125 522", "Mo-Fr 8-15 Uhr", ""),
    ("TST-023", "Ehe-, Familien- und Lebensberatung Apolda", "Caritas Weimarer Land", "Lebensberatung",
     "Eheberatung, Paarberatung, Trennung, Lebenskrise", "Paare, Einzelne",
     "Beratung für Paare und Einzelne in Krisen.", "Kirchgasse 4", APOLDA, WL, "", "030 23125 523",
     "nach Vereinbarung", ""),
    ("TST-024", "Wohnungsnotfallhilfe Arnstadt", "Diakoniewerk Ilmtal e.V.", "Wohnungslosenhilfe",
     "Obdachlos, Wohnungslosigkeit, Räumung, Notunterkunft, Mietschulden", "Wohnungslose",
     "Hilfe bei drohendem Wohnungsverlust und Vermittlung in die Notunterkunft.", "Lessingstraße 9", ARNSTADT, IK,
     "", "030 23125 524", "Mo-Fr 9-12 Uhr", ""),
    ("TST-025", "EUTB – Teilhabeberatung Ilmenau", "Selbstbestimmt Leben Ilmtal e.V.", "Teilhabeberatung",
     "Behinderung, Schwerbehindertenausweis, Teilhabe, Persönliches Budget", "Menschen mit Behinderung",
     "Unabhängige Beratung zu Leistungen und Rechten.", "Poststraße 10", ILMENAU, IK, "", "030 23125 525",
     "Di 10-16 Uhr", ""),
    ("TST-026", "Sozialkaufhaus Blankenhain", "Neue Arbeit Weimarer Land gGmbH", "Sozialkaufhaus",
     "Möbel, Kleidung, Hausrat, günstig", "Menschen mit wenig Geld",
     "Gebrauchte Möbel, Kleidung und Hausrat zu kleinen Preisen.", "Am Schloss 1", BLANKENHAIN, WL, "",
     "030 23125 526", "Mo-Fr 10-17 Uhr", ""),
    ("TST-027", "Hausaufgabenhilfe im Jugendclub Gräfenroda", "Jugendwerk Ilmtal e.V.", "Lernhilfe",
     "Hausaufgaben, Nachhilfe, Lernhilfe, Schule", "Schüler",
     "Ehrenamtliche helfen Schülerinnen und Schülern bei den Hausaufgaben.", "Bahnhofstraße 1", GRAEFENRODA, IK,
     "", "030 23125 527", "Mo-Do 14-17 Uhr", ""),
    ("TST-028", "Kinderschutzdienst Ilm-Kreis", "Kinderhilfe Ilmtal gGmbH", "Kinderschutz",
     "Kinderschutz, Missbrauch, Misshandlung, Kindeswohl", "Kinder, Jugendliche, Eltern",
     "Beratung für Kinder und Jugendliche, die Gewalt erleben, und für Menschen, die sich um ein Kind sorgen.",
     "Lindenstraße 12", ILMENAU, IK, "", "030 23125 528", "Mo-Fr 9-16 Uhr", ""),
    ("TST-029", "Verbraucherberatung Ilmenau", "Verbraucherhilfe Thüringen e.V.", "Verbraucherberatung",
     "Verträge, Handyvertrag, Abofalle, Energie, Reklamation", "Verbraucher",
     "Beratung zu Verträgen, Rechnungen und Energiekosten.", "Karl-Liebknecht-Straße 3", ILMENAU, IK, "",
     "030 23125 529", "Mi 10-18 Uhr", ""),
    ("TST-030", "Trauercafé Bad Sulza", "Hospizverein Saaleland e.V.", "Trauerbegleitung",
     "Trauer, Trauercafé, Verlust, Tod", "Trauernde", "Monatliches Treffen für trauernde Menschen.",
     "Kurpark 2", BAD_SULZA, WL, "", "030 23125 530", "jeden 1. Samstag im Monat 15-17 Uhr", ""),
    ("TST-031", "Selbsthilfekontaktstelle Weimarer Land", "Paritätische Selbsthilfe Thüringen", "Selbsthilfe",
     "Selbsthilfegruppen, Gruppe gründen", "Betroffene, Angehörige",
     "Vermittelt in Selbsthilfegruppen und hilft bei der Gründung.", "Markt 12", APOLDA, WL, "", "030 23125 531",
     "Do 10-17 Uhr", ""),
    ("TST-032", "Beratung für Alleinerziehende Ilmenau", "Familienbund Ilmtal e.V.", "Familienberatung",
     "Alleinerziehend, Unterhalt, Kinderbetreuung, Kinderzuschlag", "Alleinerziehende",
     "Beratung und Treff für Alleinerziehende.", "Weimarer Straße 5", ILMENAU, IK, "", "030 23125 532",
     "Mi 9-12 Uhr", ""),
    ("TST-033", "Sozialplanung Ilm-Kreis", "Landratsamt Ilm-Kreis", "Sozialplanung",
     "Sozialplanung, Armutsprävention, Sozialbericht", "Fachkräfte, Kommunen",
     "Plant soziale Angebote im Landkreis und berichtet über Armut.", "Ritterstraße 14", ARNSTADT, IK,
     "Dr. Heike Sommerfeld (Sozialplanerin)", "030 23125 533", "nach Vereinbarung", ""),
    ("TST-034", "Kita-Anmeldung der Stadt Apolda", "Stadtverwaltung Apolda", "Kindertagesbetreuung",
     "Kita, Kitaplatz, Krippe, Hort, Kindergarten", "Eltern", "Vergabe der Plätze in Kitas und Horten der Stadt.",
     "Markt 1", APOLDA, WL, "", "030 23125 534", "Di 9-12 Uhr und 14-18 Uhr", ""),
    ("TST-035", "Rentenberatung Großbreitenbach", "Versichertenberater der Rentenversicherung", "Rentenberatung",
     "Rente, Rentenantrag, Erwerbsminderungsrente", "Versicherte", "Hilfe beim Rentenantrag.", "Markt 5",
     GROSSBREITENBACH, IK, "Herr Gunter Wiesner (Versichertenberater)", "030 23125 535", "jeden 1. Montag 14-17 Uhr",
     ""),
    ("TST-036", "Streetwork Ilmenau", "Jugendwerk Ilmtal e.V.", "Streetwork",
     "Streetwork, Jugendliche, aufsuchende Arbeit", "Jugendliche", "Unterwegs auf Plätzen und im Jugendtreff.",
     "Bahnhofstraße 20", ILMENAU, IK, "", "030 23125 536", "Di-Fr 15-20 Uhr", ""),
    ("TST-037", "Kinder- und Jugendnotdienst Ilm-Kreis", "Landratsamt Ilm-Kreis", "Notdienst",
     "Inobhutnahme, Notaufnahme, Kinderschutz, Jugendnotdienst", "Kinder, Jugendliche",
     "Notaufnahme für Kinder und Jugendliche, die nicht nach Hause können.", "", ARNSTADT, IK, "",
     "030 23125 537", "rund um die Uhr", ""),
    ("TST-038", "Schuldnerberatung Außensprechstunde Ilmenau", "Diakoniewerk Ilmtal e.V.", "Schuldnerberatung",
     "Schulden, P-Konto", "Erwachsene", "Sprechstunde der Schuldnerberatung in Ilmenau.", "Weimarer Straße 5",
     ILMENAU, IK, "Maren Kranich (Schuldnerberaterin)", "030 23125 538", "jeden 2. Mittwoch 9-12 Uhr", ""),
    ("TST-039", "Mehrgenerationenhaus Apolda", "Bürgerstiftung Apolda", "Begegnung",
     "Treffpunkt, Begegnung, Ehrenamt, Café", "alle Generationen",
     "Offenes Haus mit Café, Kursen und Nachbarschaftshilfe.", "Stobraer Straße 2", APOLDA, WL, "",
     "030 23125 539", "Mo-Fr 9-18 Uhr", ""),
    ("TST-040", "Bildung und Teilhabe Ilm-Kreis", "Landratsamt Ilm-Kreis", "Bildung und Teilhabe",
     "Bildung und Teilhabe, Klassenfahrt, Schulessen, Lernförderung, Schulbedarf", "Familien mit wenig Geld",
     "Zuschüsse für Klassenfahrten, Mittagessen und Nachhilfe.", "Ritterstraße 14", ARNSTADT, IK, "",
     "030 23125 540", "Di 9-12 Uhr", ""),
    ("TST-041", "TelefonSeelsorge", "Evangelische und katholische Kirche", "Krisentelefon",
     "Krise, Suizidgedanken, Einsamkeit, Sorgen", "alle", "Rund um die Uhr anonym und kostenlos am Telefon.", "",
     ("", ""), "bundesweit", "", "0800 111 0 111 | 0800 111 0 222", "rund um die Uhr", ""),
    ("TST-042", "Giftnotruf Erfurt", "Gemeinsames Giftinformationszentrum", "Giftnotruf",
     "Vergiftung, Gift, verschluckt, Medikamente, Putzmittel", "alle", "Notfallberatung bei Vergiftungen.",
     "Nordhäuser Straße 74", ("99089", "Erfurt"), "Erfurt", "", "0361 730730", "rund um die Uhr", ""),
    ("TST-043", "Hilfetelefon Gewalt gegen Frauen", "Bundesamt für Familie", "Hilfetelefon",
     "Gewalt, häusliche Gewalt, sexuelle Gewalt", "Frauen", "Rund um die Uhr, anonym, in vielen Sprachen.", "",
     ("", ""), "bundesweit", "", "116 016", "rund um die Uhr", ""),
)

#: Nr -> (PLZ, Ort) of the fictional offers, for tests that check places.
TOWNS = {row[0]: row[8] for row in _ROWS}


def listing_rows() -> list[dict[str, str]]:
    """The listing as rows of the county CSV format."""
    rows = []
    for nr, name, provider, category, keywords, audience, text, street, (plz, town), county, person, phone, \
            hours, remark in _ROWS:
        slug = nr.lower()
        rows.append(dict(zip(COLUMNS, (
            nr, name, provider, category, keywords, audience, text, street, plz, town, county, person, phone,
            f"{slug}@example.org", f"https://example.org/{slug}", hours, remark, "https://example.org/fiktiv",
            "2026-10"), strict=True)))
    return rows


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    """A county listing CSV of these rows."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_listing(path: Path) -> Path:
    return write_rows(path, listing_rows())


def rows_with_email(table: tuple[tuple, ...], web: str, stand: str) -> list[dict[str, str]]:
    """Listing rows from tuples (Nr, Angebot, Träger, Kategorie, Schlagworte, Zielgruppe, Beschreibung,
    Straße, (PLZ, Ort), Landkreis, Ansprechperson, Telefon, E-Mail, Sprechzeiten, Hinweis), all with
    the same web page (also the source) and Stand: the shape of the later fictional listings."""
    return [dict(zip(COLUMNS, (nr, name, provider, category, keywords, audience, text, street, plz, town, county,
                               person, phone, email, web, hours, remark, web, stand), strict=True))
            for nr, name, provider, category, keywords, audience, text, street, (plz, town), county, person,
            phone, email, hours, remark in table]


def evaluate_script() -> ModuleType:
    """scripts/evaluate.py's code (bot/cli/evaluate.py): the fixtures build their databases the way it does."""
    return importlib.import_module("bot.cli.evaluate")


def build_search_db(directory: Path, *, write: Callable[[Path], Path] | None = None, stem: str = "ilmtal-fiktiv",
                    with_offers: bool = False) -> Path:
    """Import the listing (``write`` puts it in a CSV file; default: this module's) with the project's
    script and build a database with bot.sync. ``with_offers`` adds the project's own offers of
    knowledge/offers, as the outside evaluation does: without the rows of thueringen-regional.csv that
    sit in the listing's counties (tests/data/eval/README.md, ``scripts/evaluate.py``)."""
    from bot.sync import sync

    knowledge = directory / "knowledge"
    (knowledge / "offers").mkdir(parents=True, exist_ok=True)
    for name in ("topics.yaml", "places.csv", "counties.yaml", "hotlines.yaml"):
        shutil.copyfile(ROOT / "knowledge" / name, knowledge / name)
    listing = (write or write_listing)(directory / f"{stem}.csv")
    if with_offers:
        for path in (ROOT / "knowledge" / "offers").glob("*.yaml"):
            shutil.copyfile(path, knowledge / "offers" / path.name)
        # as the evaluation builds its database: the real regional rows in the listing's counties are left out
        evaluate_script().leave_out_real_offers(knowledge, [listing])
    subprocess.run([sys.executable, str(ROOT / "scripts" / "import_listing.py"), str(listing), "--out",
                    str(knowledge / "offers" / f"eval-{stem}.yaml"), "--topics", str(knowledge / "topics.yaml")],
                   check=True, capture_output=True, text=True)
    db = directory / "search.db"
    result = sync(knowledge, db)
    if not result.ok:
        raise RuntimeError(f"the test knowledge does not sync: {[str(p) for p in result.problems]}")
    return db


@dataclass
class QuestionScore:
    """A question set scored like tests/data/eval/README.md: top-1 and recall@3 over the
    questions with an answer, the share of ``expect: []`` questions answered with nothing."""

    top1: float
    recall3: float
    offtopic: float
    #: (question, expected ids or "nothing", first three ids) of every question not answered first
    misses: list[tuple[str, object, list[str | None]]]


def score_questions(store: Store, path: Path) -> QuestionScore:
    from bot.search import search

    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    top1 = recall3 = on_topic = off_ok = off_total = 0
    misses: list[tuple[str, object, list[str | None]]] = []
    for item in items:
        got = [r.offer.source_id for r in search(store, str(item["q"])).results]
        expect = set(item["expect"])
        if not expect:
            off_total += 1
            off_ok += not got
            if got:
                misses.append((item["q"], "nothing", got[:3]))
            continue
        on_topic += 1
        top1 += bool(got) and got[0] in expect
        recall3 += any(g in expect for g in got[:3])
        if not got or got[0] not in expect:
            misses.append((item["q"], sorted(expect), got[:3]))
    return QuestionScore(top1 / max(on_topic, 1), recall3 / max(on_topic, 1),
                         off_ok / off_total if off_total else 1.0, misses)


if __name__ == "__main__":  # python -m tests.search_fixtures OUT.csv: the listing for scripts/evaluate.py
    print(write_listing(Path(sys.argv[1])))
