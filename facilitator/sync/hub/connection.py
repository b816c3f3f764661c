"""Connecting to the hub: the DSN without its password, TLS required off this machine, one line on failure.

Credentials come from where libpq looks for them (a pgpass file, a service file, PG* variables), so the DSN
kept in the database names the hub and never holds a secret. psycopg is loaded on first use: the app runs
without it until someone asks for a hub.
"""

from __future__ import annotations

import ipaddress
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

CONNECT_SECONDS = 5
STRONG_TLS = frozenset({"require", "verify-ca", "verify-full"})


class HubError(Exception):
    """The hub cannot be used as asked; the message is one line for the facilitator, nothing was changed."""


def driver() -> ModuleType:
    """psycopg, or HubError saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise HubError(
            "the agency hub needs the PostgreSQL driver: install Facilitator with its hub extra "
            "(pip install 'facilitator[hub]')"
        ) from None
    return psycopg


def _params(dsn: str) -> dict[str, str]:
    driver()
    from psycopg import conninfo

    try:
        return {key: str(value) for key, value in conninfo.conninfo_to_dict(dsn).items()}
    except Exception as error:  # psycopg.ProgrammingError: libpq could not parse it
        raise HubError(f"that is not a PostgreSQL connection string: {_first_line(error)}") from None


def remembered_dsn(dsn: str) -> str:
    """The DSN as the database keeps it: everything but the password."""
    from psycopg import conninfo

    params = _params(dsn)
    params.pop("password", None)
    return conninfo.make_conninfo(**params)


def is_on_this_machine(host: str) -> bool:
    """A Unix socket or a loopback address: the one place TLS is not asked for."""
    if not host or host.startswith("/") or host.startswith("@") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def where(dsn: str) -> str:
    """The hub as a person would name it: host, port and database (never the password)."""
    params = _params(dsn)
    host = params.get("host") or params.get("hostaddr") or params.get("service", "") or "this machine"
    port = f":{params['port']}" if params.get("port") else ""
    database = f"/{params['dbname']}" if params.get("dbname") else ""
    return f"{host}{port}{database}"


def connection_string(dsn: str) -> str:
    """The DSN to connect with: TLS required unless every host is on this machine; a time limit to connect."""
    from psycopg import conninfo

    params = _params(dsn)
    hosts = [h for h in (params.get("host") or params.get("hostaddr") or "").split(",")]
    local = all(is_on_this_machine(h.strip()) for h in hosts) and "service" not in params
    mode = params.get("sslmode")
    if not local:
        if mode is None:
            params["sslmode"] = "require"
        elif mode not in STRONG_TLS:
            raise HubError(
                f"the hub at {where(dsn)} is not on this machine, so its connection must be encrypted: "
                f"sslmode={mode} is not allowed (use require, verify-ca or verify-full)"
            )
    params.setdefault("connect_timeout", str(CONNECT_SECONDS))
    params.setdefault("application_name", "facilitator")
    return conninfo.make_conninfo(**params)


def connect(dsn: str) -> psycopg.Connection[tuple[object, ...]]:
    """An open connection to the hub (each step opens its own transaction), or HubError with one line."""
    psycopg_module = driver()
    target = connection_string(dsn)
    try:
        connection: psycopg.Connection[tuple[object, ...]] = psycopg_module.connect(target, autocommit=True)
    except psycopg_module.Error as error:
        raise HubError(f"could not reach the hub at {where(dsn)}: {_first_line(error)}") from None
    host = connection.info.host
    if not is_on_this_machine(host) and not connection.pgconn.ssl_in_use:
        connection.close()
        raise HubError(
            f"the hub at {host} answered without encryption; a hub off this machine must use TLS "
            "(sslmode=require)"
        )
    return connection


def _first_line(error: BaseException) -> str:
    """libpq's message, without its advice lines and its 'connection failed:' prefix."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    for prefix in ("connection failed: ", "FATAL:  ", "ERROR:  "):
        text = text.removeprefix(prefix)
    return text


def describe(error: BaseException) -> str:
    """A psycopg error from the middle of a sync as one line."""
    return _first_line(error)
