"""Every string of the module's template (i18n/crm_bookme.pot) is translated in each
language Book Me ships (i18n/<lang>.po), and each translation keeps the placeholders and
the markup of its source: ``%s``/``%(name)s`` (Python), ``{name}`` and ``{{ expr }}``
(inline templates of email subjects), and HTML/QWeb tags with their ``t-`` attributes
(whole email bodies are single strings). A missing, empty or fuzzy translation, or one
that lost or changed a placeholder, fails with the list of every such string.

Plain pytest, no Odoo: a small reader of the gettext format, enough for the files Odoo
writes (``msgctxt``, plurals, fuzzy flags, obsolete ``#~`` entries).
"""

import ast
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

I18N = Path(__file__).resolve().parents[2] / "i18n"
POT = I18N / "crm_bookme.pot"
LANGUAGES = ("it", "nb", "he", "et")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    references: list = field(default_factory=list)

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags


def _unquote(text):
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a PO string: {text!r}")
    return ast.literal_eval(text)


def read_po(path):
    """The entries of the PO/POT file at ``path`` (the header and obsolete entries left
    out), in file order."""
    entries = []
    entry = Entry()
    target = None  # (attribute, plural index) the next continuation line adds to
    started = False

    def finish():
        nonlocal entry, started
        if started and entry.msgid:
            entries.append(entry)
        entry, started = Entry(), False

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if started and target and target[0] == "msgstr":
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            continue
        try:
            if line.startswith('"'):
                if target is None:
                    raise ValueError("a string continues nothing")
                name, index = target
                if name == "msgstr":
                    entry.msgstrs[index] += _unquote(line)
                else:
                    setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
                continue
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and started and target and target[0] == "msgstr":
                finish()
            started = True
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or match:
                index = int(match.group(1)) if match else 0
                entry.msgstrs[index] = _unquote(rest)
                target = ("msgstr", index)
            elif keyword in ("msgid", "msgctxt", "msgid_plural"):
                setattr(entry, keyword, _unquote(rest))
                target = (keyword, None)
            else:
                raise ValueError(f"unknown keyword {keyword!r}")
        except (ValueError, SyntaxError) as exc:
            raise AssertionError(f"{path.name}:{number}: {exc}") from None
    finish()
    return entries


# --- Placeholders -------------------------------------------------------------------------

PRINTF_RE = re.compile(r"%(?:\([^)]+\))?\d*(?:\.\d+)?[sdrf]")
JINJA_RE = re.compile(r"\{\{.*?\}\}", re.S)
BRACE_RE = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})")
TAG_RE = re.compile(r"<(/?)([A-Za-z][\w.:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*/?>")
ATTR_RE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'))?")


# Tag names that are markup; anything else in angle brackets is text ("/book/<your link
# name>"), which a translation translates.
HTML_TAGS = frozenset(
    "a abbr b blockquote br button code div em font h1 h2 h3 h4 h5 h6 hr i img input label li "
    "ol p pre section small span strong sub sup t table tbody td th thead tr u ul".split()
)
STRING_LITERAL_RE = re.compile(r"'[^']*'|\"[^\"]*\"")


def _tags(text):
    """The HTML/QWeb tags of ``text``: name, closing or not, and their ``t-`` attributes
    (what must not change); other attributes (``title``, ``alt``, ``style``...) may."""
    found = []
    for closing, name, attrs in TAG_RE.findall(text):
        if name.lower() not in HTML_TAGS:
            continue
        kept = tuple(sorted((a, v) for a, v in ATTR_RE.findall(attrs) if a.startswith("t-")))
        found.append(("/" if closing else "") + name.lower() + "".join(f" {a}={v}" for a, v in kept))
    return found


def placeholders(text):
    """Everything of ``text`` a translation must keep, as a multiset."""
    without_jinja = JINJA_RE.sub("", text)
    return Counter(
        [f"printf:{p}" for p in PRINTF_RE.findall(without_jinja)]
        # An expression keeps its code; the texts quoted in it are translated.
        + ["expr:" + " ".join(STRING_LITERAL_RE.sub("'…'", p).split()) for p in JINJA_RE.findall(text)]
        + [f"brace:{p}" for p in BRACE_RE.findall(without_jinja)]
        + [f"tag:{t}" for t in _tags(text)]
    )


def placeholder_problem(source, translation):
    """A sentence saying how ``translation`` differs from ``source`` in placeholders or
    markup, or ``None`` when they match."""
    want, got = placeholders(source), placeholders(translation)
    if want == got:
        return None
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("not in the source " + ", ".join(extra))
    return "; ".join(parts)


# --- The tests ------------------------------------------------------------------------------


