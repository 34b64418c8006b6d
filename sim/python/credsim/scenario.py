"""Scenarios: load from a file or a dict, change parameters by key path."""
from __future__ import annotations

import copy
import json
import os
import re
from typing import Any, Mapping

import pandas as pd

from . import _core

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(key_path: str) -> list[str | int]:
    """'options.art5_style.commitments[0].ambiguity' -> ['options', 'art5_style', 'commitments', 0, 'ambiguity']"""
    steps: list[str | int] = []
    for name, index in _STEP.findall(key_path):
        steps.append(int(index) if index else name)
    if not steps:
        raise KeyError(f"empty key path {key_path!r}")
    return steps


def _child(node: Any, step: str | int, key_path: str) -> Any:
    if isinstance(node, list):
        if isinstance(step, int):
            if 0 <= step < len(node):
                return node[step]
            raise KeyError(f"{key_path}: index {step} is out of range (the list has {len(node)} items)")
        # Lists of named items (options) can be addressed by name.
        for item in node:
            if isinstance(item, dict) and item.get("name") == step:
                return item
        names = [item.get("name") for item in node if isinstance(item, dict)]
        raise KeyError(f"{key_path}: no item named {step!r}; there are {names}")
    if isinstance(node, dict):
        if step in node:
            return node[step]
        raise KeyError(f"{key_path}: no key {step!r}; there are {sorted(node)}")
    raise KeyError(f"{key_path}: cannot go into a {type(node).__name__}")


def set_value(data: dict, key_path: str, value: Any) -> None:
    """Set one field of a scenario dict by key path (creating the last key if missing)."""
    steps = _steps(key_path)
    if len(steps) == 3 and steps[0] == "instruments":
        # Preset fields live in the presets file; a scenario overrides them
        # field by field in its own `instruments:` map, created here if needed.
        data.setdefault("instruments", {}).setdefault(steps[1], {})
    node: Any = data
    for step in steps[:-1]:
        node = _child(node, step, key_path)
    last = steps[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or not 0 <= last < len(node):
            raise KeyError(f"{key_path}: {last!r} is not an index of the list")
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise KeyError(f"{key_path}: cannot set a field of a {type(node).__name__}")


class Scenario:
    """A validated scenario. Immutable: with_values() returns a new one."""

    def __init__(self, core: Any, data: dict, base_dir: str, file_name: str):
        self._core = core
        self._data = data
        self.base_dir = base_dir
        self.file_name = file_name

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Scenario":
        path = os.fspath(path)
        core = _core.load_scenario(path)  # validates, with file:line:column errors
        data = json.loads(_core.yaml_to_json(path))
        return cls(core, data, os.path.dirname(os.path.abspath(path)), os.path.basename(path))

    @classmethod
    def from_dict(cls, data: Mapping, base_dir: str | os.PathLike = ".", name: str = "<dict>") -> "Scenario":
        """A scenario from a dict with the YAML file's structure. Errors point into the
        dict's JSON rendering (one key per line), named `name`."""
        data = copy.deepcopy(dict(data))
        text = json.dumps(data, indent=1)
        core = _core.load_scenario_text(text, name, os.fspath(base_dir))
        return cls(core, data, os.path.abspath(os.fspath(base_dir)), name)

    def to_dict(self) -> dict:
        return copy.deepcopy(self._data)

    def with_values(self, values: Mapping[str, Any]) -> "Scenario":
        """A copy with fields replaced, e.g. {"guarantors.usa.resolve": 1.2,
        "options.art5_style.commitments[0].ambiguity": {"dist": "beta", "a": 2, "b": 2},
        "instruments.tripwire.red_line": 2.0} (an instrument field overrides the preset)."""
        data = self.to_dict()
        for key_path, value in values.items():
            set_value(data, key_path, value)
        return Scenario.from_dict(data, self.base_dir, f"{self.file_name} (modified)")

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def sha256(self) -> str:
        return self._core.sha256

    @property
    def options(self) -> list[str]:
        return list(self._core.options)

    @property
    def option_labels(self) -> dict[str, str]:
        """Option name -> its label for tables (the name when it has none)."""
        return {name: label or name for name, label in self._core.option_labels}

    @property
    def baseline(self) -> str:
        return self._core.baseline

    @property
    def uncertain_parameters(self) -> list[str]:
        return list(self._core.uncertain_parameters)

    @property
    def provenance(self) -> pd.DataFrame:
        """Where each parameter comes from: key_path, seed, quote, assumption."""
        records = json.loads(self._core.provenance_json)
        return pd.DataFrame(records, columns=["key_path", "seed", "quote", "assumption"])

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, options={self.options}, baseline={self.baseline!r})"
