"""Results of a run as pandas DataFrames, with their provenance attached, and
saved or loaded as the files `credsim run` writes."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from . import _core

# The files of a run, as `credsim run` writes them (trials.csv is not among them).
FILES = ("summary.json", "summary.csv", "paired.csv", "survival.csv")
# Added by a plausible-worlds run (`credsim run --worlds`, `credsim.run(..., worlds=M)`).
WORLD_FILES = ("worlds.csv", "across_worlds.csv", "ranks.csv", "decisive_fields.csv")


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
    # round_trip: the files hold the shortest text of each double; read it back exactly.
    frame = pd.read_csv(io.StringIO(csv_text), comment="#", float_precision="round_trip")
    if "given" in frame:  # "" (every trial) reads as NaN otherwise
        frame["given"] = frame["given"].fillna("").astype(object)
    frame.attrs["provenance"] = provenance
    return frame


class Results:
    """summary, paired, survival (and trials on request) DataFrames, each with
    a `label` column (the scenario's option labels); `provenance` (scenario
    hash, seed, trials, version, parameter sources) on each frame's .attrs and
    here; `text` is the CLI's table; `report(path)` writes the HTML brief. `save(dir)` writes the CLI's files;
    `credsim.load(dir)` reads them back into an equal Results. After a plausible-worlds
    run also `worlds`, `across_worlds`, `ranks` and `decisive_fields` (else None)."""

    def __init__(self, files: Mapping[str, str], columns: Mapping[str, Mapping] | None = None,
                 report: str = "", trials: Mapping[str, Any] | None = None):
        self._files = {name: files[name] for name in FILES + WORLD_FILES if name in files}
        missing = [name for name in FILES if name not in self._files]
        if missing:
            raise ValueError(f"results without {', '.join(missing)}")
        self.json = json.loads(self._files["summary.json"])
        self.provenance = self.json.get("provenance", {})
        self.options: list[str] = [o["name"] for o in self.json["options"]]
        self.labels: dict[str, str] = {o["name"]: o.get("label") or o["name"] for o in self.json["options"]}
        self.text = report  # the table `credsim run` prints (also repr(results))
        self.summary = self._table("summary", columns)
        self.paired = self._table("paired", columns)
        self.survival = self._table("survival", columns)
        worlds = {name: self._world_table(name) for name in WORLD_FILES}
        self.worlds = worlds["worlds.csv"]
        self.across_worlds = worlds["across_worlds.csv"]
        self.ranks = worlds["ranks.csv"]
        self.decisive_fields = worlds["decisive_fields.csv"]
        self.scenario = None  # the credsim.Scenario run (set by credsim.run), for report()
        self.trials: pd.DataFrame | None = None
        if trials is not None:
            frame = pd.DataFrame(dict(trials))
            frame["option"] = pd.Categorical.from_codes(frame["option"], categories=self.options)
            frame.attrs["provenance"] = self.provenance
            self.trials = frame

    def _table(self, stem: str, columns: Mapping[str, Mapping] | None) -> pd.DataFrame:
        """From the engine's arrays when given (a fresh run), else from the CSV text (a loaded one)."""
        if columns is not None:
            frame = pd.DataFrame({k: list(v) if isinstance(v, list) else v for k, v in columns[stem].items()})
        else:
            frame = read_table(self._files[f"{stem}.csv"])
        frame.insert(1, "label", frame["option"].map(self.labels))
        frame.attrs["provenance"] = self.provenance
        return frame

    def _world_table(self, name: str) -> pd.DataFrame | None:
        if name not in self._files:
            return None
        frame = read_table(self._files[name])
        if "option" in frame:
            frame.insert(frame.columns.get_loc("option") + 1, "label", frame["option"].map(self.labels))
        return frame

    def texts(self) -> dict[str, str]:
        """The exact texts of the result files (summary.json, summary.csv, paired.csv,
        survival.csv, and the worlds files of a plausible-worlds run)."""
        return dict(self._files)

    def save(self, path: str | os.PathLike) -> list[Path]:
        """Writes the files `credsim run --out path` writes (each atomically: a
        reader sees the old file or the new one); returns their paths."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self._files.items():
            _core.write_file_atomically(str(folder / name), text)
            written.append(folder / name)
        return written

    def report(self, path: str | os.PathLike, *, scenario=None, pdf: bool | str | os.PathLike = False) -> Path:
        """Write the policy brief of these results: one self-contained HTML file
        (credsim_analysis.report.write_report; needs the analysis package and
        jinja2). The summary's runner-up test is paired when the run kept its
        trial rows (`credsim.run(..., trial_rows=True)`). `scenario` (default: the
        one run) adds each option's formula and sources; pdf=True also prints
        it to PDF with headless Chromium. Returns the HTML file's path."""
        try:
            from credsim_analysis.report import write_report
        except ImportError as error:
            raise ImportError(f"Results.report needs the credsim_analysis package and jinja2 ({error}); "
                              "pip install the repository (README, 'From Python') or put analysis/ on "
                              "PYTHONPATH, and apt-get install python3-jinja2") from error
        return write_report(self, path, scenario=scenario if scenario is not None else self.scenario, pdf=pdf)

    def metric(self, name: str) -> pd.DataFrame:
        """One metric across options: option, label, estimate, ci_low, ci_high, n."""
        return self.summary[self.summary["metric"] == name].reset_index(drop=True)

    def wide(self, value: str = "estimate", labels: bool = False) -> pd.DataFrame:
        """Options (rows, in the scenario's order) × metrics (columns): `value`
        is estimate, std_error, ci_low, ci_high or n. labels=True: rows by label."""
        table = self.summary.pivot(index="option", columns="metric", values=value)
        table = table.reindex(index=self.options, columns=list(dict.fromkeys(self.summary["metric"])))
        if labels:
            table.index = [self.labels[o] for o in table.index]
        table.index.name = "label" if labels else "option"
        table.columns.name = None
        return table

    def __repr__(self) -> str:
        return self.text or f"Results(options={self.options}, trials={self.provenance.get('trials')})"


def load_results(path: str | os.PathLike) -> Results:
    """The Results saved in folder `path` (by Results.save or `credsim run --out`)."""
    folder = Path(path)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: no {', '.join(missing)} (not the output folder of a run)")
    names = FILES + tuple(name for name in WORLD_FILES if (folder / name).is_file())
    return Results({name: (folder / name).read_text() for name in names})
