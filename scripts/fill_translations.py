"""Fill a catalogue's empty entries from a JSON dictionary {msgid: msgstr}.

Usage: python scripts/fill_translations.py path/to/django.po translations.json
Entries already translated are kept; the header gets the right plural form for the language.
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> int:
    catalogue = polib.pofile(po_path)
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if "fuzzy" in catalogue.metadata_is_fuzzy:
        catalogue.metadata_is_fuzzy = []
    catalogue.save(po_path)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
