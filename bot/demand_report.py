"""The planners' report from the demand statistics (bot.demand): text, JSON and one self-contained HTML page.

    python scripts/report.py --demand [--since YYYY-MM-DD] [--region R] [--json | --html OUT]

- per region and topic: how often it was asked and how often nothing local was found
  (outcomes ``far``, ``nationwide``, ``nothing``);
- the top words the bot did not understand, only those used by at least
  :data:`bot.demand.MIN_PEOPLE` different people in a week;
- trends by week; older weeks as year totals.

The HTML page draws its charts with matplotlib as inline SVG: no script, nothing loaded
from the network. No aiogram here.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from html import escape
from typing import Any

from bot.botstate import StateStore
from bot.demand import EVENTS, MIN_PEOPLE, NOT_LOCAL, OUTCOMES, PEOPLE, TOPICS, WORDS, iso_week, week_start
from bot.feedback import Feedback

#: Outcome -> German label (the planners read German).
OUTCOME_LABELS = {"local": "Angebot vor Ort", "far": "nur entfernte Angebote",
                  "nationwide": "nur bundesweite Telefon- und Online-Angebote", "nothing": "nichts gefunden",
                  "crisis": "Krisenhilfe gezeigt"}
NO_TOPIC = "(kein Thema erkannt)"
TOP_WORDS = 30


def _in_range(period: str, since: date | None) -> bool:
    start = week_start(period)
    return start is not None and (since is None or start + timedelta(days=6) >= since)


def build(state: StateStore, *, since: date | None = None, region: str | None = None,
          topic_labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The report as one JSON-ready dict (weeks from ``since`` on, one ``region`` or all)."""
    labels = topic_labels or {}
    events = {k: n for k, n in state.counts(EVENTS).items() if region is None or k[1] == region}
    topics = {k: n for k, n in state.counts(TOPICS).items() if region is None or k[1] == region}
    weekly = {k: n for k, n in events.items() if _in_range(k[0], since)}
    by_region: dict[str, Counter[str]] = defaultdict(Counter)
    by_week: dict[str, Counter[str]] = defaultdict(Counter)
    languages: Counter[str] = Counter()
    for (period, reg, outcome, language), n in weekly.items():
        by_region[reg][outcome] += n
        by_week[period][outcome] += n
        languages[language] += n
    by_topic: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (period, reg, topic, outcome), n in topics.items():
        if _in_range(period, since):
            by_topic[(reg, topic)][outcome] += n

    def row(counts: Counter[str]) -> dict[str, Any]:
        total = sum(counts.values())
        return {"asked": total, "nothing_local": sum(counts[o] for o in NOT_LOCAL),
                "outcomes": {o: counts[o] for o in OUTCOMES}}

    regions = []
    for reg in sorted(by_region, key=lambda r: (-sum(by_region[r].values()), r)):
        topic_rows = [{"topic": topic or None, "label": labels.get(topic, topic) if topic else NO_TOPIC,
                       **row(counts)} for (r, topic), counts in by_topic.items() if r == reg]
        topic_rows.sort(key=lambda t: (-t["asked"], t["label"]))
        regions.append({"region": reg, **row(by_region[reg]), "topics": topic_rows})
    people = state.counts(PEOPLE)
    uses = state.counts(WORDS)
    words: Counter[str] = Counter()
    word_people: Counter[str] = Counter()
    for key, n in people.items():
        if _in_range(key[0], since) and n >= MIN_PEOPLE:
            words[key[1]] += uses.get(key, 0)
            word_people[key[1]] += n
    years: dict[str, Counter[str]] = defaultdict(Counter)
    for (period, _reg, outcome, _lang), n in events.items():
        if week_start(period) is None:
            years[period][outcome] += n
    return {
        "since": since.isoformat() if since else None,
        "region": region,
        "asked": sum(weekly.values()),
        "nothing_local": sum(n for k, n in weekly.items() if k[2] in NOT_LOCAL),
        "outcomes": {o: sum(n for k, n in weekly.items() if k[2] == o) for o in OUTCOMES},
        "languages": dict(languages.most_common()),
        "regions": regions,
        "words": [{"word": w, "uses": n, "people": word_people[w]}
                  for w, n in sorted(words.items(), key=lambda kv: (-word_people[kv[0]], -kv[1], kv[0]))[:TOP_WORDS]],
        "min_people": MIN_PEOPLE,
        "weeks": [{"week": wk, **row(by_week[wk])} for wk in sorted(by_week)],
        "years": [{"year": y, **row(years[y])} for y in sorted(years)],
    }


def _share(part: int, total: int) -> str:
    return f"{round(100 * part / total)} %" if total else "–"


def report_text(report: dict[str, Any]) -> str:
    """The report as plain German text."""
    head = "Nachfrage" + (f" seit {report['since']}" if report["since"] else "") + \
        (f" im Gebiet {report['region']}" if report["region"] else "")
    lines = [head, f"Fragen: {report['asked']}, davon ohne Angebot vor Ort: {report['nothing_local']} "
                   f"({_share(report['nothing_local'], report['asked'])})", ""]
    lines += [f"  {OUTCOME_LABELS[o]}: {n}" for o, n in report["outcomes"].items()]
    for reg in report["regions"]:
        lines += ["", f"{reg['region']}: {reg['asked']} Fragen, ohne Angebot vor Ort {reg['nothing_local']}"]
        lines += [f"  {t['label']}: {t['asked']}, ohne Angebot vor Ort {t['nothing_local']}" for t in reg["topics"]]
    lines += ["", f"Nicht verstandene Wörter (von mindestens {report['min_people']} Personen in einer Woche):"]
    lines += [f"  {w['word']}: {w['uses']}× ({w['people']} Personen)" for w in report["words"]] or ["  keine"]
    lines += ["", "Wochen:"]
    lines += [f"  {w['week']}: {w['asked']} Fragen, ohne Angebot vor Ort {w['nothing_local']}" for w in report["weeks"]]
    if report["years"]:
        lines += ["", "Jahressummen (älter als zwei Jahre):"]
        lines += [f"  {y['year']}: {y['asked']} Fragen, ohne Angebot vor Ort {y['nothing_local']}"
                  for y in report["years"]]
    return "\n".join(lines) + "\n"


