"""One word, one meaning: the staff catalogues are complete, and a msgid in two senses has contexts.

Django looks a msgid up in every app's catalogue and the first app that has it wins, silently. So
"Document" translated 证件 in arrivals and 文件内容 in policy put the policy's word on the desk.
"""

import ast
import gettext
import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

from liaison.core.roles import Role
from tests.conftest import make_user
from tests.screening.conftest import declare

APPS = (
    "core",
    "policy",
    "arrivals",
    "assistance",
    "screening",
    "handover",
    "directory",
    "contacts",
    "exchanges",
    "media",
    "agenda",
    "aid",
    "incidents",
    "duty",
    "jobs",
    "notifications",
    "leadership",
    "retention",
)
LIAISON = Path(settings.BASE_DIR, "liaison")
CATALOGUES = {app: LIAISON / app / "locale/zh_Hans/LC_MESSAGES/django.po" for app in APPS}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]")


def entries(app):
    return [e for e in polib.pofile(str(CATALOGUES[app])) if not e.obsolete and e.msgid]


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("app", APPS)
def test_no_entry_is_fuzzy_or_empty(app):
    fuzzy = [e.msgid for e in entries(app) if "fuzzy" in e.flags]
    empty = [e.msgid for e in entries(app) if not all(translations(e))]
    assert (fuzzy, empty) == ([], [])


@pytest.mark.parametrize("app", APPS)
def test_every_placeholder_survives_the_translation(app):
    wrong = []
    for e in entries(app):
        wanted = sorted(set(PLACEHOLDER.findall(e.msgid + " " + (e.msgid_plural or ""))))
        for text in translations(e):
            if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                wrong.append((e.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("app", APPS)
def test_a_catalogue_holds_each_msgid_once(app):
    seen = defaultdict(int)
    for e in entries(app):
        seen[(e.msgctxt, e.msgid)] += 1
    assert [key for key, n in seen.items() if n > 1] == []


def test_no_msgid_reads_differently_in_two_apps_without_a_context():
    words = defaultdict(dict)
    for app in APPS:
        for e in entries(app):
            words[(e.msgctxt, e.msgid)][app] = tuple(translations(e))
    differing = {key: apps for key, apps in words.items() if len(set(apps.values())) > 1}
    assert differing == {}


def catalogues_that_win_over_ours():
    """The zh-hans catalogues of the apps listed before ours: their word for a msgid wins."""
    for config in apps.get_app_configs():
        if config.name.startswith("liaison."):
            return
        mo = Path(config.path, "locale/zh_Hans/LC_MESSAGES/django.mo")
        if mo.exists():
            with mo.open("rb") as f:
                yield config.name, gettext.GNUTranslations(f)._catalog


def test_no_msgid_of_ours_is_silently_read_in_django_s_word():
    """Listed first, django.contrib.admin's "Remove" (删除) put "delete" on a batch's button."""
    ours = {(e.msgctxt, e.msgid): e.msgstr for app in APPS for e in entries(app)}
    overridden = []
    for name, catalogue in catalogues_that_win_over_ours():
        for key, theirs in catalogue.items():
            if isinstance(key, tuple):
                continue
            ctx, _, msgid = key.rpartition("\x04")
            mine = ours.get((ctx or None, msgid))
            if mine is not None and mine != theirs:
                overridden.append((name, ctx, msgid, theirs, mine))
    assert overridden == []


TEMPLATE_CONTEXT = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?:"(?P<msgid>[^"]*)"|'(?P<msgid_>[^']*)')"""
    r"""\s+context\s+(?:"(?P<ctx>[^"]*)"|'(?P<ctx_>[^']*)')"""
)


def contexts_in_the_code():
    """Every (context, msgid) the templates and the Python code ask for."""
    found = set()
    for path in LIAISON.rglob("*.html"):
        for m in TEMPLATE_CONTEXT.finditer(path.read_text()):
            ctx, msgid = m["ctx"] or m["ctx_"], m["msgid"] or m["msgid_"]
            found.add((ctx, msgid, str(path.relative_to(LIAISON))))
    for path in LIAISON.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None)
            name = getattr(name, "id", None) or getattr(name, "attr", None)
            if name in {"pgettext", "pgettext_lazy"} and len(node.args) >= 2:
                ctx, msgid = node.args[0], node.args[1]
                if isinstance(ctx, ast.Constant) and isinstance(msgid, ast.Constant):
                    found.add((ctx.value, msgid.value, str(path.relative_to(LIAISON))))
    return found


def test_every_context_the_code_asks_for_has_its_chinese_entry():
    known = {(e.msgctxt, e.msgid) for app in APPS for e in entries(app) if e.msgctxt}
    asked = contexts_in_the_code()
    assert ("travel document", "Document", "screening/templates/screening/desk.html") in asked
    assert sorted(a for a in asked if a[:2] not in known) == []


@pytest.mark.django_db
def test_the_desk_reads_the_travel_document_as_a_document_not_a_policy_text(
    airport_desk_officer, signed_in
):
    client = signed_in(airport_desk_officer)
    page = client.get("/screening/desk/", {"q": "NOBODY"}).content.decode()
    assert "<th>证件</th>" in page and "文件内容" not in page and "政策文本" not in page

    arrival = declare()
    page = client.get(f"/arrivals/{arrival.pk}/").content.decode()
    assert "<th>证件</th>" in page and "<th>身份类别</th>" in page


@pytest.mark.django_db
def test_the_policy_document_keeps_its_own_word(administrator, signed_in):
    from liaison.policy import selectors

    version = selectors.policy_in_force()[1]
    page = signed_in(administrator).get(f"/policy/risk-list/{version.pk}/").content.decode()
    assert "<h2>政策文本</h2>" in page and "证件" not in page


@pytest.mark.django_db
def test_the_case_form_names_the_case_category_not_the_traveler_category(city, signed_in):
    officer = make_user("liu-assistance", Role.ASSISTANCE)
    page = signed_in(officer).get("/assistance/cases/new/").content.decode()
    assert re.search(r'<label[^>]*for="id_category"[^>]*>\s*类别', page), page
    assert "身份类别" not in page


@pytest.mark.django_db
def test_names_of_people_and_of_things_differ(administrator, airport_desk_officer, signed_in):
    page = signed_in(airport_desk_officer).get("/screening/desk/", {"q": "NOBODY"}).content
    assert "<th>申报码</th><th>姓名</th>" in page.decode()
    page = signed_in(administrator).get("/reference/").content.decode()
    assert "<th>代码</th><th>名称</th>" in page and "<th>区县</th>" in page
