"""Admin commands: /status and /reload for ADMIN_IDS only; everyone else sees the normal help text."""

from __future__ import annotations

import copy
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.render import to_plain
from bot.sync import sync
from tests.production.prod_helpers import (
    ADMIN_ID,
    GROUP,
    Chat,
    assert_valid_telegram_html,
    sent_texts,
    write_knowledge,
)


async def help_text(harness) -> str:
    return sent_texts(await harness.feed(Chat(6900).text("/hilfe")))[0]


async def test_status_for_an_admin(harness):
    text = sent_texts(await harness.feed(Chat(ADMIN_ID).text("/status")))[0]
    assert_valid_telegram_html(text)
    plain = to_plain(text)
    built = harness.store.meta()["built_at"]
    assert f"Datenbank gebaut: {built} (Generation 0)" in plain
    assert "Angebote: 3" in plain
    # this test database has no semantic examples: the admin reads that only the word lists work
    assert "Semantik: die Datenbank hat keine Beispielvektoren (ohne Beispiele oder Sprachmodell gebaut) – " \
           "nur Wortlisten und Muster" in plain
    assert "Zweite Meinung bei Krisen: die Datenbank hat keine Vektoren dafür – das erste Sprachmodell " \
           "entscheidet allein" in plain
    assert "• Kyffhäuserkreis: 2" in plain and "• Unstrut-Hainich-Kreis: 1" in plain
    assert "Angaben älter als 3 Jahre: 1" in plain and "• Kyffhäuserkreis: 1 veraltet" in plain
    assert "• Schuldnerberatung Sondershausen (Kyffhäuserkreis, Stand 2021-01)" in plain  # today: 4 March 2025
    assert "Sprechzeiten nicht strukturiert: 1" in plain
    assert "„Mo <9 bis 12> & nach Absprache“" in plain
    assert "„Mo &lt;9 bis 12&gt; &amp; nach Absprache“" in text


@pytest.mark.parametrize("command", ["/status", "/reload", "/status@hilfe_finder_bot", "/reload jetzt"])
async def test_everyone_else_gets_the_normal_help_text_and_no_hint(harness, command):
    calls = await harness.feed(Chat(6901).text(command))
    assert sent_texts(calls) == [await help_text(harness)]
    assert "status" not in sent_texts(calls)[0] and "reload" not in sent_texts(calls)[0]


async def test_an_admin_in_a_group_gets_no_status_there(harness):
    calls = await harness.feed(Chat(ADMIN_ID, chat=GROUP).text("/status"))
    assert sent_texts(calls) == [await help_text(harness)]


@pytest.fixture
def own_db(offers_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "offers.db"
    shutil.copy(offers_db, path)
    return path


def rebuild_with_new_offer(tmp_path: Path, db: Path) -> None:
    """What an admin does: edit the YAML, run the sync; the sync swaps the file atomically."""
    knowledge = write_knowledge(tmp_path / "k2")
    path = knowledge / "offers" / "test.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    # a deep copy: parts shared with offer 1 would be dumped as YAML aliases, which the sync refuses
    new = dict(copy.deepcopy(document["offers"][1]), id="p-tafel-neu", name="Tafel Neuhausen-Test", topics=["tafel"],
               keywords=["Tafel", "Lebensmittel"])
    document["offers"].append(new)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = sync(knowledge, db)
    assert result.ok and result.offer_count == 4


@pytest.mark.slow
async def test_reload_reports_the_generation_of_a_new_database(make_harness, own_db, tmp_path):
    harness = make_harness(db=own_db)
    before = sent_texts(await harness.feed(Chat(ADMIN_ID).text("/reload")))[0]
    assert before.startswith("Geladen: Generation 0") and "3 Angebote" in before and "⚠️" not in before
    rebuild_with_new_offer(tmp_path, own_db)
    after = sent_texts(await harness.feed(Chat(ADMIN_ID).text("/reload")))[0]
    assert "Generation 1" in after and "4 Angebote" in after and "⚠️" not in after
    answer = sent_texts(await harness.feed(Chat(6902).text("Tafel Neuhausen-Test")))[0]
    assert "Tafel Neuhausen-Test" in answer


async def test_reload_of_an_unreadable_database_keeps_the_old_data_and_tells_the_admin(make_harness, own_db):
    harness = make_harness(db=own_db)
    broken = own_db.with_name("broken.db")
    broken.write_bytes(b"this is not a database" * 100)
    os.replace(broken, own_db)
    text = to_plain(sent_texts(await harness.feed(Chat(ADMIN_ID).text("/reload")))[0])
    assert text.startswith("Geladen: Generation 0") and "3 Angebote" in text
    assert "⚠️ offers.db ist nicht lesbar (keine SQLite-Datenbank: file is not a database)" in text
    assert "arbeitet weiter mit den geladenen Daten" in text
    answer = sent_texts(await harness.feed(Chat(6903).text("Schuldnerberatung Sondershausen")))[0]
    assert "Schuldnerberatung Sondershausen" in answer


@pytest.mark.parametrize("damage", ["random bytes", "empty", "half"])
async def test_reload_after_a_copy_over_the_same_file_names_the_error_and_keeps_answering(make_harness, own_db,
                                                                                           damage):
    """Issue 11, 3: ``cp`` over the same inode changed the bytes under the open connection (every question got
    the apology, and so did /reload); the store serves its own copy and checks a new file whole first."""
    harness = make_harness(db=own_db)
    inode, whole = own_db.stat().st_ino, own_db.read_bytes()
    content = {"random bytes": os.urandom(len(whole)), "empty": b"", "half": whole[: len(whole) // 2]}[damage]
    with open(own_db, "r+b") as fh:  # what cp does to an existing file
        fh.truncate(0)
        fh.write(content)
    assert own_db.stat().st_ino == inode
    answer = sent_texts(await harness.feed(Chat(6904).text("Schuldnerberatung Sondershausen")))[0]
    assert "Schuldnerberatung Sondershausen" in answer
    text = to_plain(sent_texts(await harness.feed(Chat(ADMIN_ID).text("/reload")))[0])
    assert text.startswith("Geladen: Generation 0") and "3 Angebote" in text
    reason = {"random bytes": "keine SQLite-Datenbank", "empty": "die Datei ist leer", "half": "die Datei ist beschädigt"}[damage]
    assert f"⚠️ offers.db ist nicht lesbar ({reason}" in text, text


async def test_reload_refuses_a_foreign_offers_table(make_harness, own_db):
    """Issue 11, 4: a file whose ``offers`` table has one column was switched to (the only check was count(*))."""
    harness = make_harness(db=own_db)
    foreign = own_db.with_name("foreign.db")
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE offers (x)")
        conn.execute("INSERT INTO offers VALUES (1)")
    os.replace(foreign, own_db)
    text = to_plain(sent_texts(await harness.feed(Chat(ADMIN_ID).text("/reload")))[0])
    assert text.startswith("Geladen: Generation 0") and "3 Angebote" in text
    assert "⚠️ offers.db ist nicht lesbar (es fehlen die Tabellen contacts, phones" in text
    answer = sent_texts(await harness.feed(Chat(6905).text("Schuldnerberatung Sondershausen")))[0]
    assert "Schuldnerberatung Sondershausen" in answer
