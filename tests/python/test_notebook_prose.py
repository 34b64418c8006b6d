"""The notebooks' prose quotes no result: every finding is written by code
(IPython.display.Markdown built from the computed numbers, or printed), so a
recalibrated model cannot leave a stale number in a markdown cell.

Every numeral in a markdown cell (outside `code spans`) must be one of:
  * a convention of the project, listed in CONVENTIONS with why it is not a
    result (the 95% interval level, a name like "Article 5", a cited year);
  * a parameter the prose states and the notebook's code sets, listed in
    PARAMETERS with the code it must match: if the code changes, this test
    fails until the prose follows.
Anything else is a typed result and fails the test, naming notebook, cell and
number. Numbers spelled out as words ("ten years") are not scanned: write
them as numerals, or from code. The scan does not run the notebooks
(test_notebooks.py does), so it takes a second."""
from __future__ import annotations

import json
import pathlib
import re

import pytest

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parents[2] / "analysis" / "notebooks").glob("*.ipynb"))

# (pattern in the prose, why it is not a result). Matched text is removed before the scan.
CONVENTIONS = (
    (r"\b5–95%", "the spread across worlds the worlds figure draws (its percentiles, not a result)"),
    (r"\b95%", "the interval level of every estimate the engine and the figures give"),
    (r"(?i)\b(near|short of|more than) [01]\b", "the ends of a share or probability, as a reading aid"),
    (r"\bmonth 1\b", "when the yardstick's hypothetical attack comes (the metric's definition)"),
    (r"\bArt(icle|\.) 5\b", "the name of NATO's mutual-defence article"),
    (r"\b[A-Z][a-z]+ (19|20)\d\d\b", "a cited author and year (Saltelli 2010)"),
    (r"\b(S1|ST)\b", "the names of the Sobol' indices"),
    (r"1/√", "how an interval narrows with the trials (a law, not a result)"),
)

# notebook stem -> ((pattern in the prose, pattern the notebook's code must contain), ...):
# the settings the prose explains, checked against the code that uses them.
PARAMETERS: dict[str, tuple[tuple[str, str], ...]] = {
    "06_scenario_discovery": (
        (r"α = 0\.1\b", r"discovery\.prim\([^)]*alpha=0\.1\b"),
        (r"\b10% of the box", r"discovery\.prim\([^)]*alpha=0\.1\b"),
        (r"p ≤ 0\.05\b", r"simplify\([^)]*threshold=0\.05\b"),
        (r"\bdepth 3\b", r"tree_rules\([^)]*max_depth=3\b"),
        (r"≥ 3% of the cases", r"tree_rules\([^)]*min_leaf=0\.03\b"),
    ),
}

NUMERAL = re.compile(r"\d+(?:[.,]\d+)*%?")


def cells(notebook: dict, kind: str) -> list[tuple[int, str]]:
    return [(i, "".join(c["source"])) for i, c in enumerate(notebook["cells"]) if c["cell_type"] == kind]


def stray_numerals(notebook: dict, stem: str) -> list[str]:
    """'cell N: "number" in "…context…"' for every numeral of the markdown cells
    that is neither a convention nor a parameter the code sets."""
    allowed = [pattern for pattern, _ in CONVENTIONS]
    for prose, in_code in PARAMETERS.get(stem, ()):
        allowed.append(prose)
    found = []
    blank = lambda match: " " * len(match.group())  # noqa: E731  (positions stay those of the prose)
    for index, prose in cells(notebook, "markdown"):
        text = re.sub(r"`[^`]*`", blank, prose)  # code spans name code, not results
        for pattern in allowed:
            text = re.sub(pattern, blank, text)
        for match in NUMERAL.finditer(text):
            context = prose[max(0, match.start() - 40):match.end() + 40].replace("\n", " ")
            found.append(f'cell {index}: "{match.group()}" in "…{context}…"')
    return found


def unmatched_parameters(notebook: dict, stem: str) -> list[str]:
    """The PARAMETERS of `stem` the prose states but the code does not set, or
    the prose no longer states (a stale entry)."""
    code = "\n".join(text for _, text in cells(notebook, "code"))
    prose = "\n".join(text for _, text in cells(notebook, "markdown"))
    problems = []
    for in_prose, in_code in PARAMETERS.get(stem, ()):
        if not re.search(in_prose, prose):
            problems.append(f"the prose no longer says {in_prose!r}: drop it from PARAMETERS")
        elif not re.search(in_code, code):
            problems.append(f"the prose says {in_prose!r} but no code cell matches {in_code!r}")
    return problems


def read(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_prose_of_every_notebook_was_scanned():
    assert len(NOTEBOOKS) >= 6, NOTEBOOKS
    assert set(PARAMETERS) <= {p.stem for p in NOTEBOOKS}, "PARAMETERS names a notebook that is not there"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_prose_quotes_no_result(path):
    stray = stray_numerals(read(path), path.stem)
    assert not stray, (f"{path.name}: numbers typed into the prose; write findings from the computed values "
                       "(IPython.display.Markdown) or, for a setting the code uses, add it to PARAMETERS:\n  "
                       + "\n  ".join(stray))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_settings_the_prose_states_are_the_codes(path):
    problems = unmatched_parameters(read(path), path.stem)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def _notebook(markdown: str, code: str = "") -> dict:
    return {"cells": [{"cell_type": "markdown", "source": [markdown]}, {"cell_type": "code", "source": [code]}]}


def test_a_typed_result_is_caught():
    stray = stray_numerals(_notebook("The Article 5-style text is best: P(deal) 0.42, within 95% intervals."), "x")
    assert len(stray) == 1 and stray[0].startswith('cell 0: "0.42" in "…') and "P(deal) 0.42, within 95%" in stray[0], stray
    found = stray_numerals(_notebook("Failure within ten years in 1,234 trials (12%)."), "x")
    assert [f.split(" in ")[0] for f in found] == ['cell 0: "1,234"', 'cell 0: "12%"'], found


def test_conventions_and_code_spans_pass():
    text = "S1 by Saltelli 2010, ST by Jansen 1999; 95% intervals; 5–95% of worlds; `TRIALS = 20000`; 1/√`TRIALS`."
    assert stray_numerals(_notebook(text), "x") == []


def test_a_parameter_must_match_the_code():
    stem = "06_scenario_discovery"
    prose = "PRIM peeling (α = 0.1: each step removes 10% of the box), p ≤ 0.05, depth 3, each leaf ≥ 3% of the cases."
    good = ("discovery.prim(x, failed, alpha=0.1, min_mass=0.05)\nresult.simplify(peeled, threshold=0.05)\n"
            "discovery.tree_rules(x, failed, max_depth=3, min_leaf=0.03)")
    assert stray_numerals(_notebook(prose, good), stem) == []
    assert unmatched_parameters(_notebook(prose, good), stem) == []
    changed = good.replace("alpha=0.1", "alpha=0.05")
    problems = unmatched_parameters(_notebook(prose, changed), stem)
    assert len(problems) == 2 and all("alpha=0" in p for p in problems), problems
