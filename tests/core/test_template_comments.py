"""Django's {# #} comments end at the line's end: one left open on two lines shows as text."""

from pathlib import Path

import aldea

TEMPLATES = sorted(Path(aldea.__file__).parent.rglob("templates/**/*.html"))


def test_no_template_opens_a_one_line_comment_it_does_not_close():
    unclosed = [
        f"{path.relative_to(Path(aldea.__file__).parent)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert TEMPLATES and unclosed == []


def test_the_login_page_shows_no_template_comment(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "{#" not in body and "htmx 2 ignores" not in body
