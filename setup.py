"""Builds credsim._core with CMake (only the module target and the library it
needs) for `pip install --no-build-isolation .`; everything else is in
pyproject.toml.

CREDSIM_CMAKE_BUILD_DIR: an existing CMake build folder to build the module
in (e.g. build/release: nothing is rebuilt that is up to date there); default
build/pip, kept between installs so a reinstall is incremental. ccache is used
when it is installed."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    """The version CMake gives the CLI (project(... VERSION x.y.z))."""
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(credsim VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = Path(os.environ.get("CREDSIM_CMAKE_BUILD_DIR") or ROOT / "build" / "pip").resolve()
        if not (build_dir / "CMakeCache.txt").exists():
            configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                         f"-DPython_EXECUTABLE={sys.executable}", "-DCREDSIM_BUILD_TESTS=OFF",
                         "-DCREDSIM_BUILD_BENCHMARKS=OFF", "-DCREDSIM_WITH_MPI=OFF"]
            if shutil.which("ninja"):
                configure += ["-G", "Ninja"]
            if shutil.which("ccache"):
                configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
            subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core", "-j", str(os.cpu_count() or 1)],
                       check=True)
        built = next((build_dir / "python" / "credsim").glob("_core*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(version=project_version(), ext_modules=[Extension("credsim._core", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
