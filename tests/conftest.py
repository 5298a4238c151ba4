"""What every test starts from, whatever the shell running the suite has set."""

import pytest


@pytest.fixture(autouse=True)
def _no_plugin_allow_list(monkeypatch):
    # A developer's KERNEL_PLUGINS (or POWERTOOLS_DEV) would change every default app in the suite;
    # the tests that are about them set them themselves.
    monkeypatch.delenv("KERNEL_PLUGINS", raising=False)
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
