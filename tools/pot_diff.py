"""Compares two translation templates by their messages: prints what one has and the other lacks.

Usage: pot_diff.py COMMITTED.pot CURRENT.pot; exits 1 when they differ. tools/test uses it to
check that i18n/crm_bookme.pot holds exactly the strings the code has now.
"""

import sys

from babel.messages.pofile import read_po


def messages(path):
    with open(path, "rb") as handle:
        return {(message.context, str(message.id)) for message in read_po(handle) if message.id}


def main(committed, current):
    old, new = messages(committed), messages(current)
    for label, keys in (("not in the .pot yet", new - old), ("no longer in the code", old - new)):
        for _context, msgid in sorted(keys, key=lambda key: key[1]):
            print(f"    {label}: {msgid[:100]!r}")
    return int(old != new)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
