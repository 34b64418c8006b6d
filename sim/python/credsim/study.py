"""Sweeps and sensitivity analyses: the same engine and files as
`credsim sweep` and `credsim sensitivity` (docs/sweep-format.md)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import _core
from ._checks import MAX_THREADS, whole
from .progress import reporting
from .results import read_table


class Study:
    """The tables a study wrote, as DataFrames (provenance in `.attrs`):
    a sweep has `table` (sweep.csv, long format) and `robustness`; a
    sensitivity analysis has `sobol` and `morris`. `summary` is the ranking
    the CLI prints; `out_dir` holds the files (and the resume journal)."""

    def __init__(self, raw: dict):
        self.out_dir = Path(raw["out_dir"])
        self.summary: str = raw["summary"]
        self.files = {Path(p).name: Path(p) for p in raw["written"]}
        self.table = self._read("sweep.csv")
        self.robustness = self._read("robustness.csv")
        self.sobol = self._read("sobol.csv")
        self.morris = self._read("morris.csv")

    @classmethod
    def from_folder(cls, folder: str | os.PathLike) -> "Study":
        """The tables a study left in `folder`."""
        written = [str(p) for p in Path(folder).iterdir() if p.suffix == ".csv"]
        return cls({"out_dir": os.fspath(folder), "summary": "", "written": written})

    def _read(self, name: str) -> pd.DataFrame | None:
        path = self.files.get(name)
        return read_table(path.read_text()) if path else None

    def __repr__(self) -> str:
        return self.summary


def _study(kind: str, sweep_file, out, threads: int, progress: bool) -> Study:
    return Study(reporting(f"credsim {kind}", "points", progress, lambda bar: _core.study(
        kind, os.fspath(sweep_file), os.fspath(out or ""), whole("threads", threads, 0, MAX_THREADS), bar)))


def sweep(sweep_file: str | os.PathLike, out: str | os.PathLike | None = None, threads: int = 0,
          progress: bool = True) -> Study:
    """Run the design of a sweep file. Rerunning after an interruption resumes;
    Ctrl-C stops after the points under way and writes no table."""
    return _study("sweep", sweep_file, out, threads, progress)


def sensitivity(sweep_file: str | os.PathLike, out: str | os.PathLike | None = None, threads: int = 0,
                progress: bool = True) -> Study:
    """Sobol' (Saltelli design, bootstrap intervals) and Morris indices for a sweep file."""
    return _study("sensitivity", sweep_file, out, threads, progress)
