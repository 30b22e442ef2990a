"""Search in the directory and the contact log: names in any script, and their Latin reading.

Every organization and person stores its names as a search key (``search_names``, written on
save), and every contact its topics, summary, place and participants' names (``search_text``,
written by the log's services), so a search is one ``LIKE`` per word on both databases: SQLite's
own case folding stops at ASCII and neither database drops accents or reads another script.

The key holds each name folded (case, width, Latin accents) and, for a name in another script,
its reading in Latin letters: Chinese as pinyin (pypinyin, which knows 重庆 is "chongqing"),
every other script by AnyAscii (Пётр "petr", Петро "petro", 김민준 "gimminjun"). Hyphens and
apostrophes join, so "Min-jun", "Minjun" and "min jun" all find "Kim Min-jun". A word typed in
one script also finds its reading in the other: "Пётр" finds a "Petr" entered only in Latin.
"""

import re
import unicodedata
from functools import reduce
from operator import or_

from django.db.models import Q

MAX_QUERY = 100
# Fewer letters than this find too much to be a search (one ideograph or syllable is a word).
MIN_QUERY = 2

# What joins the parts of one name: hyphens, apostrophes, dots, the middle dot of 佐藤·花子.
_JOINERS = re.compile(r"[-\u2010-\u2015'\u2018\u2019\u02bc.\u00b7\u30fb]")


def fold(text: str) -> str:
    """A name as search compares it: any script, case and width folded, Latin accents dropped.

    "MÜLLER", "Müller" and "muller" fold alike; Chinese, Korean or Japanese names are kept as
    written (their marks are part of the letter, so only width and case are folded).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and ord(kept[-1]) < 0x0530:
            continue
        kept.append(char)
    folded = unicodedata.normalize("NFKC", "".join(kept)).casefold()
    return " ".join(folded.split())


def _words(text: str) -> list[str]:
    return _JOINERS.sub("", fold(text)).split()


def latin_reading(text: str) -> str:
    """The text in Latin letters, folded: pinyin for Chinese, AnyAscii for the rest; "" when
    it is already Latin."""
    if not text or text.isascii():
        return ""
    from anyascii import anyascii
    from pypinyin import lazy_pinyin

    # Each word's syllables joined, so "重庆" reads "chongqing" as it is typed.
    words = ["".join(lazy_pinyin(word)) for word in text.split()]
    return " ".join(_words(anyascii(" ".join(words))))


def search_key(*parts: str) -> str:
    """The stored key of these texts: their words folded and their Latin readings, once each."""
    words: dict[str, None] = {}
    for part in parts:
        if not part:
            continue
        for word in _words(part):
            words[word] = None
        for word in latin_reading(part).split():
            words[word] = None
    return " ".join(words)


def query_words(text: str) -> list[list[str]]:
    """Each word typed, with its Latin reading when it has one: the ways it may be stored."""
    found = []
    for word in _words((text or "")[:MAX_QUERY]):
        reading = "".join(latin_reading(word).split())
        found.append([word, reading] if reading and reading != word else [word])
    return found


def is_short(text: str) -> bool:
    """Too little to search: nothing, or one letter of an alphabet."""
    letters = "".join(_words(text or ""))
    if not letters:
        return True
    return len(letters) < MIN_QUERY and all(ord(char) < 0x2E80 for char in letters)


def matching(text: str, field: str) -> Q | None:
    """Each word typed, in one of its forms, must appear in ``field``; None when nothing was."""
    words = query_words(text)
    if not words:
        return None
    return reduce(
        lambda condition, forms: (
            condition & reduce(or_, (Q(**{f"{field}__contains": form}) for form in forms))
        ),
        words,
        Q(),
    )


def directory_search(text: str) -> Q | None:
    """Each word typed must appear in one of the names; None when nothing was typed."""
    return matching(text, "search_names")
