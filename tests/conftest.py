import pytest


@pytest.fixture(autouse=True)
def _a_cache_of_its_own(tmp_path_factory, monkeypatch):
    """Every test gets an empty cache folder: a result kept by one test (or by the user's own
    runs) must never answer for another."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("derive-cache")))
