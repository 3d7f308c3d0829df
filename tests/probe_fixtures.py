"""A third fictional county listing, written blind to check that the search generalises.

Rounds one and two (tests/search_fixtures.py, tests/generalisation_fixtures.py) covered
Thüringen counties. This listing covers two HESSEN counties, the Werra-Meißner-Kreis and
the Landkreis Kassel, and the Thüringer Wartburgkreis across the Werra, and other kinds of
help: Mieterverein, Bahnhofsmission, Täterarbeit, Opferhilfe, Gehörlosenberatung, Aidshilfe,
Arbeitslosenzentrum, Rentenberatung, Integrationskurse, Krisendienst. It is as messy as a
real county page: the county written "Werra-Meißner", "Kreis Kassel" or "WAK", "Hess.
Lichtenau", offers of the Landkreis Kassel that sit in the (independent) city of Kassel,
rows with only a category, several services and several persons in one row, hours in
every style. The organisations, people, streets, phone numbers (030 23125 7xx/8xx, a
range reserved for fiction) and e-mail addresses (example.org) are invented; the towns
and postcodes are real. It must never go into knowledge/ or offers.db.

``python tests/probe_fixtures.py OUT.csv`` writes the listing for
``scripts/evaluate.py --listing OUT.csv --queries tests/data/probe-queries.yaml``.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from search_fixtures import COLUMNS, build_search_db

WMK, LKK, WAK = "Werra-Meißner-Kreis", "Landkreis Kassel", "Wartburgkreis"
ESCHWEGE, WITZENHAUSEN, LICHTENAU, SONTRA, SOODEN, WANFRIED, HERLESHAUSEN = (
    ("37269", "Eschwege"), ("37213", "Witzenhausen"), ("37235", "Hess. Lichtenau"), ("36205", "Sontra"),
    ("37242", "Bad Sooden-Allendorf"), ("37281", "Wanfried"), ("37293", "Herleshausen"))
HOFGEISMAR, BAUNATAL, VELLMAR, WOLFHAGEN, KAUFUNGEN, KASSEL, KASSEL_WHH = (
    ("34369", "Hofgeismar"), ("34225", "Baunatal"), ("34246", "Vellmar"), ("34466", "Wolfhagen"),
    ("34260", "Kaufungen"), ("34117", "Kassel"), ("34131", "Kassel-Wilhelmshöhe"))
SALZUNGEN, TREFFURT, RUHLA, VACHA, DERMBACH, GERSTUNGEN = (
    ("36433", "Bad Salzungen"), ("99830", "Treffurt"), ("99842", "Ruhla"), ("36404", "Vacha"),
    ("36466", "Dermbach"), ("99834", "Gerstungen"))
WEB = "https://example.org/werratal-fiktiv"

# (Nr, Angebot, Träger, Kategorie, Schlagworte, Zielgruppe, Beschreibung, Straße, (PLZ, Ort), Landkreis,
#  Ansprechperson, Telefon, E-Mail, Sprechzeiten, Hinweis)
_ROWS: tuple[tuple, ...] = (
    # --- Werra-Meißner-Kreis -------------------------------------------------------------------------
    ("WR-001", "Schuldner- und Insolvenzberatung", "Diakonisches Werk Werratal (fiktiv)", "Soziale Beratung",
     "Schuldnerberatung, Verbraucherinsolvenz, P-Konto-Bescheinigung, Haushaltsplanung, Mietschulden",
     "überschuldete Privatpersonen und Familien",
     "Anerkannte Stelle nach der Insolvenzordnung. Außensprechstunden in Witzenhausen und Hessisch Lichtenau "
     "nach Absprache.", "Vor dem Berge 12", ESCHWEGE, WMK, "Herr Dirk Wenderoth, Frau Bärbel Hose-Kraft",
     "030 23125-701 | 030 23125-702", "schuldnerberatung@example.org",
     "Mo. - Do. 08.30 - 12.00 Uhr, Do. 14.00 - 16.00 Uhr", "Termine nur nach tel. Vereinbarung"),
    ("WR-002", "Mieterverein Werra-Meißner e.V.", "Mieterverein Werra-Meißner e.V.", "Verein",
     "Mietrecht, Nebenkostenabrechnung, Mieterhöhung, Kündigung, Mängel, Kaution", "Mieterinnen und Mieter",
     "Rechtsberatung für Mitglieder rund ums Mietverhältnis; Beitritt auch am Beratungstag möglich.",
     "Friedrich-Wilhelm-Str. 30", ESCHWEGE, "Werra-Meißner", "Rechtsanwältin Sigrun Appel", "030 23125 703",
     "info-mieterverein@example.org", "jeden Mittwoch 16:00 bis 18:00 Uhr", "Beratung nur für Mitglieder"),
    ("WR-003", "Kleiderstube", "DRK-Ortsverein Hessisch Lichtenau (fiktiv)", "Kleiderkammer", "",
     "jeder", "Gebrauchte Kleidung, Schuhe und Spielsachen gegen eine kleine Spende.", "Landgrafenstraße 5",
     LICHTENAU, WMK, "", "030 23125 704", "", "Di 15-18 Uhr u. jeden 1. Samstag im Monat 10-12 Uhr", ""),
    ("WR-004", "Sozialkaufhaus „Werkstatt-Laden“", "Arbeit und Bildung Werra-Meißner gGmbH (fiktiv)",
     "Beschäftigung / Gebrauchtwaren",
     "Gebrauchtmöbel, Haushaltsauflösung, Elektrogeräte, Fahrräder, Arbeitsgelegenheiten",
     "alle, Ermäßigung mit Bescheid",
     "Verkauf gespendeter Möbel und Haushaltswaren; Abholung von Spenden und Lieferung gegen Gebühr.",
     "Niederhoner Straße 44", ESCHWEGE, WMK, "", "030 23125 705", "werkstattladen@example.org",
     "Mo–Fr 9:30–17:30, Sa 10:00–13:00", ""),
    ("WR-005", "Eschweger Tafel", "Tafel Werra-Meißner e.V. (fiktiv)", "Lebensmittelhilfe",
     "Tafel, Lebensmittelausgabe", "Menschen mit Berechtigungsausweis",
     "Ausgabe von Lebensmitteln an Menschen mit geringem Einkommen. Kundenkarte bei Vorlage von Bescheid "
     "(Bürgergeld, Grundsicherung, Wohngeld, BAföG, geringe Rente).", "Am Stad 3", ESCHWEGE, WMK,
     "Ehrenamtliche Leitung: Horst Gleim", "030 23125 706", "", "Ausgabe dienstags und freitags ab 13.30 Uhr",
     "Anmeldung donnerstags 10-11 Uhr"),
    ("WR-006", "Ausgabestelle Sontra", "Tafel Werra-Meißner e.V. (fiktiv)", "Tafel", "", "",
     "Ausgabestelle der Eschweger Tafel im Gemeindehaus.", "Kirchstraße 2", SONTRA, WMK, "", "030 23125 707", "",
     "Mittwoch 14 – 15.30 Uhr", ""),
    ("WR-007", "Fachstelle für Suchtfragen Werra-Meißner", "Diakonisches Werk Werratal (fiktiv)", "Suchthilfe",
     "Alkohol, Cannabis, Medikamente, Glücksspiel, Mediensucht, MPU-Vorbereitung, Angehörige",
     "Betroffene, Angehörige, Betriebe",
     "Beratung, ambulante Rehabilitation, Nachsorge und Vorbereitung auf die MPU; Glücksspiel- und "
     "Medienberatung. Außenstelle Witzenhausen, Walburger Straße 6.",
     "Vor dem Berge 12", ESCHWEGE, WMK, "Dipl.-Sozialpäd. Knut Iffland; Sabine Rehbein (Glücksspiel)",
     "030 23125 708", "sucht-esw@example.org", "Mo–Fr 9–12 Uhr, Di + Do 14–18 Uhr",
     "offene Sprechstunde Di 16-18 Uhr"),
    ("WR-008", "Beratungsstelle für Eltern, Kinder und Jugendliche", "Kreisausschuss des Werra-Meißner-Kreises",
     "Fachbereich 4 – Jugend, Familie, Senioren und Soziales",
     "Erziehungsberatung, Trennung und Scheidung, Umgang, Schulprobleme, Pubertät, ADHS",
     "Familien, Kinder und Jugendliche bis 21 Jahre",
     "Kostenlose Beratung bei Erziehungsfragen und Familienkonflikten, auch in Witzenhausen (Am Markt 1).",
     "Schlossplatz 1", ESCHWEGE, WMK, "Dipl.-Psych. Renate Fiedler-Stück", "030 23125 709",
     "erziehungsberatung@example.org", "Mo.-Do. 8-16 Uhr, Fr. 8-12.30 Uhr", "Anmeldung telefonisch"),
    ("WR-009", "Frühe Hilfen – Netzwerk Kinderschutz", "Kreisausschuss des Werra-Meißner-Kreises",
     "Frühe Hilfen", "Familienhebamme, Familien-Kinderkrankenpflegerin, Babybesuch, Elternschule, Schreibaby",
     "Schwangere und Familien mit Kindern bis 3 Jahre",
     "Koordiniert die Frühen Hilfen im Kreis und vermittelt Familienhebammen.", "Schlossplatz 1", ESCHWEGE, WMK,
     "Netzwerkkoordination: Maren Siebert", "030 23125 710", "fruehehilfen-wmk@example.org",
     "nach Vereinbarung", ""),
    ("WR-010", "Schwangeren- und Schwangerschaftskonfliktberatung", "Beratungszentrum Werratal e.V. (fiktiv)",
     "Beratungsstelle",
     "Schwangerschaftskonflikt, Beratungsschein, Stiftung Mutter und Kind, Elterngeld, Verhütung, "
     "vertrauliche Geburt", "Schwangere, Paare, Familien",
     "Anerkannte Beratungsstelle; Beratung auch anonym.", "Nordbahnhofstraße 8", WITZENHAUSEN, WMK,
     "Anja Hupfeld", "030 23125 711", "schwanger-wiz@example.org", "Mo, Mi 9-13 Uhr | Di 13-17 Uhr", ""),
    ("WR-011", "Jugendmigrationsdienst (JMD)", "Internationaler Bund Nordhessen (fiktiv)", "Migration",
     "", "junge Zugewanderte von 12 bis 27 Jahren",
     "Individuelle Begleitung bei Schule, Ausbildung, Studium und Anerkennung von Zeugnissen.",
     "Reichensächser Straße 21", ESCHWEGE, WMK, "Yusuf Demirtaş", "030 23125 712", "jmd-esw@example.org",
     "Mo, Di, Do 9-16 Uhr", ""),
    ("WR-012", "Flüchtlings- und Asylverfahrensberatung", "Caritasverband Werra-Meißner e.V. (fiktiv)",
     "Flüchtlingshilfe",
     "Asylverfahren, Anhörung BAMF, Duldung, Abschiebung, Familienzusammenführung, Widerspruch, Klage",
     "Geflüchtete, Asylsuchende, Ehrenamtliche",
     "Unabhängige Verfahrensberatung für Asylsuchende; Übersetzung nach Absprache (Arabisch, Dari, Tigrinya).",
     "Bahnhofstraße 31", ESCHWEGE, WMK, "Frau Mahboba Rahimi; Herr Tesfay Gebremedhin", "030 23125 713",
     "fluechtlingsberatung@example.org", "Dienstag 9.00-12.00 und Donnerstag 13.00-16.00", ""),
    ("WR-013", "Frauenhaus Werra-Meißner", "Frauen helfen Frauen Werra-Meißner e.V. (fiktiv)", "Frauenhaus",
     "Schutz, häusliche Gewalt, Zuflucht", "Frauen mit Kindern",
     "Schutzunterkunft für Frauen und Kinder; Aufnahme auch nachts.", "", ESCHWEGE, WMK, "",
     "030 23125 714", "frauenhaus-wmk@example.org", "Tag und Nacht erreichbar", "Adresse anonym"),
    ("WR-014", "Pflegestützpunkt Werra-Meißner-Kreis", "Kreisausschuss und Pflegekassen", "Pflegestützpunkt",
     "Pflegegrad, Pflegeantrag, Pflegehilfsmittel, Tagespflege, Kurzzeitpflege, Demenz, 24-Stunden-Betreuung",
     "Pflegebedürftige, Angehörige",
     "Unabhängige Pflegeberatung, auf Wunsch beim Hausbesuch.", "Honer Straße 49", ESCHWEGE, WMK,
     "Frau Ingrid Rimbach, Herr Patrick Sennhenn", "030 23125 715", "psp-wmk@example.org",
     "Mo - Fr 9 - 12 Uhr, Mi 14 - 17 Uhr", "Termine auch außerhalb der Zeiten"),
    ("WR-015", "Sozialpsychiatrischer Dienst", "Kreisausschuss – Fachdienst Gesundheit", "Gesundheitsamt",
     "SpDi, psychische Erkrankung, seelische Krise, Unterbringung, Angehörigenberatung",
     "Menschen mit psychischen Erkrankungen, Angehörige, Nachbarn",
     "Beratung und Hausbesuche für psychisch kranke Menschen und ihr Umfeld.", "Schlossplatz 1", ESCHWEGE, WMK,
     "Dr. Hans-Georg Baumbach (Facharzt für Psychiatrie)", "030 23125 716", "spdi-wmk@example.org",
     "Mo-Fr 8-12 Uhr", ""),
    ("WR-016", "EUTB Werra-Meißner", "Lebenshilfe Werra-Meißner e.V. (fiktiv)",
     "Ergänzende unabhängige Teilhabeberatung",
     "Teilhabe, Behinderung, Schwerbehindertenausweis, Persönliches Budget, Eingliederungshilfe, Assistenz",
     "Menschen mit Behinderung, chronisch Kranke, Angehörige", "Beratung auf Augenhöhe, auch in leichter Sprache.",
     "Steinweg 7", WITZENHAUSEN, WMK, "Lena Gerlach", "030 23125 717", "eutb-wmk@example.org",
     "Di + Do 9-15 Uhr", ""),
    ("WR-017", "Jobcenter Werra-Meißner", "Kommunales Jobcenter Werra-Meißner (fiktiv)", "Jobcenter",
     "Bürgergeld, SGB II, Eingliederung, Erstausstattung", "erwerbsfähige Leistungsberechtigte",
     "Standorte in Eschwege und Witzenhausen.", "Schlossplatz 3", ESCHWEGE, "WMK", "",
     "030 23125 718", "jobcenter-wmk@example.org",
     "Mo., Di., Mi., Fr.: 08:00–12:00 Uhr; Do.: 08:00–12:00 Uhr und 14:00–17:30 Uhr", ""),
    ("WR-018", "Mehrgenerationenhaus Witzenhausen", "Bürgerhaus Witzenhausen e.V. (fiktiv)",
     "Mehrgenerationenhaus",
     "Offener Treff, Erzählcafé, Computerhilfe für Senioren, Hausaufgabenhilfe, Leihoma", "Jung und Alt",
     "", "Am Sande 4", WITZENHAUSEN, WMK, "Koordination: Meike Dornieden", "030 23125 719", "mgh-wiz@example.org",
     "Mo–Fr 10–18 Uhr", ""),
    ("WR-019", "Ambulanter Hospizdienst und Trauerbegleitung", "Hospizverein Werratal e.V. (fiktiv)",
     "Hospizdienst",
     "Sterbebegleitung, Trauergruppe, Trauerspaziergang, Trauer bei Kindern, Letzte Hilfe Kurs",
     "Schwerkranke, Sterbende, Angehörige, Trauernde",
     "Ehrenamtliche begleiten Sterbende und ihre Familien; offene Trauergruppe jeden 2. Dienstag.",
     "Kurstraße 2", SOODEN, WMK, "Koordinatorin Elke Schäfer-Riedel", "030 23125 720",
     "hospiz-werratal@example.org", "Büro: Mo, Mi, Fr 9-12", ""),
    ("WR-020", "Wohngeld", "Kreisausschuss des Werra-Meißner-Kreises", "Fachdienst Wohngeld",
     "Wohngeld, Mietzuschuss, Lastenzuschuss", "Haushalte mit geringem Einkommen",
     "Zuständig für alle Städte und Gemeinden im Kreis außer Eschwege.", "Schlossplatz 1", ESCHWEGE, WMK,
     "Buchstaben A-K: Frau Sauer, L-Z: Herr Kellner", "030 23125 721 | 030 23125 722",
     "wohngeld@example.org", "Mo., Di., Do. 8.30 - 12.00 Uhr", ""),
    ("WR-021", "Selbsthilfekontaktstelle Werra-Meißner", "Paritätischer Nordhessen (fiktiv)",
     "Selbsthilfe", "Selbsthilfegruppen, Gründung, Räume", "Betroffene und Angehörige",
     "Informiert über rund 80 Selbsthilfegruppen im Kreis und hilft bei der Gründung neuer Gruppen.",
     "Reichensächser Straße 21", ESCHWEGE, WMK, "Katja Möller-Ruppert", "030 23125 723",
     "selbsthilfe-wmk@example.org", "Di 10–16 Uhr", ""),
    ("WR-022", "Caritas-Sozialberatung Eschwege", "Caritasverband Werra-Meißner e.V. (fiktiv)",
     "Allgemeine Sozialberatung",
     "Anträge, Behördenbriefe, Widerspruch, Energiekosten, Kurberatung, Mutter-Kind-Kur",
     "alle Menschen in Notlagen",
     "Hilft beim Ausfüllen von Anträgen und vermittelt Kuren für Mütter und Väter.", "Bahnhofstraße 31",
     ESCHWEGE, WMK, "Claudia Fischbach", "030 23125 724", "caritas-esw@example.org",
     "Mo - Do 9 - 12 Uhr", ""),
    ("WR-023", "Außenstelle Wanfried", "Diakonisches Werk Werratal (fiktiv)", "Beratung",
     "Sozialberatung, Schuldnerberatung", "",
     "Sprechstunde der Diakonie für Wanfried, Treffurt-Großburschla und Umgebung.",
     "Marktstraße 10", WANFRIED, WMK, "", "030 23125 725", "", "donnerstags 9-12 Uhr (14-tägig)", ""),
    # --- Landkreis Kassel (and offers of the county that sit in the city of Kassel) ------------------
    ("WR-024", "Schuldnerberatung des Landkreises Kassel", "Landkreis Kassel – Fachbereich Soziales",
     "Schuldnerberatung", "Schulden, Zwangsvollstreckung, Pfändung, Schufa, Insolvenz",
     "Einwohner des Landkreises (nicht Stadt Kassel)",
     "Kostenlose Schuldnerberatung mit Sprechstunden in Hofgeismar, Wolfhagen und Baunatal.",
     "Manteuffel-Anlage 5", HOFGEISMAR, LKK, "Holger Pfannkuch | Svenja Lotz",
     "030 23125 726 | 030 23125 727", "schuldnerberatung-lkk@example.org", "Mo-Fr 8-12 Uhr, Do 13-16 Uhr", ""),
    ("WR-025", "Fachstelle Wohnungssicherung", "Landkreis Kassel – Fachbereich Soziales", "Wohnungsnotfallhilfe",
     "Räumungsklage, Mietrückstand, drohender Wohnungsverlust, Notunterkunft, Obdachlosigkeit",
     "Menschen, denen der Verlust der Wohnung droht",
     "Verhindert Wohnungsverluste durch Beratung und Übernahme von Mietschulden im Einzelfall; vermittelt "
     "Notunterkünfte.", "Kirchplatz 3", BAUNATAL, "Kreis Kassel", "Kerstin Wiegand", "030 23125 728",
     "wohnungssicherung@example.org", "Mo.–Do. 8.30–12 Uhr und nach Vereinbarung", ""),
    ("WR-026", "Bahnhofsmission Kassel-Wilhelmshöhe", "Ökumenische Bahnhofsmission Nordhessen (fiktiv)",
     "Bahnhofsmission", "Reisehilfe, Umsteigehilfe, Kaffee, Gespräch, Notversorgung", "Reisende und Menschen in Not",
     "Anlaufstelle am Bahnhof: heißer Tee, ein offenes Ohr, Hilfe beim Umsteigen und Vermittlung.",
     "Willy-Brandt-Platz 1 (Gleis 1)", KASSEL_WHH, "Stadt Kassel", "", "030 23125 729", "",
     "täglich 8 - 20 Uhr", ""),
    ("WR-027", "Erziehungsberatung Hofgeismar / Wolfhagen", "Landkreis Kassel – Fachbereich Jugend",
     "Erziehungs- und Familienberatung",
     "Erziehung, Familie, Trennung, Kinder, Jugendliche, Elternkurs",
     "Eltern, Kinder, Jugendliche, junge Erwachsene",
     "Beratungsstelle in Hofgeismar mit Außenstelle Wolfhagen (Burgstraße 35).", "Gesundbrunnen 8", HOFGEISMAR,
     LKK, "Dipl.-Päd. Thorsten Bätz, Dipl.-Psych. Friederike Hahn-Oberländer", "030 23125 730",
     "eb-hofgeismar@example.org", "Mo-Do 8.30-16.30, Fr 8.30-13.00", ""),
    ("WR-028", "Kinderschutzbund Ortsverband Baunatal", "Deutscher Kinderschutzbund OV Baunatal e.V. (fiktiv)",
     "Kinderschutz",
     "Kinderschutz, Elternkurs Starke Eltern – starke Kinder, begleiteter Umgang, Kleiderbörse, Kindersorgentelefon",
     "Kinder, Jugendliche, Eltern",
     "Beratung, begleiteter Umgang und Elternkurse; zweimal im Jahr Kinderkleiderbörse.", "Marktplatz 14",
     BAUNATAL, LKK, "Vorsitzende Monika Hartung", "030 23125 731", "ksb-baunatal@example.org",
     "Mo, Mi 9-12 Uhr", ""),
    ("WR-029", "Jugendamt – Allgemeiner Sozialer Dienst (ASD)", "Landkreis Kassel – Fachbereich Jugend",
     "Jugendamt", "Hilfe zur Erziehung, Kindeswohl, Inobhutnahme, Sorgerecht, Umgang, Beistandschaft",
     "Familien im Landkreis Kassel",
     "Der ASD ist nach Regionen aufgeteilt; Außenstellen in Hofgeismar und Wolfhagen.",
     "Wilhelmshöher Allee 19-21", KASSEL, LKK, "Fachbereichsleitung: Frau Dr. Iris Wendland-Otto",
     "030 23125 732 | Notfälle außerhalb der Dienstzeit über die Polizei 110", "jugendamt-lkk@example.org",
     "Mo–Fr 8–12 Uhr, Do 14–16 Uhr", ""),
    ("WR-030", "Männerberatung und Täterarbeit häusliche Gewalt", "Männerbüro Nordhessen e.V. (fiktiv)",
     "Gewaltberatung",
     "Täterarbeit, Anti-Gewalt-Training, Männerberatung, Wut, Trennung, Vaterschaft",
     "Männer, die Gewalt ausüben oder erleben",
     "Beratung für Männer in Krisen und soziale Trainingskurse für gewalttätige Partner (auch nach gerichtlicher "
     "Auflage).", "Friedrich-Ebert-Straße 104", KASSEL, "Kassel", "Dipl.-Soz.-Päd. Bernd Kolbe", "030 23125 733",
     "maennerbuero@example.org", "Di 10-13 Uhr, Do 16-19 Uhr", ""),
    ("WR-031", "WEISSER RING – Außenstelle Landkreis Kassel", "WEISSER RING e.V.", "Opferhilfe",
     "Kriminalitätsopfer, Einbruch, Überfall, Betrug, Stalking, Opferentschädigung",
     "Opfer von Straftaten und ihre Angehörigen",
     "Ehrenamtliche Helferinnen und Helfer begleiten zu Polizei und Gericht und helfen bei Anträgen.", "", VELLMAR,
     LKK, "Außenstellenleiter Günter Rüdiger", "0151 23125 734", "weisser-ring-lkk@example.org",
     "telefonisch erreichbar", "Termine nach Absprache, auch Hausbesuche"),
    ("WR-032", "Pflegestützpunkt Wolfhagen", "Landkreis Kassel und Pflegekassen", "Pflegeberatung",
     "Pflege, Pflegegrad, Verhinderungspflege, Entlastungsbetrag, Pflegeheim", "",
     "Kostenlose Beratung zu allen Fragen der Pflege.", "Burgstraße 35", WOLFHAGEN, LKK, "Nadine Ochs",
     "030 23125 735", "psp-wolfhagen@example.org", "Mo, Di, Do 9-12 u. 13.30-15.30 Uhr", ""),
    ("WR-033", "Seniorenberatung / Altenhilfe", "Stadt Vellmar", "Seniorenberatung",
     "Hausnotruf, Essen auf Rädern, Seniorenwohnen, Nachbarschaftshilfe, Vorsorgevollmacht",
     "ältere Menschen und ihre Angehörigen",
     "Beratung älterer Menschen in allen Lebensfragen; Vermittlung von Hilfen im Alltag.", "Rathausplatz 1",
     VELLMAR, LKK, "Frau Edeltraut Bachmann", "030 23125 736", "senioren-vellmar@example.org",
     "Mo-Mi 9-12 Uhr", ""),
    ("WR-034", "Betreuungsverein Region Kassel", "Betreuungsverein Region Kassel e.V. (fiktiv)",
     "Rechtliche Betreuung",
     "Betreuung, Vorsorgevollmacht, Betreuungsverfügung, Patientenverfügung, ehrenamtliche Betreuer",
     "Bürgerinnen und Bürger, ehrenamtliche Betreuerinnen und Betreuer",
     "Beratung zu Vollmachten und Verfügungen; Schulung und Begleitung Ehrenamtlicher.", "Baunsbergstraße 2",
     BAUNATAL, LKK, "Jörg Engelhardt", "030 23125 737", "btv-kassel@example.org",
     "Sprechstunde jeden 1. Montag im Monat 15-18 Uhr", ""),
    ("WR-035", "Arbeitslosenzentrum Baunatal (ALZ)", "Evangelischer Kirchenkreis Kaufungen (fiktiv)",
     "Erwerbslosenberatung",
     "Bürgergeld-Bescheid prüfen, Widerspruch, Bewerbungshilfe, Frühstück, Computer", "Erwerbslose",
     "Unabhängige Beratung für Erwerbslose, Bewerbungswerkstatt und Erwerbslosenfrühstück.",
     "Kasseler Straße 60", BAUNATAL, LKK, "", "030 23125 738", "alz-baunatal@example.org",
     "Mo, Di, Do 9-13 Uhr", "Frühstück montags 9 Uhr"),
    ("WR-036", "Sozialrechtsberatung Kreisverband Hofgeismar-Wolfhagen", "Sozialverband VdK Hessen-Thüringen",
     "Sozialverband",
     "Rente, Erwerbsminderungsrente, Schwerbehinderung, Pflegegrad Widerspruch, Krankenkasse, Klage Sozialgericht",
     "Mitglieder",
     "Beratung und Vertretung in Widerspruchs- und Klageverfahren (Rente, Pflege, Schwerbehinderung).",
     "Bahnhofstraße 4", HOFGEISMAR, LKK, "Rechtsreferentin Daniela Krug", "030 23125 739",
     "vdk-hofgeismar@example.org", "Dienstag 9-12 Uhr, Termine nach Vereinbarung", "Mitgliedschaft erforderlich"),
    ("WR-037", "AIDS-Hilfe Nordhessen", "AIDS-Hilfe Nordhessen e.V. (fiktiv)", "Gesundheit",
     "HIV, Aids, Test, STI, PrEP, Safer Sex, Hepatitis, Drogengebrauch", "alle, anonym",
     "Anonyme und kostenlose Beratung, HIV- und Syphilis-Schnelltest nach Anmeldung.",
     "Motzstraße 4", KASSEL, "Stadt Kassel", "", "030 23125 740", "beratung-aidshilfe@example.org",
     "Mo + Mi 14-18 Uhr, Testabend Do 17-20 Uhr", ""),
    ("WR-038", "Queeres Beratungszentrum Nordhessen", "Regenbogen Nordhessen e.V. (fiktiv)", "Beratung",
     "lesbisch, schwul, bisexuell, trans*, inter*, Coming-out, Jugendgruppe", "LSBTIQ* und Angehörige",
     "Beratung, Jugendgruppe und Elterngruppe für Eltern queerer Kinder.", "Mauerstraße 11", KASSEL, "Stadt Kassel",
     "", "030 23125 741", "queer-nordhessen@example.org", "Mi 17-20 Uhr, Fr 16-19 Uhr", ""),
    ("WR-039", "Beratungsstelle für hörgeschädigte Menschen", "Gehörlosenverband Nordhessen e.V. (fiktiv)",
     "Beratung für Gehörlose",
     "gehörlos, schwerhörig, Gebärdensprache, DGS, Gebärdensprachdolmetscher, Cochlea-Implantat",
     "Gehörlose, Schwerhörige, Ertaubte, Angehörige",
     "Sozialberatung in Deutscher Gebärdensprache, Hilfe bei Anträgen und Dolmetschervermittlung.",
     "Wilhelmsstraße 23", KASSEL, LKK, "Heike Rossbach (gebärdensprachkompetent)",
     "Fax 030 23125 792 | SMS/Messenger 0160 23125 742", "hoergeschaedigte@example.org",
     "Mo-Do 9-15 Uhr (Videotelefonie nach Absprache)", ""),
    ("WR-040", "Integrationskurse und Deutsch als Zweitsprache", "Volkshochschule Landkreis Kassel (fiktiv)",
     "Bildung", "Integrationskurs, Einstufungstest, Alphabetisierung, B1-Prüfung, Leben in Deutschland, Kinderbetreuung",
     "Zugewanderte",
     "Integrationskurse in Hofgeismar, Vellmar und Baunatal; Beratung und Einstufung vor Kursbeginn.",
     "Am Markt 3", HOFGEISMAR, LKK, "", "030 23125 743", "deutsch-vhs@example.org",
     "Beratung Di 10-12 + Do 15-17 Uhr", ""),
    ("WR-041", "Psychosozialer Krisendienst Nordhessen", "Psychosoziale Hilfen Kassel gGmbH (fiktiv)",
     "Krisendienst", "psychische Krise, Suizidgedanken, Panik, Angehörige, Krisentelefon",
     "Menschen in seelischen Krisen, Angehörige",
     "Telefonische Krisenberatung am Abend und am Wochenende, bei Bedarf mobiler Einsatz.",
     "", KASSEL, "Stadt und Landkreis Kassel", "", "030 23125 744", "",
     "Mo-Fr 17-24 Uhr, Sa, So und feiertags 10-24 Uhr", "in Lebensgefahr: 112"),
    ("WR-042", "Bildung und Teilhabe (BuT)", "Landkreis Kassel – Fachbereich Soziales", "Sozialleistungen",
     "Schulbedarf, Klassenfahrt, Mittagessen Kita und Schule, Nachhilfe, Sportverein, Musikschule",
     "Kinder und Jugendliche aus Familien mit Wohngeld, Kinderzuschlag, Bürgergeld",
     "Antrag auf Leistungen für Bildung und Teilhabe für Familien im Landkreis.", "Manteuffel-Anlage 5",
     HOFGEISMAR, LKK, "", "030 23125 745", "but-lkk@example.org", "Mo-Fr 8-12 Uhr", ""),
    ("WR-043", "Familienzentrum Kaufungen", "Gemeinde Kaufungen", "Familienzentrum",
     "Krabbelgruppe, Elterncafé, Babymassage, Stillgruppe, Familienpaten", "Familien",
     "Treffpunkt für Familien mit kleinen Kindern.", "Leipziger Straße 120", KAUFUNGEN, LKK, "Tanja Göbel",
     "030 23125 746", "fz-kaufungen@example.org", "Mo–Do 9–13 Uhr, Mi 15–17 Uhr", ""),
    # --- Wartburgkreis ------------------------------------------------------------------------------
    ("WR-044", "Schuldnerberatung", "Diakonieverbund Wartburgregion (fiktiv)", "Schuldnerberatung", "", "",
     "Beratung und Hilfe für Menschen mit Schulden im Wartburgkreis.", "Andreasstraße 11", SALZUNGEN, WAK,
     "Frau Cornelia Hildebrandt", "030 23125 747", "sb-wartburg@example.org", "Di 9-12, Do 13-17", ""),
    ("WR-045", "Tafel Bad Salzungen", "Tafel Wartburgregion e.V. (fiktiv)", "Tafel",
     "Lebensmittel, Ausgabe, Tafelausweis", "Bedürftige",
     "Lebensmittelausgabe; Ausweis mit Bescheid im Tafelbüro.", "Leimbacher Straße 40", SALZUNGEN, WAK, "",
     "030 23125 748", "", "Mo, Mi 14-16 Uhr; Sa 9-11 Uhr", ""),
    ("WR-046", "Tafel Treffurt", "Tafel Wartburgregion e.V. (fiktiv)", "Tafel", "Lebensmittel", "Bedürftige",
     "Ausgabestelle für Treffurt und die Werra-Dörfer.", "Rathausstraße 8", TREFFURT, WAK, "",
     "030 23125 749", "", "Donnerstag 13:00 - 14:30 Uhr", ""),
    ("WR-047", "Psychosoziale Suchtberatungsstelle", "Suchthilfe Wartburgregion gGmbH (fiktiv)", "Suchtberatung",
     "Alkohol, Drogen, Spielsucht, Essstörungen, Angehörige", "Betroffene, Angehörige",
     "Beratung, Vermittlung in Therapie und Selbsthilfegruppen; Außensprechstunde in Vacha.",
     "Ratsstraße 3", SALZUNGEN, "WAK", "Ronny Schellhase", "030 23125 750", "sucht-wak@example.org",
     "Mo-Do 8-16 Uhr, Fr 8-12 Uhr", ""),
    ("WR-048", "Jugendamt", "Landratsamt Wartburgkreis", "Fachdienst Jugend und Familie",
     "Jugendamt, Kinderschutz, Erziehungshilfe, Unterhaltsvorschuss, Beistandschaft, Kita-Gebühren",
     "Familien", "Jugendamt des Wartburgkreises.", "Erzberger Allee 14", SALZUNGEN, WAK,
     "ASD Süd: Frau Kathleen Möller; ASD Nord: Herr Sven Jacobi", "030 23125 751",
     "jugendamt-wak@example.org", "Di 9-12 Uhr u. 13-18 Uhr, Do 9-12 Uhr", ""),
    ("WR-049", "Pflegestützpunkt Wartburgkreis", "Landratsamt Wartburgkreis", "Pflegestützpunkt",
     "Pflege, Pflegegrad, Pflegeberatung", "Pflegebedürftige, Angehörige", "", "Erzberger Allee 14", SALZUNGEN,
     WAK, "Marlies Eckardt", "030 23125 752", "psp-wak@example.org", "Mo-Fr 9-12 Uhr, Di 14-17 Uhr", ""),
    ("WR-050", "Migrations- und Flüchtlingsberatung", "Diakonieverbund Wartburgregion (fiktiv)", "Migration",
     "Migrationsberatung, Flüchtlingssozialarbeit, Aufenthalt, Sprachkurs, Arbeit, Ukraine",
     "Zugewanderte und Geflüchtete",
     "Beratung in Deutsch, Russisch, Ukrainisch und Arabisch; Sprechstunde auch in Gerstungen.",
     "Andreasstraße 11", SALZUNGEN, WAK, "Natalia Kravets; Omar Haddad", "030 23125 753",
     "migration-wak@example.org", "Mo 9-15 Uhr, Mi 9-12 Uhr", ""),
    ("WR-051", "Trauercafé „Vergissmeinnicht“", "Hospizgruppe Ruhla (fiktiv)", "Trauerbegleitung",
     "Trauer, Gesprächskreis, Trauercafé", "Trauernde",
     "Offener Nachmittag für Trauernde bei Kaffee und Kuchen.", "Obere Lindenstraße 2", RUHLA, WAK, "",
     "030 23125 754", "", "jeden 1. Sonntag im Monat 14.30-16.30 Uhr", ""),
    ("WR-052", "Mehrgenerationenhaus Vacha", "Stadt Vacha", "Begegnung",
     "Mittagstisch, Seniorensport, Elterncafé, Nachbarschaftshilfe", "alle Generationen",
     "Offener Treffpunkt an der Werrabrücke.", "Markt 4", VACHA, WAK, "", "030 23125 755", "mgh-vacha@example.org",
     "Mo-Fr 9-16 Uhr", ""),
    ("WR-053", "Wohngeldstelle Wartburgkreis", "Landratsamt Wartburgkreis", "Wohngeld", "", "",
     "Wohngeld für Mieter und Eigentümer.", "Erzberger Allee 14", SALZUNGEN, WAK, "", "030 23125 756", "",
     "Di 9-12 u. 13-18 Uhr", ""),
)


def listing_rows() -> list[dict[str, str]]:
    """The listing as rows of the county CSV format."""
    rows = []
    for nr, name, provider, category, keywords, audience, text, street, (plz, town), county, person, phone, \
            email, hours, remark in _ROWS:
        rows.append(dict(zip(COLUMNS, (
            nr, name, provider, category, keywords, audience, text, street, plz, town, county, person, phone,
            email, WEB, hours, remark, WEB, "2026-12"), strict=True)))
    return rows


def write_listing(path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(listing_rows())
    return path


@lru_cache(maxsize=1)
def probe_db() -> Path:
    """knowledge/ vocabulary, places, counties and hotlines plus this listing, built the product's way."""
    directory = Path(tempfile.mkdtemp(prefix="probe-tests-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return build_search_db(directory, write=write_listing, stem="werratal-fiktiv", with_offers=True)


if __name__ == "__main__":  # python tests/probe_fixtures.py OUT.csv
    print(write_listing(Path(sys.argv[1])))
