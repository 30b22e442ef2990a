"""Read a YAML policy document and remember on which line every value was written.

Validation messages must point an administrator at the line to fix, so instead of
``yaml.safe_load`` we compose the node graph (which carries source marks) and build the
Python value ourselves, recording path → line on the way.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Path = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _PolicyLoader(yaml.SafeLoader):
    """SafeLoader with two YAML 1.1 surprises removed:

    - dates stay strings (the JSON schema checks their format, then we convert);
    - only true/false are booleans, so Norway's code ``NO`` stays "NO" and not False.
    """


_PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PolicyLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class YamlProblem(Exception):
    def __init__(self, reason: str, line: int | None, path: Path = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.path = path


def parse_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    """Return the document's value and a map from each path in it to its 1-based line.

    Raises YamlProblem for text that is not YAML, holds several documents or repeats a key
    in one mapping (PyYAML would silently keep the last one).
    """
    loader = _PolicyLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            reason = f"not valid YAML: {error.problem or error.context}"
            raise YamlProblem(reason, mark.line + 1 if mark else None) from None
        except yaml.YAMLError as error:
            raise YamlProblem(f"not valid YAML: {error}", None) from None
        if node is None:
            raise YamlProblem("the document is empty", 1)
        lines: dict[Path, int] = {(): node.start_mark.line + 1}
        return _build(loader, node, (), lines), lines
    finally:
        loader.dispose()


def _build(loader: _PolicyLoader, node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            # Keys are field names; a non-text key can only be an unknown field.
            key = key if isinstance(key, str) else str(key)
            key_path = (*path, key)
            line = key_node.start_mark.line + 1
            if key in result:
                raise YamlProblem(f"field {key!r} appears twice", line, key_path)
            # The key's line, not the value's: for a nested block the key is what one looks for.
            lines[key_path] = line
            result[key] = _build(loader, value_node, key_path, lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            items.append(_build(loader, item, item_path, lines))
        return items
    try:
        return loader.construct_object(node)
    except yaml.constructor.ConstructorError as error:
        raise YamlProblem(f"not valid YAML: {error.problem}", node.start_mark.line + 1) from None


def line_of(lines: dict[Path, int] | None, path: Path) -> int | None:
    """The line of the deepest recorded ancestor of ``path``."""
    if not lines:
        return None
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None
