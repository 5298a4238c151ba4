"""``python -m kernel``: the ``kernel`` command, for where its script is not on PATH (``pip install --target``)."""

import sys

from kernel.cli import main

sys.exit(main())
