"""Every notebook in analysis/notebooks runs top to bottom headless, as an
analyst would run it in Jupyter, and writes its figures as PNG files."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

CELL_TIMEOUT = 300  # seconds; each notebook takes well under two minutes
NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parents[2] / "analysis" / "notebooks").glob("*.ipynb"))


def _kernel_python(name: str) -> str | None:
    """The interpreter the kernel spec `name` would start (resolved), or None."""
    try:
        argv0 = KernelSpecManager().get_kernel_spec(name).argv[0]
    except NoSuchKernel:
        return None
    return os.path.realpath(shutil.which(argv0) or argv0)


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory) -> str:
    """`python3`, made to start this very interpreter (Debian's, with numpy and
    the rest): if the installed spec is missing or points elsewhere (e.g. a
    user-level spec for another Python), install one in a temp prefix and put
    it first on JUPYTER_PATH."""
    if _kernel_python("python3") != os.path.realpath(sys.executable):
        prefix = tmp_path_factory.mktemp("jupyter")
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", "python3"],
                       check=True, capture_output=True)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(prefix / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")]))
    assert _kernel_python("python3") == os.path.realpath(sys.executable), "the python3 kernel does not start this interpreter"
    return "python3"


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_writes_figures(path, kernel_name, source_dir, build_dir, monkeypatch):
    figures = build_dir / "figures"
    prefix = path.stem.split("_")[0] + "_"
    figures.mkdir(parents=True, exist_ok=True)
    for old in figures.glob(f"{prefix}*.png"):
        old.unlink()
    monkeypatch.setenv("CREDSIM_FIGURES_DIR", str(figures))
    monkeypatch.setenv("CREDSIM_SOURCE_DIR", str(source_dir))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the kernel's debugger warns on stderr otherwise

    notebook = nbformat.read(path, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        f"{path.name}: commit notebooks with outputs stripped"
    started = time.monotonic()
    NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name=kernel_name,
                   resources={"metadata": {"path": str(source_dir)}}).execute()
    elapsed = time.monotonic() - started

    errors = [out for cell in notebook.cells if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    written = sorted(figures.glob(f"{prefix}*.png"))
    assert written, f"{path.name} wrote no PNG named {prefix}* into {figures}"
    for png in written:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    print(f"{path.name}: {elapsed:.0f} s, {len(written)} figure(s)")
