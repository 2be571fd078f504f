"""Every list endpoint runs the same number of SQL queries for 3 rows as for 30."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests.api.resources import RESOURCES


def _queries_to_list(client, endpoint) -> int:
    # Each request clears the connection's query log when it starts (Django's request_started
    # handler), so an earlier capture's entries must not be left to offset this one.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/{endpoint}/")
    assert response.status_code == 200, response.content
    return len(captured)


def _rows(page: dict) -> int:
    """Rows listed: the count, or on a cursor page (no count) the rows of the first page."""
    return page["count"] if "count" in page else len(page["results"])


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_list_endpoint_query_count_does_not_grow_with_rows(resource, world, api_client_for):
    client = api_client_for(world.manager)
    for _ in range(3):
        resource.make(world)
    few = _queries_to_list(client, resource.endpoint)
    few_rows = _rows(client.get(f"/api/{resource.endpoint}/").json())

    for _ in range(27):
        resource.make(world)
    many = _queries_to_list(client, resource.endpoint)
    many_rows = _rows(client.get(f"/api/{resource.endpoint}/").json())

    assert many_rows >= few_rows + 27
    assert few > 0
    assert many == few, f"{resource.endpoint}: {few} queries for {few_rows} rows, {many} for {many_rows}"
