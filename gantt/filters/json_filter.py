"""Pass hosts that satisfy a JSON query given as the `query` hint.

The query is a JSON list [operator, arg, ...] with the operators =, <, >,
<=, >=, in, not, or and and; an argument is a literal, a nested query or a
"$attribute" of the host ("$free_ram_mb", "$stats.key"). An argument that
resolves to nothing is dropped, so a comparison left with fewer than two
arguments is false. Mismatched types (a number against a string) compare
false. `not` yields the list of its negated arguments (true at the top
level when any is true; inside and/or, true when not empty), as in the
compute controller, so existing queries keep their meaning. A query that
does not parse or names an unknown operator is an InvalidHint.
"""

import json
import operator

import numpy as np

from gantt import exception
from gantt.filters import base
from gantt.filters import host_columns

HINT = 'query'
MAX_DEPTH = 64

_COMPARISONS = {'=': operator.eq, '<': operator.lt, '>': operator.gt,
                '<=': operator.le, '>=': operator.ge, 'in': operator.eq}
OPERATORS = frozenset(_COMPARISONS) | {'not', 'or', 'and'}


def _invalid(reason):
    return exception.InvalidHint(hint=HINT, reason=reason)


def _validate(query, depth=0):
    if depth > MAX_DEPTH:
        raise _invalid('nested deeper than %d levels' % MAX_DEPTH)
    if not isinstance(query, list):
        raise _invalid('expected a JSON list [operator, arg, ...], got %s'
                       % json.dumps(query))
    if not query:
        return
    op = query[0]
    if not isinstance(op, str) or op not in OPERATORS:
        raise _invalid('unknown operator %s; use one of %s'
                       % (json.dumps(op), ', '.join(sorted(OPERATORS))))
    for arg in query[1:]:
        if isinstance(arg, list):
            _validate(arg, depth + 1)


def parse(request):
    """The request's query as a checked JSON list, or None when none."""
    text = request.hint(HINT)
    if not text:
        return None
    if not isinstance(text, str):
        raise _invalid('expected one JSON string')
    try:
        query = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise _invalid('not valid JSON (%s)' % err)
    if not query:
        return None
    _validate(query)
    return query


def _safe(op, left, right):
    try:
        return bool(op(left, right))
    except TypeError:
        return False


# -- one host at a time (the reference) ----------------------------------

def resolve(text, view):
    """A string argument: a literal, or the host value "$a.b" names."""
    if not text:
        return None
    if not text.startswith('$'):
        return text
    path = text[1:].split('.')
    value = host_columns.attribute(view, path[0])
    for key in path[1:]:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _run(query, view):
    if not query:
        return True
    op = query[0]
    args = []
    for arg in query[1:]:
        if isinstance(arg, list):
            arg = _run(arg, view)
        elif isinstance(arg, str):
            arg = resolve(arg, view)
        if arg is not None:
            args.append(arg)
    if op == 'not':
        return [not arg for arg in args]
    if op == 'or':
        return any(args)
    if op == 'and':
        return all(args)
    if len(args) < 2:
        return False
    compare = _COMPARISONS[op]
    if op == 'in':
        return any(_safe(compare, args[0], arg) for arg in args[1:])
    return all(_safe(compare, args[0], arg) for arg in args[1:])


def host_satisfies(query, view):
    result = _run(query, view)
    if isinstance(result, list):
        result = any(result)
    return bool(result)


# -- every row at once --------------------------------------------------

class _Const(object):
    """The same value on every row (None: absent everywhere)."""

    def __init__(self, value):
        self.value = value

    def numeric(self):
        value = self.value
        return (isinstance(value, (bool, float)) or
                (isinstance(value, int) and abs(value) < 2 ** 53))

    def present(self, n):
        return np.full(n, self.value is not None)

    def data(self, n):
        return self.value

    def objects(self, n):
        return [self.value] * n

    def truthy(self, n):
        return np.full(n, bool(self.value))


class _Column(object):
    """One value per row, with the rows where it is present."""

    def __init__(self, values, present):
        self.values = values
        self._present = present

    def numeric(self):
        return self.values.dtype.kind in 'biuf'

    def present(self, n):
        return self._present

    def data(self, n):
        return self.values

    def objects(self, n):
        return self.values.tolist()

    def truthy(self, n):
        if self.values.dtype == bool:
            return self.values
        if self.numeric():
            return self.values != 0
        return np.array([bool(v) for v in self.values], dtype=bool)


class _Negations(object):
    """What `not` returns: per row, the list of its negated arguments."""

    def __init__(self, items):
        self.items = items          # [(negation, present)] per argument

    def numeric(self):
        return False

    def present(self, n):
        return np.ones(n, dtype=bool)

    def objects(self, n):
        return [[bool(neg[row]) for neg, present in self.items
                 if present[row]] for row in range(n)]

    def truthy(self, n):
        out = np.zeros(n, dtype=bool)
        for _neg, present in self.items:
            out |= present
        return out

    def any(self, n):
        out = np.zeros(n, dtype=bool)
        for neg, present in self.items:
            out |= neg & present
        return out


