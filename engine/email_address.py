"""Whether a typed email address can be real: the one definition Book Me checks guests'
addresses with (the public pages and the API, through ``controllers/validation.py``).

Pure Python, no Odoo import (tested with plain pytest in ``tests/engine``). It refuses the
typos that would cost a guest their confirmation and manage link — ``jane@@example``,
``x@y`` (no dot in the domain), ``name@gmail`` (no top-level domain), spaces, a missing
local part, leading, trailing or double dots — and accepts what real addresses look like,
``first.last+tag@sub.example.co.uk`` and internationalised domains (``ola@bøker.no``)
included. It does not look the domain up: a well-formed address of a domain that does not
exist passes.
"""

import re

MAX_LENGTH = 254  # RFC 5321 path limit, less the angle brackets
MAX_LOCAL = 64
MAX_LABEL = 63
# RFC 5322 "atext" and the dot; non-ASCII letters are allowed too (SMTPUTF8 local parts).
_LOCAL_ASCII = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")

# The reasons :func:`email_problem` returns (the controllers map them to messages).
MISSING = "missing"
SPACE = "space"
AT_SIGN = "at_sign"
NO_LOCAL = "no_local"
BAD_LOCAL = "bad_local"
DOTS = "dots"
NO_DOMAIN = "no_domain"
NO_DOT_IN_DOMAIN = "no_dot_in_domain"
BAD_DOMAIN = "bad_domain"
BAD_TLD = "bad_tld"
TOO_LONG = "too_long"


def _local_ok(local):
    return all(_LOCAL_ASCII.match(ch) or (not ch.isascii() and ch.isprintable()) for ch in local)


def _label_ok(label):
    if not 0 < len(label) <= MAX_LABEL or label[0] == "-" or label[-1] == "-":
        return False
    return all(ch.isalnum() or ch == "-" for ch in label) and (label.isascii() or not label.isdigit())


def email_problem(value):
    """``None`` when ``value`` (already stripped of surrounding blanks) looks like a real
    email address, else the reason it does not: one of this module's reason constants."""
    if not isinstance(value, str) or not value:
        return MISSING
    if len(value) > MAX_LENGTH:
        return TOO_LONG
    if any(ch.isspace() for ch in value):
        return SPACE
    if value.count("@") != 1:
        return AT_SIGN
    local, domain = value.split("@")
    if not local:
        return NO_LOCAL
    if len(local) > MAX_LOCAL or not _local_ok(local):
        return BAD_LOCAL
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return DOTS
    if not domain:
        return NO_DOMAIN
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return DOTS
    labels = domain.split(".")
    if len(labels) < 2:
        return NO_DOT_IN_DOMAIN
    if not all(_label_ok(label) for label in labels):
        return BAD_DOMAIN
    tld = labels[-1]
    punycode = tld.lower().startswith("xn--") and len(tld) > 4
    if not punycode and (len(tld) < 2 or not tld.isalpha()):
        return BAD_TLD
    return None


def is_valid_email(value):
    """Whether :func:`email_problem` finds nothing wrong with ``value``."""
    return email_problem(value) is None
