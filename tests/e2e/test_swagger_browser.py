"""Swagger UI in a real browser: the example app's page lists its operations and "Try it out" works."""

from __future__ import annotations

import json

import pytest

# Swagger UI renders asynchronously; these bound each wait, they assert nothing about speed.
WAIT_MS = 30_000


@pytest.fixture
def swagger_page(browser, bookstore_on_a_stage):
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
    # Everything the page needs comes from the app: no request may leave for the internet.
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(bookstore_on_a_stage) else route.abort(),
    )
    page.goto(f"{bookstore_on_a_stage}/swagger")
    page.wait_for_selector(".opblock", timeout=WAIT_MS)
    yield page, problems
    context.close()


def test_the_page_shows_the_apps_operations(swagger_page):
    page, problems = swagger_page

    operations = [
        (block.locator(".opblock-summary-method").inner_text(), block.locator(".opblock-summary-path").inner_text())
        for block in page.locator(".opblock").all()
    ]

    assert page.title() == "Bookstore"
    assert page.locator(".info .title").inner_text().startswith("Bookstore")
    assert sorted(operations) == [("GET", "/books"), ("GET", "/books/{book_id}"), ("POST", "/books")]
    assert problems == []


def test_try_it_out_calls_the_api_and_shows_its_answer(swagger_page, bookstore_on_a_stage):
    page, problems = swagger_page
    operation = page.locator(".opblock-get").filter(has=page.locator('.opblock-summary-path[data-path="/books/{book_id}"]'))

    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator('tr[data-param-name="book_id"] input').fill("2")
    operation.locator("button.execute").click()
    answer = operation.locator(".live-responses-table tbody tr.response").first
    answer.wait_for(timeout=WAIT_MS)

    assert answer.locator(".response-col_status").inner_text().strip() == "200"
    shown = json.loads(answer.locator(".response-col_description pre.microlight").first.inner_text())
    assert shown == {"title": "Kindred", "author": "Octavia E. Butler", "year": 1979, "id": 2}
    # Called where the browser found the page, not at the stage the event claimed.
    assert operation.locator(".request-url pre").inner_text().strip() == f"{bookstore_on_a_stage}/books/2"
    assert problems == []


def test_the_page_and_its_document_come_from_the_app(bookstore_on_a_stage, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        reply = page.goto(f"{bookstore_on_a_stage}/swagger?format=json")
        document = reply.json()
        redirect = page.goto(f"{bookstore_on_a_stage}/swagger?format=oauth2-redirect")
        redirect_type = redirect.headers["content-type"]
    finally:
        context.close()

    assert reply.headers["content-type"] == "application/json"
    assert document["info"]["title"] == "Bookstore"
    assert document["servers"] == [{"url": "/prod"}]  # the event's stage, for clients that read the document
    assert redirect_type == "text/html"
