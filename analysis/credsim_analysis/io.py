"""Read the CLI's CSV files (summary, paired, survival; the sweep.csv,
robustness.csv, sobol.csv and morris.csv of `credsim sweep` and `credsim
sensitivity`) into DataFrames, keeping their `# key: value` header as
`.attrs["provenance"]` so a figure can say which run it shows."""
from __future__ import annotations

import os
from typing import Any

import pandas as pd

RESULT_FILES = ("summary", "paired", "survival")


def _value(text: str) -> Any:
    """'5' -> 5, '0.5' -> 0.5, anything else stays text."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def read_header(path: str | os.PathLike) -> tuple[dict[str, Any], int]:
    """The leading '# key: value' lines as a dict, and how many lines they take."""
    provenance: dict[str, Any] = {}
    count = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            count += 1
            key, sep, value = line[1:].strip().partition(": ")
            if sep:
                provenance[key] = _value(value)
    return provenance, count


def read_csv(path: str | os.PathLike) -> pd.DataFrame:
    """One credsim CSV file: its table, with the header in .attrs["provenance"].
    The header is skipped by line count, not by comment character, so a '#'
    inside a value cannot cut a row."""
    provenance, count = read_header(path)
    frame = pd.read_csv(path, skiprows=count)
    if "given" in frame:  # an empty condition means "every trial", not missing
        frame["given"] = frame["given"].fillna("")
    frame.attrs["provenance"] = provenance
    return frame


def read_results(directory: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """summary.csv, paired.csv and survival.csv of one `credsim run --out DIR`."""
    frames = {}
    for name in RESULT_FILES:
        path = os.path.join(directory, f"{name}.csv")
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: not found; is {directory} the --out folder of `credsim run`?")
        frames[name] = read_csv(path)
    return frames