def _column(values):
    values = host_columns.as_objects(values)
    return _Column(values, np.array([v is not None for v in values],
                                    dtype=bool))


def _variable(hosts, text):
    n = hosts.n
    path = text[1:].split('.')
    name = path[0]
    if len(path) == 1:
        values = host_columns.column(hosts, name)
        if values is not None:
            if values.dtype == object:
                return _column(values)
            return _Column(values, np.ones(n, dtype=bool))
    elif name == 'metrics' and len(path) == 2:
        values = hosts.metrics.get(path[1])
        if values is None:
            return _Const(None)
        values = values[:n]
        return _Column(values, ~np.isnan(values))
    elif name == 'stats' and len(path) == 2:
        return _column([stats.get(path[1])
                        for stats in host_columns.stats_values(hosts)])
    return _column([resolve(text, hosts.view(row)) for row in range(n)])


_SCALARS = (str, int, float, bool)


def _elementwise(arg):
    """Whether numpy may apply a Python operator to `arg` element-wise."""
    if isinstance(arg, _Const):
        return isinstance(arg.value, _SCALARS)
    return isinstance(arg, _Column)


def _pairwise(op, left, right, n):
    """op(left, right) on every row, False where the types do not mix."""
    if left.numeric() and right.numeric():
        result = op(left.data(n), right.data(n))
        return np.broadcast_to(np.asarray(result, dtype=bool), (n,)).copy()
    if (_elementwise(left) and _elementwise(right)
            and not (left.numeric() or right.numeric())):
        # numpy calls the Python operator row by row in C; a row whose
        # types do not mix raises, and then every row is compared safely.
        try:
            result = op(left.data(n), right.data(n))
            return np.broadcast_to(np.asarray(result, dtype=bool),
                                   (n,)).copy()
        except TypeError:
            pass
    return np.array([_safe(op, a, b) for a, b in
                     zip(left.objects(n), right.objects(n))], dtype=bool)


def _compare(op_name, args, n):
    compare = _COMPARISONS[op_name]
    present = [arg.present(n) for arg in args]
    count = np.sum(present, axis=0) if args else np.zeros(n)
    enough = count >= 2
    result = np.zeros(n, dtype=bool)
    earlier = np.zeros(n, dtype=bool)
    # On each row the first present argument is compared with the later
    # present ones; which argument is first may differ from row to row.
    for i, first in enumerate(args):
        is_first = present[i] & ~earlier & enough
        if is_first.any():
            later = args[i + 1:]
            if op_name == 'in':
                ok = np.zeros(n, dtype=bool)
                for j, arg in enumerate(later, i + 1):
                    ok |= present[j] & _pairwise(compare, first, arg, n)
            else:
                ok = np.ones(n, dtype=bool)
                for j, arg in enumerate(later, i + 1):
                    ok &= ~present[j] | _pairwise(compare, first, arg, n)
            result |= is_first & ok
        earlier |= present[i]
    return result


def _evaluate(query, hosts):
    n = hosts.n
    if not query:
        return _Column(np.ones(n, dtype=bool), np.ones(n, dtype=bool))
    op = query[0]
    args = []
    for arg in query[1:]:
        if isinstance(arg, list):
            args.append(_evaluate(arg, hosts))
        elif isinstance(arg, str) and arg.startswith('$'):
            args.append(_variable(hosts, arg))
        else:
            args.append(_Const(arg if arg != '' else None))
    everywhere = np.ones(n, dtype=bool)
    if op == 'not':
        return _Negations([(~arg.truthy(n), arg.present(n)) for arg in args])
    if op == 'and':
        out = np.ones(n, dtype=bool)
        for arg in args:
            out &= ~arg.present(n) | arg.truthy(n)
        return _Column(out, everywhere)
    if op == 'or':
        out = np.zeros(n, dtype=bool)
        for arg in args:
            out |= arg.present(n) & arg.truthy(n)
        return _Column(out, everywhere)
    return _Column(_compare(op, args, n), everywhere)


def rows_satisfying(query, hosts):
    result = _evaluate(query, hosts)
    if isinstance(result, _Negations):
        return result.any(hosts.n)
    return result.truthy(hosts.n).copy()


class JsonFilter(base.VectorFilter):
    """Hosts that satisfy the JSON query of the `query` hint."""

    # Free RAM and the like change as earlier instances are placed.
    run_filter_once_per_request = False
    reason = 'host does not satisfy the query hint'

    def host_passes(self, host_view, request):
        query = parse(request)
        return query is None or host_satisfies(query, host_view)

    def filter_mask(self, hosts, request):
        query = parse(request)
        if query is None:
            return base.all_rows(hosts)
        return rows_satisfying(query, hosts)
