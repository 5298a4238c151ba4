"""The two libraries under test, seen through the same names.

The apps in :mod:`apps` are written once against the reference API and take a
:class:`Library` holding that API's names. ``Library("powertools")`` gives
Powertools' classes, ``Library("kernel")`` kernel's. Names are imported on
first use, so a cold-start process pays only for what its app touches, the
same as a real handler module would.
"""

from __future__ import annotations

import importlib
from typing import Any

_PT = "aws_lambda_powertools.event_handler"
_PT_PARAMS = "aws_lambda_powertools.event_handler.openapi.params"

# name -> (module, attribute): where each library keeps the names the apps use.
NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "powertools": {
        "APIGatewayRestResolver": (_PT, "APIGatewayRestResolver"),
        "APIGatewayHttpResolver": (_PT, "APIGatewayHttpResolver"),
        "ALBResolver": (_PT, "ALBResolver"),
        "BedrockAgentFunctionResolver": (_PT, "BedrockAgentFunctionResolver"),
        "BedrockFunctionResponse": (_PT, "BedrockFunctionResponse"),
        "CORSConfig": (_PT, "CORSConfig"),
        "Response": (_PT, "Response"),
        "Query": (_PT_PARAMS, "Query"),
        "Path": (_PT_PARAMS, "Path"),
        "Body": (_PT_PARAMS, "Body"),
        "Form": (_PT_PARAMS, "Form"),
        "File": (_PT_PARAMS, "File"),
        "UploadFile": (_PT_PARAMS, "UploadFile"),
        "Depends": (_PT, "Depends"),
        "Request": (_PT, "Request"),
    },
    "kernel": {
        "APIGatewayRestResolver": ("kernel", "APIGatewayRestResolver"),
        "APIGatewayHttpResolver": ("kernel", "APIGatewayHttpResolver"),
        "ALBResolver": ("kernel", "ALBResolver"),
        "BedrockAgentFunctionResolver": ("kernel_bedrock_function", "BedrockAgentFunctionResolver"),
        "BedrockFunctionResponse": ("kernel_bedrock_function", "BedrockFunctionResponse"),
        "CORSConfig": ("kernel_cors", "CORSConfig"),
        "Response": ("kernel", "Response"),
        "Query": ("kernel_validation", "Query"),
        "Path": ("kernel_validation", "Path"),
        "Body": ("kernel_validation", "Body"),
        "Form": ("kernel_validation", "Form"),
        "File": ("kernel_validation", "File"),
        "UploadFile": ("kernel_validation", "UploadFile"),
        "Depends": ("kernel", "Depends"),
        "Request": ("kernel", "Request"),
    },
}

LIBRARIES = tuple(NAMES)


class Library:
    """One library's names as attributes: ``Library("kernel").APIGatewayRestResolver``."""

    def __init__(self, name: str) -> None:
        if name not in NAMES:
            raise ValueError(f"unknown library {name!r}; choose from {', '.join(NAMES)}")
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        try:
            module, name = NAMES[self.name][attribute]
        except KeyError:
            raise AttributeError(attribute) from None
        value = getattr(importlib.import_module(module), name)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"Library({self.name!r})"
