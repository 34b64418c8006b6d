"""The historical case library (scenarios/historical): enough cases, each
with a recorded outcome, every number with its provenance, and every case
listed in the README's tables (the overview and the sha256 record)."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess

import pytest

import credsim

# Integer fields that are counts or dates, not judged numbers (docs/scenario-format.md).
PLAIN_INTEGERS = {"credsim", "horizon", "first", "interval", "attack_month"}


def case_files(source_dir):
    return sorted((source_dir / "scenarios" / "historical").glob("*.yaml"))


def numbers_without_provenance(node, path=""):
    """Key paths of numbers that carry neither `source` nor `assumption` (an
    event's carries its month and settings)."""
    if isinstance(node, dict):
        if "value" in node or "dist" in node or "set" in node:
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
    assert numbers_without_provenance({"events": [{"month": 3, "set": {"x": 1}, "assumption": "why"}]}) == []
    assert numbers_without_provenance({"events": [{"month": 3, "set": {"x": 1}}]}) == [".events[0]"]


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


FIXED_AT = "3112822"  # the commit whose case files the "as fixed" table records
# Lines the calibration may rewrite in a case (analysis/credsim_analysis/calibration.py, apply).
CALIBRATED_LINE = re.compile(r"^\s*(precision|opportunity_rate|audience_cost): ")
# The subject of a documented re-encode commit (README, "Case files re-encoded"):
# it may change any line of the cases that section's table records as changed.
RE_ENCODE_SUBJECT = "Re-encode historical cases"
TABLES = ["Case files as fixed", "Case files after the model-v2 calibration", "Case files re-encoded"]


def sha256_tables(source_dir) -> dict[str, dict[str, str]]:
    """README section heading -> {case file: sha256} for each sha256 table."""
    readme = (source_dir / "scenarios" / "historical" / "README.md").read_text()
    tables = {}
    for section in re.split(r"^## ", readme, flags=re.M)[1:]:
        rows = re.findall(r"^\| `([a-z0-9_]+\.yaml)` \| `([0-9a-f]{64})` \|$", section, re.M)
        if rows:
            tables[section.splitlines()[0]] = dict(rows)
    return tables


def test_readme_lists_every_case_and_its_recorded_sha256(source_dir):
    readme = (source_dir / "scenarios" / "historical" / "README.md").read_text()
    names = [p.name for p in case_files(source_dir)]
    tables = sha256_tables(source_dir)
    assert [h.split(" (")[0] for h in tables] == TABLES
    for heading, recorded in tables.items():
        assert sorted(recorded) == names, heading
    overview = re.findall(r"^\| `([a-z0-9_]+\.yaml)` \| [^`]", readme, re.M)
    assert sorted(overview) == names


def test_case_files_hash_to_the_latest_recorded_sha256(source_dir):
    """A change to a case shows: it needs a new, dated table in the README."""
    latest = list(sha256_tables(source_dir).values())[-1]
    for path in case_files(source_dir):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == latest[path.name], path.name


def only_calibrated_lines_differ(old: str, new: str) -> bool:
    a, b = old.splitlines(), new.splitlines()
    return len(a) == len(b) and all(CALIBRATED_LINE.match(x) and CALIBRATED_LINE.match(y)
                                    for x, y in zip(a, b) if x != y)


def test_only_calibrated_lines_differ_sees_other_changes():
    assert only_calibrated_lines_differ("a: 1\n  precision: {value: 1}\n", "a: 1\n  precision: {value: 2}\n")
    assert not only_calibrated_lines_differ("a: 1\n", "a: 2\n")
    assert not only_calibrated_lines_differ("  precision: 1\n", "  precision: 1\nb: 2\n")


def re_encoded(source_dir) -> set[str]:
    """The cases the re-encode changed: those whose sha256 differs between the
    table before it and its own."""
    tables = {h.split(" (")[0]: t for h, t in sha256_tables(source_dir).items()}
    before, after = tables[TABLES[1]], tables[TABLES[2]]
    return {name for name in after if after[name] != before[name]}


def git(source_dir, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(source_dir), *args], capture_output=True)


def test_since_fixed_only_the_calibrated_lines_changed(source_dir):
    """Each case as fixed (the files of FIXED_AT, which hash to the first
    table) reaches today's by changes of calibrated fields' lines only, except
    in a documented re-encode commit (subject RE_ENCODE_SUBJECT), which may
    change exactly the cases the re-encode table records as changed."""
    fixed = list(sha256_tables(source_dir).values())[0]
    allowed = re_encoded(source_dir)
    touched = set()
    for path in case_files(source_dir):
        rel = path.relative_to(source_dir).as_posix()
        shown = git(source_dir, "show", f"{FIXED_AT}:{rel}")
        if shown.returncode != 0:
            pytest.skip(f"no git history with commit {FIXED_AT} here: {shown.stderr.decode().strip()}")
        assert hashlib.sha256(shown.stdout).hexdigest() == fixed[path.name], path.name
        log = git(source_dir, "log", "--reverse", "--format=%H %s", f"{FIXED_AT}..HEAD", "--", rel)
        assert log.returncode == 0, log.stderr
        steps = [line.split(" ", 1) for line in log.stdout.decode().splitlines()]
        for commit, subject in steps + [["HEAD", "(uncommitted)"]]:
            before = git(source_dir, "show", f"{commit}^:{rel}" if commit != "HEAD" else f"HEAD:{rel}").stdout.decode()
            after = git(source_dir, "show", f"{commit}:{rel}").stdout.decode() if commit != "HEAD" else path.read_text()
            if commit != "HEAD" and subject.startswith(RE_ENCODE_SUBJECT):
                assert path.name in allowed, (path.name, commit, "re-encoded, but not recorded as such in the README")
                touched.add(path.name)
                continue
            assert only_calibrated_lines_differ(before, after), (path.name, commit, subject)
    assert touched == allowed, "the README records as re-encoded cases that no re-encode commit changed"
