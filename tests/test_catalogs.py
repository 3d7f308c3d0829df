"""Every interface catalog translates every text, keeps its placeholders, markup, commands and
emergency numbers, and the compiled .mo says what the .po says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.cli.compile_locales import extract
from bot.i18n import DOMAIN, LANGUAGES, LOCALES_DIR, RTL_LANGUAGES, catalog_locale, translator

FSI, PDI, RLM = "\u2068", "\u2069", "\u200f"
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_TAG = re.compile(r"</?[a-z]+>")
_COMMAND = re.compile(r"(?<![\w/<])/[a-z]+\b")
#: Numbers to call in an emergency, and the postcode example: as they are in every language.
_NUMBER = re.compile(r"\b(?:112|110|0800 111 0 111|99706)\b")


def catalog(language: str) -> dict[str, str]:
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale=catalog_locale(language)) if m.id}


def problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation lost or changed of its German text (empty when nothing)."""
    found = []
    if not msgstr:
        return ["not translated"]
    for name, pattern in (("placeholders", _PLACEHOLDER), ("markup", _TAG), ("commands", _COMMAND),
                          ("numbers", _NUMBER)):
        if sorted(pattern.findall(msgid)) != sorted(pattern.findall(msgstr)):
            found.append(f"{name}: {pattern.findall(msgid)} -> {pattern.findall(msgstr)}")
    return found


@pytest.fixture(scope="module")
def source_texts() -> list[str]:
    """Every text of the code and the data (babel reads every source file: once, for all languages)."""
    return extract()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated_and_keeps_its_placeholders(language, source_texts):
    texts = catalog(language)
    wrong = {msgid[:60]: problems(msgid, texts.get(msgid, "")) for msgid in source_texts}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_check_finds_a_dropped_or_changed_placeholder():
    assert problems("jetzt geöffnet bis {time} Uhr", "open now") == ["placeholders: ['{time}'] -> []"]
    assert problems("ab {time} Uhr", "from {zeit}") == ["placeholders: ['{time}'] -> ['{zeit}']"]
    assert problems("Notruf <b>112</b>", "Emergency 112") == ["markup: ['<b>', '</b>'] -> []"]
    assert problems("Ändern mit /ort", "Change with /place") == ["commands: ['/ort'] -> ['/place']"]
    assert problems("Hallo!", "") == ["not translated"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_says_what_the_po_file_says(language):
    tr = translator(language)
    for msgid, msgstr in catalog(language).items():
        assert tr.gettext(msgid) == msgstr, msgid[:60]


def test_no_stray_catalogs():
    found = {p.name for p in Path(LOCALES_DIR).iterdir() if p.is_dir()}
    assert found == set(LANGUAGES)


def test_arabic_isolates_every_placeholder_and_balances_its_marks():
    for msgid, msgstr in catalog("ar").items():
        assert msgstr.count(FSI) == msgstr.count(PDI), msgid[:60]
        for name in _PLACEHOLDER.findall(msgstr):
            assert f"{FSI}{name}{PDI}" in msgstr, (msgid[:60], name)
        for line in msgstr.split("\n"):
            if re.search(r"[\u0600-\u06FF]", line):
                assert line.startswith(RLM), (msgid[:60], line[:40])
    assert {"ar"} == RTL_LANGUAGES


def test_arabic_exact_strings():
    tr = translator("ar")
    assert tr.gettext("jetzt geöffnet bis {time} Uhr") == f"{RLM}مفتوح الآن حتى الساعة {FSI}{{time}}{PDI}"
    assert tr.gettext("Dazu habe ich in {place} und Umgebung leider kein passendes Angebot gefunden.") == (
        f"{RLM}للأسف لم أجد خدمة مناسبة في {FSI}{{place}}{PDI} وما حولها.")
    assert tr.gettext("{distance} km") == f"{RLM}{FSI}{{distance}}{PDI} كم"
    # the emergency numbers stay as they are, each isolated so it is not read backwards
    error = tr.gettext("Entschuldigung, da ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal oder "
                       "schreiben Sie /hilfe.\n\nIn Gefahr? Notruf <b>112</b> · TelefonSeelsorge <b>0800 111 0 111</b>")
    assert error.split("\n")[-1] == (f"{RLM}في خطر؟ الطوارئ <b>{FSI}112{PDI}</b> · {FSI}TelefonSeelsorge{PDI} "
                                     f"<b>{FSI}0800 111 0 111{PDI}</b>")
