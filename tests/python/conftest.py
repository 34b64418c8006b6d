"""Shared fixtures for the Python tests: paths from the environment that CTest
sets (python.pytest in tests/CMakeLists.txt), one scenario and one small run.

Nothing is skipped: without the compiled module or the CLI the tests fail and
say how to set things up."""
from __future__ import annotations

import os
import pathlib

import pytest

try:
    import credsim
    import credsim_analysis  # noqa: F401  (checked here so a missing path fails once, clearly)
except ImportError as error:  # pragma: no cover - the message is the point
    raise ImportError(
        f"{error}. The Python tests need the compiled credsim module and the analysis package on "
        "PYTHONPATH: build the `credsim_python` target, then run e.g. "
        "PYTHONPATH=build/release/python:analysis /usr/bin/python3 -m pytest tests/python "
        "(CTest's python.pytest sets this up)."
    ) from error

SEED = 5
TRIALS = 3000


def _env_path(name: str, why: str) -> pathlib.Path:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"environment variable {name} is not set ({why}); CTest's python.pytest sets it", pytrace=False)
    return pathlib.Path(value)


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    """The repository root: CREDSIM_SOURCE_DIR, or two folders above this file."""
    value = os.environ.get("CREDSIM_SOURCE_DIR")
    return pathlib.Path(value) if value else pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    return _env_path("CREDSIM_BUILD_DIR", "the build folder; notebook figures go to <build>/figures")


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    path = _env_path("CREDSIM_CLI", "path to the credsim command-line binary")
    if not path.is_file():
        pytest.fail(f"CREDSIM_CLI={path} does not exist; build the `credsim` target", pytrace=False)
    return path


@pytest.fixture(scope="session")
def ukraine_path(source_dir) -> pathlib.Path:
    return source_dir / "scenarios" / "ukraine.yaml"


@pytest.fixture(scope="session")
def ukraine(ukraine_path):
    return credsim.Scenario.from_file(ukraine_path)


@pytest.fixture(scope="session")
def small_run(ukraine):
    """One run of every option with per-trial rows, shared by the tests that only read it."""
    return credsim.run(ukraine, trials=TRIALS, seed=SEED, trial_rows=True)


@pytest.fixture(autouse=True)
def _close_figures():
    """Figures accumulate in pyplot's registry; close them after each test."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
