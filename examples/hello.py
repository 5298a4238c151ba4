"""A small kernel app: run it with `kernel invoke examples/hello.py examples/events/hello.json`."""

from kernel import APIGatewayRestResolver, NotFoundError, Response, content_types

app = APIGatewayRestResolver()

BOOKS = {"1": {"id": "1", "title": "The Left Hand of Darkness"}}


@app.get("/hello/<name>")
def hello(name: str):
    return {"message": f"hello {name}"}


@app.get("/books/<book_id>")
def book(book_id: str):
    if book_id not in BOOKS:
        raise NotFoundError(f"No book {book_id}")
    return BOOKS[book_id]


@app.post("/books")
def add_book():
    book = app.current_event.json_body
    BOOKS[book["id"]] = book
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=book)


def lambda_handler(event, context):
    return app.resolve(event, context)
