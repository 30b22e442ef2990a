"""A snapshot made ready to show: labels in both languages, and each figure's link to the list
behind it — kept only for a reader who may open that list (the access layer's ``can``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from liaison.core.access import can
from liaison.leadership import labels


def link_of(cell: dict, user) -> str:
    link = cell.get("link")
    if not link or user is None or not can(user, link["area"]):
        return ""
    try:
        url = reverse(link["name"], args=link["args"])
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(link['query'])}" if link["query"] else url


def sections(snap: dict, user=None) -> list[dict]:
    """``user`` None: no links (the PDF and the spreadsheet)."""
    out = []
    for section in snap.get("sections", []):
        tables = []
        for tab in section["tables"]:
            tables.append(
                {
                    "key": tab["key"],
                    "title": labels.title(labels.TABLES, tab["key"]),
                    "cols": [labels.both(col) for col in tab["cols"]],
                    "rows": [
                        {
                            "label": labels.both(r["label"]),
                            "cells": [
                                {"key": c["key"], "value": c["value"], "url": link_of(c, user)}
                                for c in r["cells"]
                            ],
                        }
                        for r in tab["rows"]
                    ],
                }
            )
        out.append(
            {
                "key": section["key"],
                "title": labels.title(labels.SECTIONS, section["key"]),
                "tables": tables,
            }
        )
    return out


def table_of(snap: dict, key: str) -> dict | None:
    for section in snap.get("sections", []):
        for tab in section["tables"]:
            if tab["key"] == key:
                return tab
    return None