def status_lines(state: StateStore, today: date) -> list[str]:
    """Last week's summary for /status (HTML, escaped), and the open reports."""
    last = iso_week(today - timedelta(days=7))
    week = {k: n for k, n in state.counts(EVENTS).items() if k[0] == last}
    total = sum(week.values())
    not_local = sum(n for k, n in week.items() if k[2] in NOT_LOCAL)
    regions: Counter[str] = Counter()
    for k, n in week.items():
        if k[2] in NOT_LOCAL:
            regions[k[1]] += n
    lines = ["", f"<b>Nachfrage letzte Woche ({last})</b>",
             f"Fragen: {total}, ohne Angebot vor Ort: {not_local} ({_share(not_local, total)})"]
    lines += [f"• {escape(r)}: {n} ohne Angebot vor Ort" for r, n in regions.most_common(3)]
    open_reports = Feedback(state).reports()
    lines.append(f"Offene Fehlermeldungen: {len(open_reports)} (/meldungen)")
    return lines


def _svg(fig: Any) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    text = out.getvalue()
    # No dates or licence links in the page: the same figures give the same file.
    return re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg"):], flags=re.S)


def _charts(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, inline SVG) of each chart: weeks by outcome, regions by outcome."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"local": "#2e7d32", "far": "#f9a825", "nationwide": "#1565c0", "nothing": "#c62828",
              "crisis": "#6a1b9a"}
    charts = []
    for title, rows, key in (("Fragen je Woche nach Ergebnis", report["weeks"], "week"),
                             ("Fragen je Landkreis nach Ergebnis", report["regions"][:15], "region")):
        if not rows:
            continue
        fig, ax = plt.subplots(figsize=(9, 3.6 if key == "week" else max(2.5, 0.4 * len(rows) + 1)))
        names = [r[key] for r in rows]
        bottom = [0] * len(rows)
        for outcome in OUTCOMES:
            values = [r["outcomes"][outcome] for r in rows]
            if key == "week":
                ax.bar(names, values, bottom=bottom, color=colors[outcome], label=OUTCOME_LABELS[outcome])
            else:
                ax.barh(names, values, left=bottom, color=colors[outcome], label=OUTCOME_LABELS[outcome])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        if key == "week":
            ax.tick_params(axis="x", labelrotation=45)
        else:
            ax.invert_yaxis()
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
        ax.set_title(title)
        charts.append((title, _svg(fig)))
        plt.close(fig)
    return charts


def report_html(report: dict[str, Any]) -> str:
    """One self-contained HTML page: inline SVG charts and tables, no scripts, no external resources."""
    e = escape
    head = "Nachfrage" + (f" seit {report['since']}" if report["since"] else "") + \
        (f" – {report['region']}" if report["region"] else "")
    parts = [f"<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{e(head)}</title>",
             "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.n{text-align:right}"
             "</style></head><body>",
             f"<h1>{e(head)}</h1>",
             f"<p>Fragen: <b>{report['asked']}</b>, davon ohne Angebot vor Ort: <b>{report['nothing_local']}</b> "
             f"({_share(report['nothing_local'], report['asked'])}). Gezählt wird je beantworteter Frage nur "
             "Woche, Landkreis, Themen, Ergebnis und Sprache – kein Text, keine Person.</p>"]
    for title, svg in _charts(report):
        parts.append(f"<figure aria-label=\"{e(title)}\">{svg}</figure>")
    parts.append("<h2>Je Landkreis und Thema</h2><table><tr><th>Landkreis</th><th>Thema</th><th>Fragen</th>"
                 "<th>ohne Angebot vor Ort</th></tr>")
    for reg in report["regions"]:
        parts.append(f"<tr><th>{e(reg['region'])}</th><th>alle</th><td class=n>{reg['asked']}</td>"
                     f"<td class=n>{reg['nothing_local']}</td></tr>")
        parts += [f"<tr><td></td><td>{e(t['label'])}</td><td class=n>{t['asked']}</td>"
                  f"<td class=n>{t['nothing_local']}</td></tr>" for t in reg["topics"]]
    parts.append("</table>")
    parts.append(f"<h2>Nicht verstandene Wörter</h2><p>Nur Wörter, die mindestens {report['min_people']} "
                 "verschiedene Personen in einer Woche benutzt haben.</p>")
    if report["words"]:
        parts.append("<table><tr><th>Wort</th><th>Anzahl</th><th>Personen</th></tr>")
        parts += [f"<tr><td>{e(w['word'])}</td><td class=n>{w['uses']}</td><td class=n>{w['people']}</td></tr>"
                  for w in report["words"]]
        parts.append("</table>")
    else:
        parts.append("<p>keine</p>")
    if report["years"]:
        parts.append("<h2>Jahressummen</h2><table><tr><th>Jahr</th><th>Fragen</th><th>ohne Angebot vor Ort</th></tr>")
        parts += [f"<tr><td>{e(y['year'])}</td><td class=n>{y['asked']}</td><td class=n>{y['nothing_local']}</td></tr>"
                  for y in report["years"]]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
