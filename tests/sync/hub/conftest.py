"""The hub tests' PostgreSQL: one throwaway cluster for the whole run, a fresh hub database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from facilitator.sync.hub.schema import init_hub
from tests.sync.hub.cluster import Cluster, start_cluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    started = start_cluster()
    if started is None:
        message = "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI the hub is tested, never skipped
        pytest.skip(message)
    yield started
    started.stop()


@dataclass
class Hub:
    cluster: Cluster
    database: str

    @property
    def admin_dsn(self) -> str:
        return self.cluster.dsn(self.database)

    def dsn(self, role: str) -> str:
        return self.cluster.dsn(self.database, role)


@pytest.fixture
def hub(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Hub:
    """A new database set up as a hub; credentials from the cluster's pgpass file, as libpq finds them."""
    monkeypatch.setenv("PGPASSFILE", str(cluster.pgpass))
    database = cluster.new_database()
    init_hub(cluster.dsn(database))
    return Hub(cluster, database)
