"""Results of a run as pandas DataFrames, with their provenance attached."""
from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd


def read_table(csv_text: str, provenance: dict | None = None) -> pd.DataFrame:
    """A credsim CSV text as a DataFrame; its `# key: value` header lines go to
    `.attrs["provenance"]` unless a provenance dict is given."""
    if provenance is None:
        provenance = {}
        for line in csv_text.splitlines():
            if not line.startswith("#"):
                break
            key, sep, value = line[1:].partition(":")
            if sep:
                provenance[key.strip()] = value.strip()
    frame = pd.read_csv(io.StringIO(csv_text), comment="#")
    if "given" in frame:  # "" (every trial) reads as NaN otherwise
        frame["given"] = frame["given"].fillna("")
    frame.attrs["provenance"] = provenance
    return frame


class Results:
    """summary, paired, survival (and trials on request) DataFrames; `provenance`
    (scenario hash, seed, trials, version, parameter sources) on each frame's
    .attrs and here; `report` is the CLI's table."""

    def __init__(self, raw: dict[str, Any]):
        self.json = json.loads(raw["summary_json"])
        self.provenance = self.json.get("provenance", {})
        self.summary = read_table(raw["summary_csv"], self.provenance)
        self.paired = read_table(raw["paired_csv"], self.provenance)
        self.survival = read_table(raw["survival_csv"], self.provenance)
        self.report: str = raw["report"]
        self.options: list[str] = list(raw["options"])
        self.trials: pd.DataFrame | None = None
        if "trials" in raw:
            columns = dict(raw["trials"])
            frame = pd.DataFrame(columns)
            frame["option"] = pd.Categorical.from_codes(frame["option"], categories=self.options)
            frame.attrs["provenance"] = self.provenance
            self.trials = frame
        self._raw = raw

    def texts(self) -> dict[str, str]:
        """The exact texts of summary.json, summary.csv, paired.csv and survival.csv."""
        return {
            "summary.json": self._raw["summary_json"],
            "summary.csv": self._raw["summary_csv"],
            "paired.csv": self._raw["paired_csv"],
            "survival.csv": self._raw["survival_csv"],
        }

    def metric(self, name: str) -> pd.DataFrame:
        """One metric across options: option, estimate, ci_low, ci_high, n."""
        return self.summary[self.summary["metric"] == name].reset_index(drop=True)

    def __repr__(self) -> str:
        return self.report
