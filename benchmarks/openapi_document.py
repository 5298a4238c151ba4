"""One first OpenAPI document: ``python openapi_document.py kernel|powertools``.

Run in a fresh interpreter by the harness, since both libraries keep what they
learn about route signatures for the rest of the process: a second app in the
same process would find much of its work done. The document of a small app
with other types is generated first, so the imports are paid before the clock
starts. Prints the CPU milliseconds of the first and of a second document of
the 100-route app.
"""

import sys
import time

import apps
from libs import Library


def main() -> None:
    lib = Library(sys.argv[1])
    apps.openapi_warmup_app(lib).get_openapi_json_schema()
    app = apps.openapi_app(lib)
    start = time.process_time()
    app.get_openapi_json_schema()
    first = time.process_time() - start
    start = time.process_time()
    app.get_openapi_json_schema()
    second = time.process_time() - start
    print(f"{first * 1000:.3f} {second * 1000:.3f}")


main()
