import pytest

from tests.sources import CASES


@pytest.fixture(params=CASES, ids=str)
def source(request):
    """Each event source in turn: the shared behaviour must hold for every one."""
    return request.param
