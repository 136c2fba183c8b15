"""The engine's hot statements, run on the database driver's own cursor on PostgreSQL.

Every task completion reads one row set (the task, its instance, the instance's open tasks) and
writes one statement. Through SQLAlchemy's execution layer each cost more Python than the work
around it: psycopg describes all 61 columns of the read anew for the result's metadata, and the
layer rebuilds parameters, an execution context and a result object on every call. Timed
against Connection.execute of the same statements on this machine: about 0.1 ms less for the
read and 0.05-0.1 ms less for the write, on a step whose whole bare SpiffWorkflow cycle (see
bench/engine.py) takes 0.65 ms.

So here the statements stay SQLAlchemy constructs, compiled once per dialect, and run on the
driver's cursor of the session's connection (its transaction): parameters pass through their
column types' bind processors, values through the result processors, listeners of
before/after_cursor_execute still see each statement (with no execution context), and driver
errors come out as SQLAlchemy's DBAPIError, parameters hidden. On SQLite, whose stored values
need SQLAlchemy's type handling and whose calls cost little, they run through the connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled for one dialect, with what turning values in and out takes."""

    sql: str
    defaults: dict  # values bound in the statement itself (a literal in a WHERE clause)
    binds: tuple[tuple[str, Callable], ...]  # parameter name -> bind processor
    results: tuple[tuple[int, Callable], ...]  # column position -> result processor


_COMPILED: dict[tuple[int, str], tuple[Executable, _Compiled]] = {}


def fetch(session: Session, statement: Executable, params: dict) -> list[tuple]:
    """All rows `statement` (one that returns rows) gives, as tuples, in the session's
    transaction. Only for statements built once (module constants): each is compiled once per
    dialect. Unlike an ORM query it does not flush first.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [tuple(row) for row in connection.execute(statement, params)]
    compiled = _compiled(connection.dialect, statement)
    values = {**compiled.defaults, **params}
    for name, process in compiled.binds:
        values[name] = process(values[name])
    rows = _run(connection, compiled.sql, values)
    if compiled.results:
        rows = [_processed(row, compiled.results) for row in rows]
    return rows


def _compiled(dialect: Dialect, statement: Executable) -> _Compiled:
    key = (id(statement), dialect.name)
    cached = _COMPILED.get(key)
    if cached is not None and cached[0] is statement:
        return cached[1]
    compiled = statement.compile(dialect=dialect)
    binds = tuple(
        (name, processor)
        for name, bind in compiled.binds.items()
        if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    )
    results = tuple(
        (position, processor)
        for position, column in enumerate(statement.selected_columns)
        if (processor := column.type.dialect_impl(dialect).result_processor(dialect, None))
        is not None
    )
    made = _Compiled(str(compiled), dict(compiled.params), binds, results)
    _COMPILED[key] = (statement, made)  # the statement is kept, so its id stays its own
    return made


def _processed(row: tuple, results: tuple[tuple[int, Callable], ...]) -> tuple:
    values = list(row)
    for position, process in results:
        values[position] = process(values[position])
    return tuple(values)


def _run(connection: Connection, sql: str, params: dict) -> list[tuple]:
    """Execute on the connection's cursor as Connection.execute would, minus the result object."""
    dialect, dispatch = connection.dialect, connection.dispatch
    cursor = connection.connection.cursor()
    try:
        for listener in dispatch.before_cursor_execute:
            sql, params = listener(connection, cursor, sql, params, None, False)
        dialect.do_execute(cursor, sql, params, None)
        for listener in dispatch.after_cursor_execute:
            listener(connection, cursor, sql, params, None, False)
        return cursor.fetchall()
    except dialect.loaded_dbapi.Error as exc:
        if dialect.is_disconnect(exc, connection.connection, cursor):
            connection.invalidate(exc)
        raise DBAPIError.instance(
            sql, params, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
        ) from exc
    finally:
        cursor.close()
