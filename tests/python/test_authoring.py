"""docs/authoring.md: its table of fields is generated from the scenario files
(analysis/update_doc_tables.py), and its template and worked case load as
written, with the options the text says."""
from __future__ import annotations

import re

import yaml

import credsim
from credsim_analysis.doc_tables import fields_markdown

FIX = "run `/usr/bin/python3 analysis/update_doc_tables.py` and commit docs/authoring.md"


def _doc(source_dir) -> str:
    return (source_dir / "docs" / "authoring.md").read_text(encoding="utf-8")


def _yaml_blocks(text: str) -> list[dict]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)]


def test_the_fields_table_matches_the_scenarios(source_dir):
    text = _doc(source_dir)
    begin, end = "<!-- fields:begin -->", "<!-- fields:end -->"
    assert text.count(begin) == 1 and text.count(end) == 1
    block = text[text.index(begin) + len(begin):text.index(end)]
    assert block.strip("\n") == fields_markdown(source_dir / "scenarios").strip("\n"), f"stale: {FIX}"


def test_every_loader_section_has_rows(source_dir):
    table = fields_markdown(source_dir / "scenarios")
    for section in ("settlement.", "challenger.", "protege.", "guarantors.*.", "instruments.*."):
        assert f"| `{section}" in table


def test_the_template_and_the_worked_case_load(source_dir):
    blocks = _yaml_blocks(_doc(source_dir))
    assert [b["name"] for b in blocks] == ["my_case", "northland_southland"]
    template, worked = (credsim.Scenario.from_dict(b, source_dir / "scenarios", name=b["name"]) for b in blocks)
    assert template.options == ["declaration", "treaty", "no_guarantee"]
    assert worked.options == ["declaration", "treaty", "tripwire", "no_guarantee"]  # "4 options" in the text
    assert worked.baseline == "declaration"
    assert credsim.run(worked, trials=500, seed=1, progress=False).summary["estimate"].notna().any()
