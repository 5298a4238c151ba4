"""Powertools' event handler documentation patterns, run on Powertools and on kernel side by side.

Each app is written once, against the name table of :mod:`.names`, in the
style of the usage examples of Powertools' REST event handler
documentation; :mod:`.harness` runs it on both libraries with the same
AWS-shaped events and asserts equal answers.
"""

import pytest

# The comparison's assertion lives in the harness: show its diff as pytest does in tests.
pytest.register_assert_rewrite("tests.powertools_patterns.harness")
