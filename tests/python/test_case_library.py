"""The historical case library (scenarios/historical): enough cases, each
with a recorded outcome, every number with its provenance, and every case
listed in the README's tables (the overview and the sha256 record)."""
from __future__ import annotations

import json
import re

import credsim

# Integer fields that are counts or dates, not judged numbers (docs/scenario-format.md).
PLAIN_INTEGERS = {"credsim", "horizon", "first", "interval", "attack_month"}


def case_files(source_dir):
    return sorted((source_dir / "scenarios" / "historical").glob("*.yaml"))


def numbers_without_provenance(node, path=""):
    """Key paths of numbers that carry neither `source` nor `assumption`."""
    if isinstance(node, dict):
        if "value" in node or "dist" in node:
            return [] if node.get("assumption") or node.get("source") else [path]
        found = []
        for key, value in node.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if key not in PLAIN_INTEGERS:
                    found.append(f"{path}.{key}")
            else:
                found += numbers_without_provenance(value, f"{path}.{key}")
        return found
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in numbers_without_provenance(v, f"{path}[{i}]")]
    return []


def test_numbers_without_provenance_finds_a_bare_number():
    assert numbers_without_provenance({"a": {"value": 1, "assumption": "why"}, "horizon": 5}) == []
    assert numbers_without_provenance({"a": {"b": 2.0}, "c": [{"value": 1}]}) == [".a.b", ".c[0]"]


def test_library_has_forty_cases_each_with_a_recorded_outcome(source_dir):
    files = case_files(source_dir)
    assert len(files) >= 40
    attacked = 0
    for path in files:
        data = credsim.Scenario.from_file(path).to_dict()
        assert data["name"] == path.stem, path
        observed = data["observed"]
        attacked += bool(observed["attacked"])
        if observed["attacked"]:
            assert 1 <= observed["attack_month"] <= data["horizon"], path
    # Both outcomes are represented, so no score is trivially perfect.
    assert 0 < attacked < len(files)


def test_every_number_in_a_case_says_where_it_comes_from(source_dir):
    for path in case_files(source_dir):
        data = json.loads(credsim._core.yaml_to_json(str(path)))
        assert numbers_without_provenance(data) == [], path.name


def test_readme_lists_every_case_and_its_recorded_sha256(source_dir):
    readme = (source_dir / "scenarios" / "historical" / "README.md").read_text()
    names = [p.name for p in case_files(source_dir)]
    recorded = re.findall(r"^\| `([a-z0-9_]+\.yaml)` \| `([0-9a-f]{64})` \|$", readme, re.M)
    assert sorted(name for name, _ in recorded) == names
    overview = re.findall(r"^\| `([a-z0-9_]+\.yaml)` \| [^`]", readme, re.M)
    assert sorted(overview) == names
