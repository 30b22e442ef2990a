"""Every API schema has a name of its own: the OpenAPI document keys its components by class name.

Two classes named ``ItemOut`` in two desks give one component: the second silently replaces the
first, and clients (and the schema fuzz test) read the wrong shape for one of the operations.
"""

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import liaison
from liaison.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_of_liaison_share_a_name():
    for module in pkgutil.walk_packages(liaison.__path__, "liaison."):
        if ".migrations" not in module.name and not module.name.endswith(".wsgi"):
            importlib.import_module(module.name)
    by_name = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("liaison."):
            by_name[cls.__name__].add(cls.__module__)
    assert {name: sorted(m) for name, m in by_name.items() if len(m) > 1} == {}


def test_each_component_of_the_schema_comes_from_one_class():
    components = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    assert {"CalendarItemOut", "ReviewsDecidedOut", "NotificationsDecidedOut"} <= set(components)
