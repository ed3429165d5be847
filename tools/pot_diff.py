"""Compares two translation templates by their messages: prints what one has and the other lacks.

Usage: pot_diff.py COMMITTED.pot CURRENT.pot; exits 1 when they differ. tools/test uses it to
check that i18n/crm_bookme.pot holds exactly the strings the code has now.
"""

import glob
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po


def messages(path):
    with open(path, "rb") as handle:
        return {(message.context, str(message.id)) for message in read_po(handle) if message.id}


def js_terms(root):
    """The ``_t("...")`` literals of the addon's JavaScript. Odoo's JS extractor misses some of
    them (calls nested in multi-line calls of other functions), and Odoo serves a script
    translation only when its string is in the .pot: such strings are kept in the .pot by
    hand, and count as in the code while the source still has them."""
    terms = set()
    for path in glob.glob(f"{root}/static/src/**/*.js", recursive=True):
        for match in re.finditer(r'_t\(\s*"((?:[^"\\]|\\.)*)"', Path(path).read_text()):
            terms.add((None, match.group(1)))
    return terms


def main(committed, current):
    old, new = messages(committed), messages(current)
    new |= old & js_terms(Path(committed).resolve().parent.parent)
    for label, keys in (("not in the .pot yet", new - old), ("no longer in the code", old - new)):
        for _context, msgid in sorted(keys, key=lambda key: key[1]):
            print(f"    {label}: {msgid[:100]!r}")
    return int(old != new)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
