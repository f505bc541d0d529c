"""Listing many clients with auth0-python 6's pager: every client exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from auth0.management.errors import NotFoundError

import support
from support import wire

MANY = 120
M2M = 10  # of which this many are non_interactive, for the app_type filter


@pytest.fixture(scope="module")
def many(mgmt, run_tag) -> set[str]:
    ids = []
    try:
        for i in range(MANY):
            kwargs = {"app_type": "non_interactive"} if i < M2M else {}
            ids.append(mgmt.clients.create(name=f"{run_tag}-list-{i:03d}", **kwargs).client_id)
        yield set(ids)
    finally:
        for client_id in ids:
            try:
                mgmt.clients.delete(client_id)
            except NotFoundError:
                pass


def test_paging_page_by_page_sees_every_client_once(mgmt, many):
    seen: list[str] = []
    totals = set()
    pages = 0
    for page in mgmt.clients.list(per_page=50, include_totals=True).iter_pages():
        meta = page.response  # {"total", "start", "limit", "clients"}
        items = page.items or []
        if not items:  # the pager stops at the first empty page
            break
        assert meta.start == pages * 50
        assert meta.limit == 50
        assert len(items) <= 50
        totals.add(meta.total)
        seen.extend(c.client_id for c in items)
        pages += 1

    counts = Counter(seen)
    assert [cid for cid, n in counts.items() if n > 1] == []
    assert many <= set(seen)
    assert totals == {len(seen)}
    assert pages == -(-len(seen) // 50)


def test_iterating_items_with_an_odd_page_size_sees_every_client_once(mgmt, many):
    seen = [c.client_id for c in mgmt.clients.list(per_page=7)]
    assert len(seen) == len(set(seen))
    assert many <= set(seen)


def test_a_page_past_the_end_is_empty(mgmt, many):
    page = mgmt.clients.list(page=1000, per_page=100, include_totals=True)
    assert list(page.items or []) == []
    assert page.response.total >= MANY


def test_listing_with_fields_returns_only_those_fields(mgmt, many):
    page = mgmt.clients.list(fields="client_id,name", include_fields=True, per_page=100)
    items = [wire(c) for c in page.items]
    assert len(items) == 100
    for c in items:
        assert {"client_id", "name"} <= set(c) <= {"client_id", "name", "tenant"}, c


def test_filtering_by_app_type(mgmt, many, run_tag):
    found = list(mgmt.clients.list(app_type="non_interactive", per_page=100))
    assert all(c.app_type == "non_interactive" for c in found)
    ours = {c.client_id for c in found if c.name.startswith(f"{run_tag}-list-")}
    assert len(ours) == M2M and ours <= many
