"""Text normalisation: what a person typed in Slack, as plain lowercase words."""

from __future__ import annotations

import pytest

from bot.text import plain_text, strip_invisible, words


def test_case_is_folded() -> None:
    assert words("What Is An SRO?") == ["what", "is", "an", "sro"]
    assert words("STRASSE Straße") == ["strasse", "strasse"]


def test_nfkc_folds_compatibility_forms() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "SRO training")
    assert words(full_width) == ["sro", "training"]
    assert words("ﬁrearms") == ["firearms"]  # ligature
    assert words("e\u0301cole") == words("\u00e9cole") == ["\u00e9cole"]  # combining accent
    assert plain_text("\u2460 officer") == "1 officer"  # circled digit


@pytest.mark.parametrize(
    "mark",
    [
        "\u200b",  # zero-width space
        "\u200c",  # zero-width non-joiner
        "\u200d",  # zero-width joiner
        "\u2060",  # word joiner
        "\ufeff",  # byte-order mark
        "\u00ad",  # soft hyphen
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u202e",  # right-to-left override
        "\u2066",  # left-to-right isolate
    ],
)
def test_invisible_marks_are_dropped(mark: str) -> None:
    assert words(f"sch{mark}ool re{mark}source officer") == ["school", "resource", "officer"]


def test_control_characters_are_dropped_but_line_breaks_kept() -> None:
    assert strip_invisible("a\x00b\x07c\x1b\x7fd\ne\tf") == "abcd\ne\tf"
    assert words("armed\x00 officers\x1b[0m") == ["armed", "officers", "0m"]
    assert words("line one\nline two") == ["line", "one", "line", "two"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("<@U123ABC> what is an sro", ["what", "is", "an", "sro"]),
        ("<@U123ABC|srobot> what is an sro", ["what", "is", "an", "sro"]),
        ("<@W0123|Dana Smith> armed?", ["armed"]),
        ("ask in <#C1|general> please", ["ask", "in", "please"]),
        ("<#C0123> training", ["training"]),
        ("<!here> are sros armed", ["are", "sros", "armed"]),
        ("<!channel> <!everyone> armed", ["armed"]),
        ("<!subteam^S1|@safety-team> selection", ["selection"]),
        ("<!date^1392734382^{date_short}|Feb 18> training", ["training"]),
        ("see <https://nasro.org/faq|the NASRO FAQ>", ["see", "the", "nasro", "faq"]),
        ("see <https://nasro.org/faq> now", ["see", "now"]),
        ("<http://example.org/a?b=c&amp;d=e|a link>", ["a", "link"]),
        ("write <mailto:info@example.org|info@example.org>", ["write", "info", "example", "org"]),
        ("write <mailto:info@example.org>", ["write"]),
        ("@srobot how many officers", ["how", "many", "officers"]),
    ],
)
def test_slack_markup_is_reduced_to_what_a_reader_sees(message, expected) -> None:
    assert words(message) == expected


def test_plain_text_keeps_link_labels_and_drops_references() -> None:
    assert plain_text("<@U1>  hi <https://x.org|X>  <#C1|general>!") == "hi X !"


def test_html_entities_that_slack_escapes_are_decoded() -> None:
    assert plain_text("Q&amp;A: a &lt;b&gt; c") == "Q&A: a <b> c"
    assert words("SROs &amp; teachers") == ["sros", "teachers"]


def test_entities_are_decoded_once() -> None:
    # A person who typed "&lt;" literally: Slack sends "&amp;lt;".
    assert plain_text("type &amp;lt; here") == "type &lt; here"


def test_escaped_markup_is_text_not_a_mention() -> None:
    # "&lt;@U1&gt;" is what Slack sends when someone types "<@U1>" literally.
    assert plain_text("&lt;!channel&gt; hi") == "<!channel> hi"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("don't", ["do", "not"]),
        ("doesn\u2019t", ["does", "not"]),  # curly apostrophe
        ("isn't", ["is", "not"]),
        ("can't", ["can", "not"]),
        ("Can\u2019t", ["can", "not"]),
        ("won't", ["will", "not"]),
        ("shouldn't", ["should", "not"]),
        ("ain't", ["is", "not"]),
        ("what's", ["what"]),
        ("they're", ["they", "are"]),
        ("we've", ["we", "have"]),
        ("he'll", ["he", "will"]),
        ("I'm", ["i", "am"]),
        ("I'd", ["i"]),
        ("the officer's gun", ["the", "officer", "gun"]),
    ],
)
def test_contractions(message, expected) -> None:
    assert words(message) == expected


def test_the_country_is_not_the_pronoun() -> None:
    assert words("SROs in the U.S.") == ["sros", "in", "the", "usa"]
    assert words("SROs in the US") == ["sros", "in", "the", "usa"]
    assert words("U.S.A. schools") == ["usa", "schools"]
    assert words("USA schools") == ["usa", "schools"]
    assert words("tell us about sros") == ["tell", "us", "about", "sros"]
    assert words("Us teachers") == ["us", "teachers"]
    # Not inside another word.
    assert words("USB drive") == ["usb", "drive"]
    assert words("BUS stop") == ["bus", "stop"]


def test_punctuation_becomes_spaces() -> None:
    assert words("school-to-prison pipeline?!") == ["school", "to", "prison", "pipeline"]
    assert words("SRO's... duties (roles)/triad") == ["sro", "duties", "roles", "triad"]
    assert words("snake_case__name") == ["snake", "case", "name"]
    assert words("$11.13 per dollar, 40 hours") == ["11", "13", "per", "dollar", "40", "hours"]


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "\n\t",
        "🚓",
        "👮‍♀️👮🏽‍♂️",  # emoji with zero-width joiners and skin tones
        "🏳️‍🌈",
        "¯\\_(ツ)_/¯",
        "\u200b\u200b",
        "<@U1> <!here>",
        "?!...",
    ],
)
def test_nothing_to_read_gives_no_words(message) -> None:
    found = words(message)
    assert all(w.isalnum() for w in found)
    assert found in ([], ["ツ"])


@pytest.mark.parametrize(
    "message",
    [
        "Полицейский в школе",
        "警察 学校",
        "شرطة المدرسة",
        "पुलिस अधिकारी",
        "ตำรวจ",
        "Ελληνικά ΣΧΟΛΕΙΟ",
        "\ud800 lone surrogate",
        "\U0010fffd private use",
        "a" * 10_000,
    ],
)
def test_other_scripts_do_not_crash(message) -> None:
    found = words(message)
    assert isinstance(found, list)
    assert all(w == w.casefold() for w in found)


def test_other_scripts_keep_their_words() -> None:
    assert words("Полицейский в Школе") == ["полицейский", "в", "школе"]
    assert words("SRO 警察") == ["sro", "警察"]
