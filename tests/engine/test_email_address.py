"""The one definition of a guest's email address (engine/email_address.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.email_address import (
    AT_SIGN,
    BAD_TLD,
    DOTS,
    NO_DOMAIN,
    NO_DOT_IN_DOMAIN,
    NO_LOCAL,
    SPACE,
    email_problem,
    is_valid_email,
)

VALID = [
    "jane@example.com",
    "first.last+tag@sub.example.co.uk",
    "o'brien@example.ie",
    "user_name-1@example-domain.org",
    "ola@bøker.no",  # internationalised domain (IDN), as typed
    "ola@xn--bker-zra.no",  # the same, in punycode
    "info@例え.テスト",
    "info@example.xn--p1ai",  # punycode top-level domain (.рф)
    "Jane.Doe@Example.COM",
    "a@b.io",
]

REFUSED = {
    "jane@@example": AT_SIGN,
    "x@y": NO_DOT_IN_DOMAIN,
    "name@gmail": NO_DOT_IN_DOMAIN,
    "jane@example.c": BAD_TLD,
    "jane@example.123": BAD_TLD,
    "jane doe@example.com": SPACE,
    "jane@exa mple.com": SPACE,
    "@example.com": NO_LOCAL,
    "jane@": NO_DOMAIN,
    "janeexample.com": AT_SIGN,
    ".jane@example.com": DOTS,
    "jane.@example.com": DOTS,
    "ja..ne@example.com": DOTS,
    "jane@example..com": DOTS,
    "jane@.example.com": DOTS,
    "jane@example.com.": DOTS,
    "a@b@example.com": AT_SIGN,
}


@pytest.mark.parametrize("value", VALID)
def test_real_addresses_pass(value):
    assert email_problem(value) is None
    assert is_valid_email(value)


@pytest.mark.parametrize(("value", "reason"), sorted(REFUSED.items()))
def test_typos_are_refused_with_their_reason(value, reason):
    assert email_problem(value) == reason
    assert not is_valid_email(value)


@pytest.mark.parametrize(
    "value", ["jane@-example.com", "jane@example-.com", "jane@exa_mple.com", "jane(x)@a.com"]
)
def test_characters_outside_the_rules_are_refused(value):
    assert email_problem(value) is not None


def test_lengths():
    assert email_problem("a" * 64 + "@example.com") is None
    assert email_problem("a" * 65 + "@example.com") is not None
    assert email_problem("a@" + "b" * 64 + ".com") is not None  # a label is at most 63
    assert email_problem("a@" + ".".join(["b" * 60] * 5) + ".com") is not None  # over 254


@pytest.mark.parametrize("value", [None, "", 42, b"a@b.com"])
def test_not_text_or_empty(value):
    assert email_problem(value) is not None


@given(st.text(max_size=40))
def test_no_double_at_or_blank_ever_passes(value):
    if value.count("@") != 1 or any(ch.isspace() for ch in value) or "." not in value.partition("@")[2]:
        assert email_problem(value) is not None
