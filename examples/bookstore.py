"""A small bookstore API with validation and Swagger UI.

Run it locally and open http://127.0.0.1:8000/swagger::

    uv run kernel serve examples/bookstore.py

Export its OpenAPI document at build time::

    uv run kernel openapi examples/bookstore.py -o openapi.json

The tests in tests/e2e drive this app in a browser and with schemathesis.
"""

from __future__ import annotations

from typing import Annotated

from kernel_validation.params import Path, Query
from pydantic import BaseModel, Field

from kernel import APIGatewayRestResolver, NotFoundError, Response, content_types


class NewBook(BaseModel):
    """What a client sends to add a book."""

    title: str = Field(min_length=1, max_length=200)
    author: str = Field(min_length=1, max_length=100)
    year: int = Field(ge=1450, le=2100)


class Book(NewBook):
    """A book in the store."""

    id: int


class Problem(BaseModel):
    """The body of an error answer."""

    statusCode: int  # camelCase: the field name the error body has
    message: str


app = APIGatewayRestResolver(enable_validation=True)
app.enable_swagger(title="Bookstore", version="1.0.0", description="Books you can list, read and add.")

BOOKS: dict[int, Book] = {
    1: Book(id=1, title="The Left Hand of Darkness", author="Ursula K. Le Guin", year=1969),
    2: Book(id=2, title="Kindred", author="Octavia E. Butler", year=1979),
}


@app.get("/books", summary="List books", tags=["books"])
def list_books(limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[Book]:
    return list(BOOKS.values())[:limit]


@app.get(
    "/books/<book_id>",
    summary="Get a book",
    tags=["books"],
    responses={
        200: {"description": "The book", "content": {"application/json": {"model": Book}}},
        # Described with its own model: a response left without content is
        # documented with the route's return type.
        404: {"description": "No such book", "content": {"application/json": {"model": Problem}}},
    },
)
def get_book(book_id: Annotated[int, Path(ge=1)]) -> Book:
    if book_id not in BOOKS:
        raise NotFoundError(f"No book {book_id}")
    return BOOKS[book_id]


@app.post(
    "/books",
    summary="Add a book",
    tags=["books"],
    responses={201: {"description": "The book, as stored", "content": {"application/json": {"model": Book}}}},
)
def add_book(book: NewBook) -> Response[Book]:
    # Bounded, so a long schemathesis run or a busy demo cannot grow memory without end.
    if len(BOOKS) >= 1000:
        BOOKS.pop(max(BOOKS))
    stored = Book(id=max(BOOKS, default=0) + 1, **book.model_dump())
    BOOKS[stored.id] = stored
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=stored)


def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
