"""pip install --no-build-isolation .   (offline, into a venv made with --system-site-packages)

The extension is built by the Makefile (`make python`: a position-independent
build of the library, pybind11, Debian's python3); this only packages it.
"""
import glob
import os
import re
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def version():
    """The release in include/wordvec/core/version.h, the one source of it."""
    with open(os.path.join(ROOT, "include", "wordvec", "core", "version.h")) as f:
        return re.search(r'#define WORDVEC_VERSION_STRING "([^"]+)"', f.read()).group(1)


class MakeExtension(build_ext):
    def build_extension(self, ext):
        subprocess.check_call(["make", "-C", ROOT, "python"])
        built = glob.glob(os.path.join(ROOT, "python", "wordvec", "_wordvec*.so"))
        if len(built) != 1:
            raise RuntimeError(f"make python left {len(built)} extension files in python/wordvec")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    name="wordvec",
    version=version(),
    description="Word embeddings (skip-gram, CBOW, GloVe, subwords) at C++ speed, with the minimum-entropy dimension",
    packages=["wordvec"],
    package_dir={"": "python"},
    ext_modules=[Extension("wordvec._wordvec", sources=[])],
    cmdclass={"build_ext": MakeExtension},
    python_requires=">=3.9",
    install_requires=["numpy"],
)
