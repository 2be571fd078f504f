"""Schemathesis against the OpenAPI schema, as a superuser and as a consultant: every operation
fed generated valid and invalid requests, with all of schemathesis's checks.

What must hold: no server error (5xx) for anything a client can send, and every status, header
and body the API answers is one the schema documents (error statuses included, nulls declared).

Two findings are expected and reported rather than failed, because they are how the API is
meant to behave:

* a well-formed key that names nothing the user may see (an MSME code out of scope, a filter
  value naming no row) answers 400, as ``aldea.core.api`` documents, so schema-valid data may
  be answered 400 (``positive_data_acceptance`` accepts it);
* DRF and django-filter read input more leniently than the schema describes it (an empty filter
  value means no filter, 0 is read as the string "0", 1.5 filters an integer field), so the
  ``negative_data_rejection`` findings are printed, not failed.

Runtime: the superuser's run has every phase, with JSON bodies only (form and multipart bodies
reach the same serializers through DRF's parsers, and tripled the coverage phase); the
consultant's run sends every media type the schema lists, without the coverage phase. Generation
is deterministic, so a failure reproduces on the next run; ``ALDEA_SCHEMATHESIS_EXAMPLES`` raises
the examples per operation for a deeper local run.

Schemathesis's engine (what its CLI runs) sends the requests to a live server from a worker
thread, with a database connection of its own, so the data is committed (``transactional_db``).
"""

import os
from collections import Counter

import pytest
import requests
import schemathesis
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connections
from schemathesis.engine import events, from_schema

from aldea.accounts.tokens import issue_token
from tests import factories as f
from tests.api.resources import RESOURCES

MAX_EXAMPLES = int(os.environ.get("ALDEA_SCHEMATHESIS_EXAMPLES", "5"))
# Findings about how leniently the API reads input (see the module docstring).
REPORTED_ONLY = {"negative_data_rejection"}
WITHOUT_COVERAGE = {"phases": {"coverage": {"enabled": False}}}


def config(base_url: str, token: str, **extra) -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "base-url": base_url,
        # A connection per request: Django's development server (the live server) is not the
        # server deployed, and on a kept-alive connection to it one answer began with another's HTML.
        "headers": {"Authorization": f"Token {token}", "Connection": "close"},
        "workers": 1,
        "cache": {"enabled": False},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all"},
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}},
        **extra,
    })


def json_bodies_only(schema: dict) -> dict:
    for operations in schema["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content") if isinstance(operation, dict) else None
            if content and "application/json" in content:
                for media_type in set(content) - {"application/json"}:
                    del content[media_type]
    return schema


def run_schemathesis(schema: dict, schema_config: schemathesis.Config) -> tuple[list[str], list[str], Counter]:
    """What schemathesis finds, as (failures, reported-only findings): one line each with the
    operation, check and reason, and the curl that reproduces it; and the requests per phase."""
    failures, reported, sent = [], [], Counter()
    for event in from_schema(schemathesis.openapi.from_dict(schema, config=schema_config)).execute():
        if isinstance(event, events.ScenarioFinished):
            sent[str(event.phase)] += len(event.recorder.interactions)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    line = (
                        f"{event.recorder.label} {check.name}: {failure.title}: {failure.message}\n"
                        f"    {check.failure_info.code_sample}"
                    )
                    (reported if check.name in REPORTED_ONLY else failures).append(line)
        elif isinstance(event, events.NonFatalError):
            failures.append(f"{event.label}: error: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            failures.append(f"fatal: {event.exception!r}")
    return sorted(set(failures)), sorted(set(reported)), sent


@pytest.fixture
def api_world(transactional_db, live_server, world, monkeypatch):
    """The world with one row of every resource, so list and detail responses carry real bodies
    (and nulls)."""
    # The engine's connections close after each request, so the test database can be dropped.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    # Without it, each answer on a kept-alive connection waits for a delayed ACK (about 0.1 s).
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)
    for resource in RESOURCES:
        resource.make(world)
    return world


@pytest.mark.slow
@pytest.mark.parametrize("persona", ["superuser", "consultant"])
def test_the_api_answers_as_its_schema_says(persona, api_world, live_server):
    if persona == "superuser":
        user = f.UserFactory(username="root", is_staff=True, is_superuser=True)
        extra = {}
    else:
        user, extra = api_world.consultant, WITHOUT_COVERAGE
    _row, token = issue_token(user=user)
    schema = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=60,
                          headers={"Authorization": f"Token {token}"}).json()
    if persona == "superuser":
        schema = json_bodies_only(schema)
    failures, reported, sent = run_schemathesis(schema, config(live_server.url, token, **extra))
    report = os.environ.get("ALDEA_SCHEMATHESIS_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(f"== {persona}: {dict(sent)} requests\n" + "\n".join(failures + reported) + "\n")
    print(f"{persona}: {sum(sent.values())} requests {dict(sent)}; {len(reported)} lenient-input findings")
    assert sum(sent.values()) > 1000, sent  # it really ran
    assert not failures, "\n".join(failures)
