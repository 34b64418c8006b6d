"""CTest python.pip_install: README's commands, as a new user runs them.

Creates a venv with Debian's interpreter (--system-site-packages), runs
`pip install --no-build-isolation <source>` in it, then, from a fresh folder
in /tmp and without PYTHONPATH, imports credsim and runs an experiment.
CREDSIM_CMAKE_BUILD_DIR (set by CTest to this build) lets setup.py build only
the module target there, instead of the whole library a second time.

usage: pip_install.py SOURCE_DIR WORK_DIR CREDSIM_CLI"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SNIPPET = """
import pathlib, sys
import credsim, credsim_analysis
venv = pathlib.Path(sys.prefix)
assert pathlib.Path(credsim.__file__).is_relative_to(venv), credsim.__file__
package = pathlib.Path(credsim.__file__).parent
assert (package / "py.typed").is_file() and (package / "_core.pyi").is_file()
scenario = credsim.Scenario.from_file(sys.argv[1])
table = credsim.experiment(scenario, {"guarantors.usa.resolve": (0.4, 1.2)}, trials=200, options=[scenario.baseline],
                           progress=False)
assert len(table) == 2 and "p_deal" in table, table
print(credsim.__version__)
"""


def main(source: Path, work: Path, cli: str) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    venv = work / "venv"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)], check=True, env=env)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-build-isolation", "--quiet",
                    str(source)], check=True, env=env)
    with tempfile.TemporaryDirectory(prefix="credsim-pip-") as cwd:
        done = subprocess.run([str(venv / "bin" / "python"), "-c", SNIPPET, str(source / "scenarios" / "ukraine.yaml")],
                              cwd=cwd, env=env, check=True, capture_output=True, text=True)
    cli_version = subprocess.run([cli, "--version"], check=True, capture_output=True, text=True).stdout.split()[-1]
    if done.stdout.strip() != cli_version:
        sys.exit(f"credsim.__version__ {done.stdout.strip()!r} differs from the CLI's {cli_version!r}")
    print(f"pip install and import from /tmp: ok (version {cli_version})")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
