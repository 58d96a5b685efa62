"""What every process of a test run shares: bytecode caches, and the shipped FAQ's ranking
classifier, fitted once into the disk cache (faq/fitcache.py) before the test processes start,
so the xdist workers and the bots they start read it instead of each fitting it (about 5 s) at
the same moment."""

import os
import sys

import pytest

# Bytecode caches (git-ignored __pycache__, kept out of images by .dockerignore) even where
# the environment sets PYTHONDONTWRITEBYTECODE: without them every process of the run (each
# xdist worker, each `faqbot` it starts) compiles faq/, bot/ and the tests from source again,
# and pytest rewrites every test module's asserts again (about 3 s per worker).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller has warmed the cache already
    from faq.engine import Engine

    Engine.from_path()
