import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English unless they ask for Chinese, so that assertions are legible."""
    settings.LANGUAGE_CODE = "en"
