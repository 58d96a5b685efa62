"""Before the test processes start: the shipped FAQ's ranking classifier is fitted once into
the disk cache (faq/fitcache.py), so the xdist workers and the bots they start read it instead
of each fitting it (about 5 s) at the same moment."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller has warmed the cache already
    from faq.engine import Engine

    Engine.from_path()
