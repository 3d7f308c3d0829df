"""A second fictional county listing, written to check that the search generalises.

The search was tuned on the shared evaluation listing and on tests/search_fixtures.py.
This listing was written without looking at the project's vocabulary, the way real
county pages look: official names ("Fachdienst Jugend und Familie"), categories that
say little ("Beratungsstelle"), rows without keywords, several services in one row,
hours and phone numbers written in every style, a county named "Gotha" or "SHK".
It covers Landkreis Gotha and the Saale-Holzland-Kreis, counties the project has no
listing for. The organisations, people, streets, phone numbers (030 23125 xxx, a
range reserved for fiction) and e-mail addresses (example.org) are invented; the
towns and postcodes are real. It must never go into knowledge/ or offers.db.

``python tests/generalisation_fixtures.py OUT.csv`` writes the listing for
``scripts/evaluate.py --listing OUT.csv --queries tests/data/generalisation-queries.yaml``.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from search_fixtures import COLUMNS, build_search_db

GTH, SHK = "Landkreis Gotha", "Saale-Holzland-Kreis"
GOTHA, WALTERSHAUSEN, OHRDRUF, FRIEDRICHRODA, TAMBACH, TABARZ, GEORGENTHAL, NEUDIETENDORF = (
    ("99867", "Gotha"), ("99880", "Waltershausen"), ("99885", "Ohrdruf"), ("99894", "Friedrichroda"),
    ("99897", "Tambach-Dietharz"), ("99891", "Tabarz"), ("99887", "Georgenthal"), ("99192", "Neudietendorf"))
EISENBERG, STADTRODA, HERMSDORF, KAHLA, BUERGEL = (
    ("07607", "Eisenberg"), ("07646", "Stadtroda"), ("07629", "Hermsdorf"), ("07768", "Kahla"),
    ("07616", "Bürgel"))
WEB = "https://example.org/residenzland-fiktiv"

# (Nr, Angebot, Träger, Kategorie, Schlagworte, Zielgruppe, Beschreibung, Straße, (PLZ, Ort), Landkreis,
#  Ansprechperson, Telefon, E-Mail, Sprechzeiten, Hinweis)
_ROWS: tuple[tuple, ...] = (
    ("GS-001", "Schuldner- und Insolvenzberatung", "Diakonie-Sozialwerk Residenzland e.V.", "Schuldnerberatung",
     "Überschuldung, Insolvenzverfahren, Pfändungsschutzkonto, Haushaltsbudget, Gläubiger",
     "Privatpersonen, Familien",
     "Kostenfreie Beratung für überschuldete Haushalte, Bescheinigungen nach § 903 ZPO, Begleitung im "
     "Verbraucherinsolvenzverfahren.",
     "Erfurter Landstraße 41", GOTHA, GTH, "Frau Annegret Pöschel (Dipl.-Sozialarbeiterin)",
     "030 / 23125-601", "schuldnerberatung.gotha@example.org",
     "Mo. 08:00 - 12:00 Uhr, Di. 13:00 - 17:30 Uhr, Do. 08:00 - 12:00 u. 13:00 - 15:30 Uhr",
     "Termine bitte telefonisch vereinbaren"),
    ("GS-002", "Sprechtag der Schuldnerberatung in Waltershausen", "Diakonie-Sozialwerk Residenzland e.V.",
     "Schuldnerberatung", "", "",
     "Außensprechtag der Schuldner- und Insolvenzberatung im Bürgerhaus.",
     "Bremerstraße 7 (Hinterhaus)", WALTERSHAUSEN, GTH, "Frau Annegret Pöschel", "030 23125602",
     "schuldnerberatung.gotha@example.org", "jeden 1. und 3. Donnerstag im Monat 9-12 Uhr", ""),
    ("GS-003", "Ehe-, Familien- und Lebensberatung / Erziehungsberatung", "Katholischer Beratungsdienst Gotha",
     "Beratungsstelle", "Partnerschaft, Erziehungsfragen, Trennung und Scheidung, Umgangsrecht, Lebenskrisen",
     "Einzelpersonen, Paare, Familien",
     "Psychologische Beratung für Paare, Einzelne und Familien unabhängig von Konfession und Weltanschauung.",
     "Bergallee 12", GOTHA, GTH, "Dipl.-Psych. Matthias Köhnlein (Leitung)", "(030) 23125 603",
     "beratung-gotha@example.org", "Mo-Do 8-18 Uhr, Fr 8-13 Uhr (Termine nach Vereinbarung)", ""),
    ("GS-004", "Psychologische Beratungsstelle für Eltern, Kinder und Jugendliche Ohrdruf",
     "Kinder- und Jugendhilfe Hörselberg gGmbH", "Erziehungsberatung",
     "Verhaltensauffälligkeiten, Schulangst, Geschwisterstreit, Trotz, Einnässen", "Eltern, Kinder, Jugendliche",
     "Beratung und Diagnostik bei Erziehungs- und Entwicklungsfragen.", "Marktplatz 4", OHRDRUF, GTH,
     "Ulrike Ebersbach", "030-23125-604", "eb-ohrdruf@example.org", "Dienstags 9-12 und 14-18 Uhr", ""),
    ("GS-005", "Fachstelle für Suchtprävention und Suchtberatung", "Suchthilfe Residenzland e.V.", "Suchthilfe",
     "Alkohol, illegale Drogen, Crystal, Medikamente, Angehörigenarbeit, Nachsorge",
     "Betroffene und Angehörige",
     "Beratung, Vermittlung in Entgiftung und Rehabilitation, ambulante Nachsorge.", "Hünersdorffstraße 2", GOTHA,
     GTH, "Herr Ralf Dietzel", "+49 30 23125 605", "sucht-gotha@example.org",
     "Mo, Di, Do: 9:00–15:00 | Mi: 13:00–18:00", "offene Sprechstunde mittwochs ohne Anmeldung"),
    ("GS-006", "Fachberatung Glücksspiel und Medienabhängigkeit", "Suchthilfe Residenzland e.V.", "Suchtberatung",
     "pathologisches Glücksspiel, Sportwetten, Automaten, Onlinecasino, exzessive Mediennutzung, Computerspiele",
     "Betroffene, Eltern, Angehörige",
     "Spezialisierte Beratung bei problematischem Spielverhalten und übermäßiger Nutzung von Bildschirmmedien.",
     "Hünersdorffstraße 2", GOTHA, GTH, "Jens Oßwald", "030 23125 606", "spielsucht@example.org",
     "Do 14-19 Uhr", ""),
    ("GS-007", "Frauenhaus Gotha", "Frauen in Not Residenzland e.V.", "Frauenhaus",
     "Zuflucht, Schutz vor Gewalt, Frauen und Kinder", "Frauen und ihre Kinder",
     "Sichere Unterkunft für von Gewalt betroffene Frauen und ihre Kinder.", "", GOTHA, GTH, "",
     "030 23125 607", "frauenhaus-gth@example.org", "24 Stunden erreichbar",
     "Die Anschrift wird zum Schutz der Bewohnerinnen nicht veröffentlicht"),
    ("GS-008", "Interventionsstelle gegen häusliche Gewalt und Stalking", "Frauen in Not Residenzland e.V.",
     "Opferberatung", "Partnergewalt, Nachstellung, Gewaltschutzgesetz, Wohnungsverweisung",
     "Betroffene jeden Geschlechts",
     "Proaktive Beratung nach Polizeieinsätzen, Unterstützung bei Anträgen nach dem Gewaltschutzgesetz.",
     "Mohrenstraße 19", GOTHA, GTH, "Kathrin Wündsch", "030 23125 608", "ist-gotha@example.org",
     "Mo-Fr 9-15 Uhr", ""),
    ("GS-009", "Schwangerschafts- und Schwangerschaftskonfliktberatung", "Familienplanungszentrum Residenzland e.V.",
     "Schwangerenberatung",
     "Schwangerschaft, Konfliktberatung nach § 219 StGB, Verhütung, Sexualpädagogik, Bundesstiftung Mutter und Kind",
     "Schwangere, Frauen, Paare",
     "Staatlich anerkannte Beratungsstelle; Beratung zu finanziellen Hilfen, Elterngeld und Mutterschutz.",
     "Schützenallee 5", GOTHA, GTH, "Sabine Gräfe", "030 23125 609 | Fax 030 23125 699",
     "schwanger-gotha@example.org", "Mo 9-16, Mi 12-18, Fr 9-12 Uhr", ""),
    ("GS-010", "Migrationsberatung für erwachsene Zuwanderer (MBE)", "Internationaler Bund Residenzland",
     "Migration", "Aufenthaltsrecht, Einbürgerung, Integrationskurs, Behördenangelegenheiten, Geflüchtete",
     "Zugewanderte ab 27 Jahren",
     "Beratung in Deutsch, Englisch, Russisch und Arabisch.", "Bürgeraue 3", GOTHA, GTH,
     "Herr Samir Khoury (Arabisch, Englisch); Frau Olena Bondar (Russisch, Ukrainisch)", "030 23125 610",
     "mbe-gotha@example.org", "Di 9-12 Uhr, Do 13-16 Uhr", ""),
    ("GS-011", "Jugendmigrationsdienst Gotha", "Internationaler Bund Residenzland", "Migration",
     "Schule, Ausbildung, Sprachförderung, Anerkennung ausländischer Zeugnisse", "junge Menschen von 12 bis 27 Jahren",
     "Begleitet junge Zugewanderte in Schule, Ausbildung und Beruf.", "Bürgeraue 3", GOTHA, GTH, "Lisa Hübschmann",
     "030 23125 611", "jmd-gotha@example.org", "Mo-Fr nach Absprache", ""),
    ("GS-012", "Gothaer Tafel", "Gothaer Tafel e.V.", "Tafel", "Lebensmittel, Ausgabestelle, Spenden",
     "Bedürftige mit Nachweis",
     "Ausgabe von gespendeten Lebensmitteln gegen einen symbolischen Betrag.", "Kindleber Straße 120", GOTHA, GTH,
     "", "030 23125 612", "", "Ausgabe Di + Fr 13:00-15:30 Uhr", "Registrierung nur mit aktuellem Bescheid"),
    ("GS-013", "Tafel-Ausgabestelle Ohrdruf", "Gothaer Tafel e.V.", "Tafel", "", "", "Ausgabestelle der Gothaer Tafel.",
     "Schulplatz 1", OHRDRUF, GTH, "", "030 23125 613", "", "Donnerstag 10.00 – 12.00 Uhr", ""),
    ("GS-014", "Kleiderkammer „Anziehungspunkt“", "DRK Ortsverein Waltershausen", "Kleiderkammer",
     "Second-Hand-Kleidung, Kinderkleidung, Schuhe, Bettwäsche", "alle Menschen mit kleinem Geldbeutel",
     "Gut erhaltene Kleidung für wenig Geld; Annahme von Kleiderspenden.", "Gothaer Straße 33", WALTERSHAUSEN,
     GTH, "Renate Ziegenhals", "030 23125 614", "kleiderkammer@example.org", "Mi 14-17 Uhr, Sa 9-11 Uhr", ""),
    ("GS-015", "Sozialkaufhaus Fundgrube", "Arbeit und Leben im Residenzland gGmbH", "Gebrauchtwaren",
     "Möbel, Elektrogeräte, Hausrat, Bücher, Abholung und Lieferung", "alle",
     "Gebrauchte Möbel und Haushaltsgeräte zu kleinen Preisen, Rabatt mit Bürgergeld-Bescheid.",
     "Oststraße 47", GOTHA, GTH, "", "030 23125 615", "fundgrube@example.org", "Mo-Fr 10-18, Sa 10-13 Uhr", ""),
    ("GS-016", "Pflegestützpunkt Landkreis Gotha", "Landratsamt Gotha", "Pflege",
     "Pflegegrad, Pflegeversicherung, Entlastungsbetrag, Verhinderungspflege, Wohnraumanpassung, Demenz",
     "Pflegebedürftige und pflegende Angehörige",
     "Neutrale und kostenlose Beratung rund um die Pflege, auch Hausbesuche.", "18.-März-Straße 50", GOTHA, GTH,
     "Frau Heike Rößler", "030 23125 616", "pflegestuetzpunkt@example.org",
     "Mo-Fr 9-12 Uhr, Di + Do zusätzlich 13-17 Uhr", ""),
    ("GS-017", "EUTB Gotha – Ergänzende unabhängige Teilhabeberatung", "Lebenshilfe Residenzland e.V.",
     "Teilhabe", "Schwerbehinderung, Grad der Behinderung, Merkzeichen, Eingliederungshilfe, Rehabilitation",
     "Menschen mit Behinderungen und ihre Angehörigen",
     "Beratung von Betroffenen für Betroffene (Peer-Beratung).", "Friedrichstraße 10", GOTHA, GTH,
     "Tobias Kirchhoff", "030 23125 617", "eutb-gotha@example.org", "Di 10-16 Uhr, Do 10-14 Uhr", ""),
    ("GS-018", "Fachdienst Jugend und Familie – Allgemeiner Sozialer Dienst", "Landratsamt Gotha", "Jugendamt",
     "ASD, Hilfen zur Erziehung, Kindeswohlgefährdung, Inobhutnahme, Umgangsregelung, Sorgerecht",
     "Familien, Kinder, Jugendliche",
     "Das Jugendamt des Landkreises berät Familien und hilft, wenn das Wohl eines Kindes gefährdet ist.",
     "18.-März-Straße 50", GOTHA, "Gotha", "Sachgebietsleiterin Franziska Morgenroth", "030 23125 618",
     "jugendamt@example.org", "Di 9-12 und 13-18 Uhr, Do 9-12 Uhr", "außerhalb der Zeiten: Polizei 110"),
    ("GS-019", "Unterhaltsvorschusskasse und Beistandschaften", "Landratsamt Gotha", "Jugendamt",
     "Unterhaltsvorschuss, Beistandschaft, Vaterschaftsanerkennung, Kindesunterhalt", "Alleinerziehende",
     "Zahlt Unterhaltsvorschuss, wenn der andere Elternteil nicht zahlt, und hilft beim Durchsetzen von Unterhalt.",
     "18.-März-Straße 50", GOTHA, GTH, "Uwe Stapelfeld", "030 23125 619", "uvg@example.org", "Di 9-12 Uhr", ""),
    ("GS-020", "Wohngeldbehörde der Stadt Gotha", "Stadtverwaltung Gotha", "Wohngeld",
     "Mietzuschuss, Lastenzuschuss, Wohngeld-Plus", "Mieter und Eigentümer mit geringem Einkommen",
     "Antragsannahme und Beratung zum Wohngeld.", "Hauptmarkt 1", GOTHA, GTH, "", "030 23125 620",
     "wohngeld@example.org", "Mo 9-12, Di 9-12 und 14-18, Do 9-12 Uhr", ""),
    ("GS-021", "Fachstelle Wohnungsnotfallhilfe mit Übernachtungsheim", "Diakonie-Sozialwerk Residenzland e.V.",
     "Wohnungsnotfallhilfe", "Wohnungslosigkeit, Zwangsräumung, Übernachtung, Postadresse, Tagesaufenthalt",
     "Menschen ohne Wohnung",
     "Beratung bei drohendem Wohnungsverlust; Übernachtungsheim für wohnungslose Männer und Frauen.",
     "Am Schmalen Rain 8", GOTHA, GTH, "", "030 23125 621", "wohnungsnot-gotha@example.org",
     "Beratung Mo-Fr 9-13 Uhr; Übernachtung täglich 18-8 Uhr", ""),
    ("GS-022", "Jobcenter Landkreis Gotha", "Jobcenter Landkreis Gotha", "Grundsicherung",
     "Grundsicherung für Arbeitsuchende, SGB II, Leistungsabteilung, Arbeitsvermittlung", "Arbeitsuchende",
     "Leistungen zum Lebensunterhalt und Unterstützung bei der Arbeitsaufnahme.", "Schöne Aussicht 5", GOTHA, GTH,
     "", "030 23125 622", "", "Mo, Di, Mi, Fr 8-12 Uhr, Do 8-18 Uhr", ""),
    ("GS-023", "Sozialpsychiatrischer Dienst", "Gesundheitsamt Landkreis Gotha", "Gesundheitsamt",
     "seelische Gesundheit, psychische Krise, Angststörung, Depression, Psychose, Krisenintervention",
     "psychisch kranke Menschen und Angehörige",
     "Beratung, Hausbesuche und Vermittlung von Hilfen bei psychischen Erkrankungen.", "Mühlgrabenweg 6", GOTHA,
     GTH, "Dr. med. Carola Weißhaupt", "030 23125 623", "spdi@example.org", "Mo-Fr 8.00-12.00 Uhr", ""),
    ("GS-024", "Kontakt- und Beratungsstelle „Lichtblick“", "Psychosozialer Verbund Thüringer Wald e.V.",
     "Tagesstätte", "Tagesstruktur, Begegnung, Freizeit, Zuverdienst", "Menschen mit seelischen Erkrankungen",
     "Offener Treff mit Mittagstisch und Beratung für psychisch erkrankte Menschen.", "Hauptstraße 61",
     FRIEDRICHRODA, GTH, "Martina Voigtländer", "030 23125 624", "lichtblick@example.org", "Mo-Fr 9-15 Uhr", ""),
    ("GS-025", "KISS Gotha – Kontakt- und Informationsstelle für Selbsthilfegruppen", "Paritätischer Residenzland",
     "Selbsthilfe", "Selbsthilfegruppen, Gruppengründung, Gesprächskreise", "Betroffene, Angehörige",
     "Vermittelt in rund 60 Selbsthilfegruppen im Landkreis und unterstützt neue Gruppen.", "Gartenstraße 23",
     GOTHA, GTH, "Petra Ullrich", "030 23125 625", "kiss-gotha@example.org", "Di 10-17 Uhr, Do 10-15 Uhr", ""),
    ("GS-026", "Seniorenbegegnungsstätte Tambach-Dietharz", "Volkssolidarität Residenzland e.V.", "Begegnung",
     "Seniorennachmittag, Gymnastik, Spielenachmittag, Mittagstisch", "ältere Menschen",
     "Treffpunkt für Seniorinnen und Senioren mit Programm und Mittagstisch.", "Burgstallstraße 2", TAMBACH, GTH,
     "Gisela Brettschneider", "030 23125 626", "", "Mo-Do 10-16 Uhr", ""),
    ("GS-027", "Ambulanter Hospiz- und Palliativberatungsdienst", "Hospizverein Residenzland e.V.", "Hospiz",
     "Sterbebegleitung, Palliativberatung, Patientenverfügung, ehrenamtliche Begleiter",
     "Schwerkranke, Sterbende, Angehörige",
     "Ehrenamtliche begleiten schwerstkranke und sterbende Menschen zu Hause, im Heim und im Krankenhaus.",
     "Reinhardsbrunner Straße 9", GOTHA, GTH, "Koordinatorin Dörte Lämmerhirt", "030 23125 627",
     "hospiz-gotha@example.org", "Mo-Fr 9-14 Uhr und nach Vereinbarung", ""),
    ("GS-028", "Trauercafé Friedrichroda", "Hospizverein Residenzland e.V.", "Trauerbegleitung",
     "Trauer, Verlust, Gesprächskreis", "Trauernde",
     "Offener Treff für Menschen, die einen nahestehenden Menschen verloren haben.", "Kirchplatz 1", FRIEDRICHRODA,
     GTH, "", "030 23125 628", "", "jeden letzten Sonntag im Monat 15-17 Uhr", ""),
    ("GS-029", "Kindertagesbetreuung – Platzvergabe Stadt Waltershausen", "Stadtverwaltung Waltershausen",
     "Kindertagesbetreuung", "Krippe, Kindergarten, Hort, Tagespflege, Elternbeitrag", "Eltern",
     "Anmeldung und Vergabe der Betreuungsplätze in den Kindertageseinrichtungen der Stadt.", "Markt 1",
     WALTERSHAUSEN, GTH, "", "030 23125 629", "kita@example.org", "Di 9-12 und 14-17 Uhr", ""),
    ("GS-030", "Rechtsantragstelle und Beratungshilfe", "Amtsgericht Gotha", "Justiz",
     "Beratungshilfeschein, Rechtsantragstelle, Prozesskostenhilfe", "Bürgerinnen und Bürger mit geringem Einkommen",
     "Stellt Berechtigungsscheine für eine kostenlose anwaltliche Beratung aus.", "Justus-Perthes-Straße 2",
     GOTHA, GTH, "", "030 23125 630", "", "Mo-Fr 8.30-11.30 Uhr", "Einkommensnachweise mitbringen"),
    ("GS-031", "Betreuungsverein Gotha", "Betreuungsverein Residenzland e.V.", "Betreuungsverein",
     "rechtliche Betreuung, Vorsorgevollmacht, Betreuungsverfügung, ehrenamtliche Betreuer", "alle",
     "Informiert über Vorsorgevollmacht und Betreuungsverfügung und begleitet ehrenamtliche Betreuerinnen und "
     "Betreuer.", "Bohnstedtstraße 4", GOTHA, GTH, "Holger Sauerbrey", "030 23125 631", "btv@example.org",
     "Mi 14-18 Uhr", ""),
    ("GS-032", "Regenbogen Residenz – Beratung für queere Menschen", "Regenbogen Residenz e.V.", "Beratung",
     "LSBTIQ*, Coming-out, trans*, nicht-binär, Regenbogenfamilien", "queere Menschen, Eltern, Angehörige",
     "Peer-Beratung und offener Jugendtreff für lesbische, schwule, bi, trans* und inter* Menschen.",
     "Waltershäuser Straße 18", GOTHA, GTH, "", "030 23125 632", "regenbogen@example.org",
     "Fr 16-20 Uhr (Jugendtreff), Beratung nach Vereinbarung", ""),
    ("GS-033", "Familienzentrum Georgenthal", "Kinder- und Jugendhilfe Hörselberg gGmbH", "Familienzentrum",
     "Eltern-Kind-Gruppe, Familienbildung, Elternkurse, Familiencafé", "Familien mit Kindern",
     "Treffpunkt, Kurse und Beratung für Familien im Süden des Landkreises.", "Tambacher Straße 3", GEORGENTHAL,
     GTH, "Sandra Hellmich", "030 23125 633", "fz-georgenthal@example.org", "Mo-Do 9-16 Uhr", ""),
    ("GS-034", "Mehrgenerationenhaus Neudietendorf", "Gemeinde Nesse-Apfelstädt", "Mehrgenerationenhaus",
     "Begegnung, Ehrenamt, Repair-Café, Computerkurse, Nachbarschaftshilfe", "alle Generationen",
     "Offener Treff mit Café, Kursen und Angeboten für Jung und Alt.", "Zinzendorfstraße 1", NEUDIETENDORF, GTH,
     "", "030 23125 634", "mgh@example.org", "Mo-Fr 9-17 Uhr", ""),
    ("GS-035", "Frühe Hilfen und Familienhebammen", "Landratsamt Gotha", "Frühe Hilfen",
     "Familienhebamme, Babylotsen, Säugling, Schreibaby, Willkommensbesuch", "werdende Eltern, Familien mit Babys",
     "Unterstützt Familien in der Schwangerschaft und im ersten Lebensjahr des Kindes.", "18.-März-Straße 50",
     GOTHA, GTH, "Netzwerkkoordinatorin Julia Frommann", "030 23125 635", "fruehehilfen@example.org",
     "Mo-Do 8-15 Uhr", ""),
    ("GS-036", "Mobile Jugendarbeit / Streetwork Gotha", "Jugendwerk Residenzland e.V.", "Jugendarbeit",
     "aufsuchende Jugendarbeit, Jugendliche, junge Erwachsene, Freizeit", "junge Menschen von 14 bis 27",
     "Streetworker sind in Gotha unterwegs und helfen bei Ärger mit Schule, Ämtern oder Zuhause.",
     "Huttenstraße 2", GOTHA, GTH, "", "0151 / 23125 636", "streetwork@example.org", "Di-Fr 14-20 Uhr", ""),
    ("GS-037", "Fachberatungsstelle gegen sexualisierte Gewalt", "Kinderschutz Residenzland e.V.", "Kinderschutz",
     "sexueller Missbrauch, Kinderschutz, Übergriffe, Prävention", "Kinder, Jugendliche, Bezugspersonen",
     "Beratung für betroffene Kinder und Jugendliche und für Erwachsene, die einen Verdacht haben.",
     "Brühl 9", GOTHA, GTH, "", "030 23125 637", "fachberatung@example.org", "Mo-Fr 9-16 Uhr",
     "auch anonym"),
    ("GS-038", "Bildung und Teilhabe", "Landratsamt Gotha", "Leistungen für Familien",
     "BuT, Schulbedarf, Mittagessen, Lernförderung, Schülerbeförderung, Vereinsbeitrag", "Familien mit Sozialleistungen",
     "Zuschüsse für Ausflüge, Schulessen, Nachhilfe und Sportverein für Kinder aus Familien mit wenig Geld.",
     "18.-März-Straße 50", GOTHA, GTH, "", "030 23125 638", "but@example.org", "Di 9-12 Uhr", ""),
    ("GS-039", "Verbraucherzentrale – Beratungsstützpunkt Gotha", "Verbraucherzentrale Thüringen (fiktiv)",
     "Verbraucherberatung", "Energieschulden, Stromsperre, Verträge, Inkasso, Reklamation", "Verbraucher",
     "Rechtsberatung zu Verträgen und Energiekosten, Hilfe bei drohender Stromsperre.", "Hauptmarkt 40", GOTHA,
     GTH, "", "030 23125 639", "vz-gotha@example.org", "jeden 2. und 4. Mittwoch 10-16 Uhr", "Beratung kostenpflichtig"),
    ("GS-040", "Schuldnerberatung Saale-Holzland", "Sozialwerk Holzland e.V.", "Schuldnerberatung",
     "Schulden, Insolvenz, P-Konto", "Privatpersonen", "Beratung für Menschen mit Schulden im Saale-Holzland-Kreis.",
     "Markt 13", EISENBERG, SHK, "Steffen Liebscher", "030 23125 640", "sb-shk@example.org",
     "Mo u. Mi 9-12 Uhr, Di 14-18 Uhr", ""),
    ("GS-041", "Erziehungs- und Familienberatungsstelle Stadtroda", "Sozialwerk Holzland e.V.", "Erziehungsberatung",
     "Erziehung, Familie, Trennung, Jugendliche", "Eltern, Kinder, Jugendliche",
     "Beratung für Familien im Saale-Holzland-Kreis.", "Straße des Friedens 20", STADTRODA, "SHK",
     "Dr. Ines Kaltofen", "030 23125 641", "efb-stadtroda@example.org", "Mo-Fr 8-16 Uhr", ""),
    ("GS-042", "Suchtberatungsstelle Hermsdorf", "Suchthilfe Holzland e.V.", "Suchtberatung",
     "Alkohol, Drogen, Spielsucht, Angehörige", "Betroffene, Angehörige",
     "Beratung und Vermittlung in Therapie.", "Alte Regensburger Straße 4", HERMSDORF, SHK, "Mario Tittel",
     "030 23125 642", "sucht-hermsdorf@example.org", "Mo-Do 9-16 Uhr", ""),
    ("GS-043", "Kahlaer Tafel", "Tafel Saale-Holzland e.V.", "Lebensmittelausgabe", "Lebensmittel, Tafel",
     "Bedürftige", "Lebensmittelausgabe für Menschen mit wenig Geld.", "Rudolstädter Straße 11", KAHLA, SHK, "",
     "030 23125 643", "", "Mi 13-15 Uhr", ""),
    ("GS-044", "Jugendamt Saale-Holzland-Kreis", "Landratsamt Saale-Holzland-Kreis", "Jugendamt",
     "Jugendamt, ASD, Kinderschutz, Hilfen zur Erziehung", "Familien", "Jugendamt des Saale-Holzland-Kreises.",
     "Im Schloss", EISENBERG, SHK, "", "030 23125 644", "jugendamt-shk@example.org", "Di 9-12 und 13-18 Uhr", ""),
    ("GS-045", "Frauen- und Kinderschutzhaus Saale-Holzland", "Frauenschutz Holzland e.V.", "Frauenhaus",
     "Frauenhaus, häusliche Gewalt, Schutz", "Frauen und Kinder", "Schutz und Beratung bei häuslicher Gewalt.", "",
     HERMSDORF, SHK, "", "030 23125 645", "", "rund um die Uhr", "anonyme Adresse"),
    ("GS-046", "Pflegeberatung Saale-Holzland", "Landratsamt Saale-Holzland-Kreis", "Pflegeberatung",
     "Pflege, Pflegegrad, Angehörige", "Pflegebedürftige, Angehörige", "Pflegeberatung des Landkreises.",
     "Im Schloss", EISENBERG, SHK, "Carmen Heinemann", "030 23125 646", "pflege-shk@example.org", "Mo-Fr 9-12 Uhr",
     ""),
    ("GS-047", "Migrationsberatung Hermsdorf", "Sozialwerk Holzland e.V.", "Migrationsberatung",
     "Migration, Flucht, Aufenthalt, Sprachkurs", "Zugewanderte", "Beratung für Zugewanderte und Geflüchtete.",
     "Eisenberger Straße 2", HERMSDORF, SHK, "Farid Amini (Dari, Farsi)", "030 23125 647", "mb-hermsdorf@example.org",
     "Mi 9-15 Uhr", ""),
    ("GS-048", "Jobcenter Saale-Holzland-Kreis", "Jobcenter Saale-Holzland-Kreis", "Jobcenter",
     "Jobcenter, Bürgergeld, Arbeitsvermittlung", "Arbeitsuchende", "Bürgergeld und Vermittlung in Arbeit.",
     "Stadtrodaer Straße 1", EISENBERG, SHK, "", "030 23125 648", "", "Mo-Fr 8-12 Uhr, Do bis 18 Uhr", ""),
    ("GS-049", "Mehrgenerationenhaus Bürgel", "Stadt Bürgel", "Begegnung", "Begegnung, Generationen, Café",
     "alle Generationen", "Offener Treffpunkt für Jung und Alt.", "Am Markt 2", BUERGEL, SHK, "", "030 23125 649",
     "", "Mo-Fr 10-17 Uhr", ""),
    ("GS-050", "Wohnungslosenhilfe Saale-Holzland", "Diakonie Holzland (fiktiv)", "Wohnungslosenhilfe",
     "Obdachlosigkeit, Notunterkunft, Wohnungsverlust", "Menschen ohne Wohnung",
     "Beratung und Notunterkunft für wohnungslose Menschen.", "Jenaer Straße 30", STADTRODA, SHK, "",
     "030 23125 650", "", "Mo-Fr 8-14 Uhr", ""),
)


def listing_rows() -> list[dict[str, str]]:
    """The listing as rows of the county CSV format."""
    rows = []
    for nr, name, provider, category, keywords, audience, text, street, (plz, town), county, person, phone, \
            email, hours, remark in _ROWS:
        rows.append(dict(zip(COLUMNS, (
            nr, name, provider, category, keywords, audience, text, street, plz, town, county, person, phone,
            email, WEB, hours, remark, WEB, "2026-11"), strict=True)))
    return rows


def write_listing(path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(listing_rows())
    return path


@lru_cache(maxsize=1)
def generalisation_db() -> Path:
    """knowledge/ vocabulary, places, counties and hotlines plus this listing, built the product's way."""
    directory = Path(tempfile.mkdtemp(prefix="generalisation-tests-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return build_search_db(directory, write=write_listing, stem="residenzland-fiktiv", with_offers=True)


if __name__ == "__main__":  # python tests/generalisation_fixtures.py OUT.csv
    print(write_listing(Path(sys.argv[1])))
