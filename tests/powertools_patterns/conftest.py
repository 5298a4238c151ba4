"""The fixture of Powertools' "testing your code" pattern: a Lambda context built for the tests."""

from __future__ import annotations

import pytest

from tests.powertools_patterns.harness import LambdaContext


@pytest.fixture
def lambda_context():
    return LambdaContext()