def _short(text, limit=100):
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_reader_understands_odoo_po_files(tmp_path):
    po = tmp_path / "xx.po"
    po.write_text(
        '# header\nmsgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        "#. module: crm_bookme\n#: code:addons/crm_bookme/x.py:0\n"
        'msgid "Hello %(name)s"\nmsgstr "Hei %(name)s"\n\n'
        '#, fuzzy\nmsgid "Book"\nmsgstr "Bestill"\n\n'
        'msgctxt "ctx"\nmsgid ""\n"Two "\n"lines"\nmsgstr ""\n"To "\n"linjer"\n\n'
        'msgid "One day"\nmsgid_plural "%s days"\nmsgstr[0] "En dag"\nmsgstr[1] "%s dager"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Gammel"\n',
        encoding="utf-8",
    )
    entries = {e.key: e for e in read_po(po)}
    assert set(entries) == {(None, "Hello %(name)s"), (None, "Book"), ("ctx", "Two lines"), (None, "One day")}
    assert entries[(None, "Hello %(name)s")].msgstrs == {0: "Hei %(name)s"}
    assert entries[(None, "Book")].fuzzy
    assert entries[("ctx", "Two lines")].msgstrs == {0: "To linjer"}
    assert entries[(None, "One day")].msgstrs == {0: "En dag", 1: "%s dager"}


def test_placeholder_check_catches_lost_or_changed_markup():
    assert placeholder_problem("Hello %(name)s, %s", "Hei %s, %(name)s") is None
    assert "missing printf:%(name)s" in placeholder_problem("Hello %(name)s", "Hei %(navn)s")
    assert placeholder_problem("Confirmed: {{ object.name }}", "Bekreftet: {{ object.name }}") is None
    assert "expr:" in placeholder_problem("Confirmed: {{ object.name }}", "Bekreftet: {{ object.navn }}")
    assert placeholder_problem("In {zone}", "I {zone}") is None
    assert "brace:{zone}" in placeholder_problem("In {zone}", "I {sone}")
    body = '<p>Hello <t t-out="object.partner_id.name"/>,</p><a t-att-href="url" title="Open">Open</a>'
    assert (
        placeholder_problem(
            body, '<p>Hei <t t-out="object.partner_id.name"/>,</p><a title="Åpne" t-att-href="url">Åpne</a>'
        )
        is None
    )
    assert "missing tag:t t-out=" in placeholder_problem(body, '<p>Hei,</p><a t-att-href="url">Åpne</a>')
    assert placeholder_problem("50% off", "50 % avslag") is None
    assert placeholder_problem("Address: /book/<your link name>", "Adresse: /book/<lenkenavnet ditt>") is None
    subject = "{{ object.state == 'requested' and 'Booking request' or 'New booking' }}"
    assert placeholder_problem(subject, "{{ object.state == 'requested' and 'Forespørsel' or 'Ny' }}") is None
    assert placeholder_problem(subject, "{{ object.stage == 'requested' and 'Forespørsel' or 'Ny' }}")


@pytest.fixture(scope="module")
def template_entries():
    assert POT.is_file(), f"{POT} is missing"
    entries = read_po(POT)
    assert entries, "the .pot has no strings"
    return entries


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(lang, template_entries):
    path = I18N / f"{lang}.po"
    assert path.is_file(), f"i18n/{lang}.po is missing: {len(template_entries)} strings untranslated"
    translated = {entry.key: entry for entry in read_po(path)}
    untranslated, broken = [], []
    for source in template_entries:
        entry = translated.get(source.key)
        if entry is None or entry.fuzzy or not entry.msgstrs or not all(entry.msgstrs.values()):
            state = "fuzzy" if entry is not None and entry.fuzzy else "missing" if entry is None else "empty"
            untranslated.append(f"  [{state}] {_short(source.msgid)}")
            continue
        sources = [source.msgid] + ([source.msgid_plural] if source.msgid_plural else [])
        for index, text in sorted(entry.msgstrs.items()):
            original = sources[min(index, len(sources) - 1)]
            problem = placeholder_problem(original, text)
            if problem and source.msgid_plural and index == 0:
                problem = placeholder_problem(source.msgid_plural, text) and problem
            if problem:
                broken.append(f"  {_short(source.msgid)}\n      -> {problem}")
    report = []
    if untranslated:
        report.append(
            f"{len(untranslated)} of {len(template_entries)} strings untranslated in i18n/{lang}.po:"
        )
        report.extend(untranslated)
    if broken:
        report.append(f"{len(broken)} translations in i18n/{lang}.po do not keep their placeholders:")
        report.extend(broken)
    assert not report, "\n".join(report)
