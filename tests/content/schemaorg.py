"""A small validator of JSON-LD against the schema.org extract in ``data/schemaorg_extract.json``.

Checks that every ``@type`` is a schema.org type, that every property may be used
on its object's type (directly or through a supertype), that typed values are of
a type the property's range allows, that plain values suit a datatype in the
range, and that enumeration values are members of their enumeration.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

EXTRACT = Path(__file__).parent / "data" / "schemaorg_extract.json"
SCHEMA = "https://schema.org/"


@cache
def vocabulary() -> dict[str, Any]:
    return json.loads(EXTRACT.read_text(encoding="utf-8"))


def supertypes(name: str) -> set[str]:
    """The type and all its ancestors."""
    types = vocabulary()["types"]
    found, stack = set(), [name]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(types.get(current, []))
    return found


def _scalar_ok(value: Any, allowed: list[str]) -> bool:
    vocab = vocabulary()
    enumerations = [vocab["enumerations"][n] for n in allowed if n in vocab["enumerations"]]
    if enumerations and isinstance(value, str) and value.startswith(SCHEMA):
        return any(value.removeprefix(SCHEMA) in members for members in enumerations)
    datatypes = set(allowed) & set(vocab["datatypes"])
    if isinstance(value, bool):
        return "Boolean" in datatypes
    if isinstance(value, int | float):
        return "Number" in datatypes
    return isinstance(value, str) and bool(datatypes)


def problems(data: Any, path: str = "$") -> list[str]:
    """Every violation found in ``data`` (a JSON-LD object or list), with its JSON path."""
    vocab = vocabulary()
    if isinstance(data, list):
        return [p for i, item in enumerate(data) for p in problems(item, f"{path}[{i}]")]
    if not isinstance(data, dict):
        return []
    kind = data.get("@type")
    if kind not in vocab["types"]:
        return [f"{path}: unknown @type {kind!r}"]
    found: list[str] = []
    lineage = supertypes(kind)
    for key, value in data.items():
        if key.startswith("@"):
            continue
        prop = vocab["properties"].get(key)
        where = f"{path}.{key}"
        if prop is None:
            found.append(f"{where}: {key!r} is not a schema.org property")
            continue
        if not lineage & set(prop["domain"]):
            found.append(f"{where}: {key!r} cannot be used on {kind}")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item_type = item.get("@type", "")
                if not supertypes(item_type) & set(prop["range"]):
                    found.append(f"{where}: a {item_type} is not in the range {prop['range']}")
                found += problems(item, where)
            elif not _scalar_ok(item, prop["range"]):
                found.append(f"{where}: {item!r} does not fit the range {prop['range']}")
    return found
