"""Text that crosses a trust boundary: control characters, and formulas for spreadsheets.

County listings and HSDS files come from outside; offers go back out as CSV to be opened
in Excel or LibreOffice. Two dangers, one place:

- Control characters (NUL, escape sequences, DEL, C1; tab and line feed are text): the
  imports strip them and say so (:func:`strip_controls`); the model refuses any left in a
  hand-written knowledge file (:data:`CONTROL_CHARS` in ``bot.model``); the exports strip them.
- CSV injection: a spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and
  tab or CR) as a formula (``=HYPERLINK(...)``, ``+SUM(...)``, DDE). As OWASP describes, such a
  cell is written with a single quote in front, so the program shows it as text
  (:func:`spreadsheet_cell`); the import takes that quote off again (:func:`unmark`), so an
  exported listing reads back to the same offers, and flags the cell (:func:`formula_like`).
  A cell of digits, spaces and ``+ - ( ) / .`` only (``+49 361 123-45``, ``-``) is left alone:
  it holds no function name, no cell reference and no DDE call, so it cannot do anything, and
  a foreign phone number stays dialable in the spreadsheet, not ``'+43 1 234``.
"""

from __future__ import annotations

import re

#: Control characters other than tab and line feed, as a regex character range (Python and pydantic's).
CONTROL_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
CONTROL = re.compile(f"[{CONTROL_CHARS}]")
#: What makes a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = frozenset("=+-@\t\r")
#: A number as written in listings: nothing a formula could call or reference.
_PLAIN_NUMBER = re.compile(r"[+-][\d\s()./-]*")


def strip_controls(text: str) -> tuple[str, list[str]]:
    """``text`` with CR LF and CR as LF and without control characters, and the ones removed (``U+0000``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = CONTROL.findall(text)
    if not found:
        return text, []
    return CONTROL.sub("", text), [f"U+{ord(c):04X}" for c in dict.fromkeys(found)]


def formula_like(text: str) -> bool:
    """True when a spreadsheet would read the cell as a formula."""
    start = text.lstrip(" ")[:1]
    return start in FORMULA_START and not _PLAIN_NUMBER.fullmatch(text.strip())


def spreadsheet_cell(text: str) -> str:
    """A cell for a CSV file people open in a spreadsheet: no control characters, no formula."""
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "'" + text if formula_like(text) else text


def unmark(text: str) -> str:
    """A cell as :func:`spreadsheet_cell` wrote it, without the quote it put in front."""
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text
