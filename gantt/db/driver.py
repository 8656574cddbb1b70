"""Core statements run straight on the database driver's cursor.

SQLAlchemy's ``Connection.execute`` spends ~50 us of Python on each
statement (an execution context, events, a result object). A claim is a
dozen small indexed statements whose SQL work is a few microseconds each,
so that overhead was most of its time. ``Cursor`` keeps SQLAlchemy for
what it is good at: each statement is compiled once per dialect (the SQL
stays portable, bind and result types keep their conversions) and the
transaction is an ordinary SQLAlchemy Connection's, so checkout, pre-ping,
BEGIN, COMMIT, ROLLBACK and disconnect handling stay SQLAlchemy's and
oslo.db's. Only the statements go to the DBAPI cursor.

It takes fixed statements with plain bound parameters; a statement that
needs SQLAlchemy at execution time (expanding IN, literal execution,
callable defaults) is refused when first compiled.
"""

import collections
import functools
import weakref

import sqlalchemy as sa

# statement -> {dialect key: _Compiled}; a statement built per call is
# compiled per call and forgotten with it.
_COMPILED = weakref.WeakKeyDictionary()
_REQUIRED = object()
_UNSET = object()


@functools.lru_cache(maxsize=None)
def _row_type(names):
    return collections.namedtuple('Row', names, rename=True)


class _Compiled:
    """One statement's SQL for one dialect and how to fill and read it."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError('statement needs SQLAlchemy to render it at '
                             'execution time: %s' % compiled.string)
        self.sql = compiled.string
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        names = (compiled.positiontup if dialect.positional
                 else list(by_name))
        escaped = compiled.escaped_bind_names or {}
        self.positional = dialect.positional
        # (name in the SQL, key the caller passes, value if not passed or
        #  _REQUIRED, driver conversion or None)
        self.binds = []
        for name in names:
            bind = by_name[name]
            if bind.expanding or bind.callable is not None:
                raise ValueError('bound parameter %r needs SQLAlchemy at '
                                 'execution time' % bind.key)
            processor = bind.type.dialect_impl(dialect).bind_processor(
                dialect)
            self.binds.append((escaped.get(name, name), bind.key,
                               _REQUIRED if bind.required else bind.value,
                               processor))
        self._dialect = dialect
        self._columns = list(getattr(statement, 'exported_columns', ()) or ())
        self.row_type = _row_type(tuple(c.key for c in self._columns))
        # Result conversions depend on the driver's column types, known
        # from the first execution's cursor.description.
        self._processors = _UNSET

    def parameters(self, params):
        values = []
        for _name, key, fixed, processor in self.binds:
            if key in params:
                value = params[key]
            elif fixed is _REQUIRED:
                raise sa.exc.ArgumentError(
                    'no value for bound parameter %r' % key)
            else:
                value = fixed
            values.append(value if processor is None else processor(value))
        if self.positional:
            return tuple(values)
        return {name: value
                for (name, _k, _f, _p), value in zip(self.binds, values)}

    def rows(self, raw_rows, description):
        """Named rows, with the columns' types' conversions applied."""
        processors = self._processors
        if processors is _UNSET:
            processors = [
                column.type.dialect_impl(self._dialect).result_processor(
                    self._dialect, described[1])
                for column, described in zip(self._columns, description)]
            processors = self._processors = (
                processors if any(processors) else None)
        make = self.row_type._make
        if processors is None:
            return [make(raw) for raw in raw_rows]
        return [make([v if p is None else p(v)
                      for p, v in zip(processors, raw)]) for raw in raw_rows]


def dialect_key(dialect):
    """What a compiled statement depends on: the dialect and driver, its
    parameter style and the server version it adapts to."""
    return (type(dialect), dialect.paramstyle, dialect.server_version_info)


def _compiled(statement, dialect):
    try:
        by_dialect = _COMPILED[statement]
    except KeyError:
        by_dialect = _COMPILED[statement] = {}
    key = dialect_key(dialect)
    found = by_dialect.get(key)
    if found is None:
        found = by_dialect[key] = _Compiled(statement, dialect)
    return found


class Result:
    """What a statement returned: the few reads the claims need."""

    def __init__(self, compiled, cursor):
        self._compiled = compiled
        self._cursor = cursor
        self.rowcount = cursor.rowcount

    @property
    def inserted_primary_key(self):
        """The new row's id, for drivers that report it (SQLite, MySQL)."""
        return (self._cursor.lastrowid,)

    def _rows(self, raw_rows):
        return self._compiled.rows(raw_rows, self._cursor.description)

    def all(self):
        return self._rows(self._cursor.fetchall())

    def __iter__(self):
        return iter(self.all())

    def first(self):
        raw = self._cursor.fetchone()
        return None if raw is None else self._rows([raw])[0]

    def scalar_one(self):
        rows = self._cursor.fetchall()
        if not rows:
            raise sa.exc.NoResultFound('expected one row, got none')
        if len(rows) > 1:
            raise sa.exc.MultipleResultsFound(
                'expected one row, got %d' % len(rows))
        return self._rows(rows)[0][0]


class Cursor:
    """Runs statements on the DBAPI cursor of a Connection in a transaction.

    The Connection owns the transaction; leave it (commit or roll back)
    through the Connection. Driver errors are raised as SQLAlchemy's
    DBAPIError subclasses, as Connection.execute would.
    """

    def __init__(self, connection):
        self.dialect = connection.dialect
        self._cursor = connection.connection.dbapi_connection.cursor()
        self._errors = self.dialect.loaded_dbapi.Error

    def execute(self, statement, params=None):
        """Run ``statement`` with ``params`` (a dict, or a list of dicts
        for many rows); a Result."""
        compiled = _compiled(statement, self.dialect)
        try:
            if isinstance(params, list):
                self._cursor.executemany(
                    compiled.sql, [compiled.parameters(p) for p in params])
            else:
                self._cursor.execute(compiled.sql,
                                     compiled.parameters(params or {}))
        except self._errors as e:
            raise sa.exc.DBAPIError.instance(
                compiled.sql, params, e, self._errors) from e
        return Result(compiled, self._cursor)

    def close(self):
        self._cursor.close()
