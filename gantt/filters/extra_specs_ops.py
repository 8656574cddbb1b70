"""Match a host or aggregate value against an extra-spec requirement.

A requirement is either a plain string (string equality) or an operator
followed by operands: numeric `=` (at least), `==`, `!=`, `>=`, `<=`;
string `s==`, `s!=`, `s<`, `s<=`, `s>`, `s>=`; `<in>` (substring),
`<all-in>` (every operand is contained) and `<or>` (any operand equals).
"""

import operator

import numpy as np


def _numeric(op):
    def compare(value, operand):
        return op(float(value), float(operand))
    compare.array_op = op
    return compare


def _all_in(value, operands):
    return all(operand in value for operand in operands)


_OPERATORS = {
    '=': _numeric(operator.ge),
    '==': _numeric(operator.eq),
    '!=': _numeric(operator.ne),
    '>=': _numeric(operator.ge),
    '<=': _numeric(operator.le),
    's==': operator.eq,
    's!=': operator.ne,
    's<': operator.lt,
    's<=': operator.le,
    's>': operator.gt,
    's>=': operator.ge,
    '<in>': lambda value, operand: operand in value,
    '<all-in>': _all_in,
}

OR = '<or>'


def _any_of(value, words):
    # "<or> a <or> b": the operands sit at every other word.
    return value in words[0::2]


def match(value, req):
    """True when `value` satisfies requirement string `req`.

    A value that an operator cannot handle (a non-numeric value with a
    numeric operator, a missing operand) does not match.
    """
    words = req.split()
    op = words[0] if words else None
    if op != OR and op not in _OPERATORS:
        return value == req
    if value is None:
        return False
    operands = words[1:]
    if not operands:
        return False
    if op == OR:
        return _any_of(value, operands)
    try:
        if op == '<all-in>':
            return bool(_OPERATORS[op](value, operands))
        return bool(_OPERATORS[op](value, operands[0]))
    except (ValueError, TypeError):
        return False


def match_numbers(values, req):
    """match() over a numeric array at once, or None when `req` is not a
    numeric comparison (then match each distinct value instead)."""
    words = req.split()
    op = _OPERATORS.get(words[0]) if words else None
    array_op = getattr(op, 'array_op', None)
    if array_op is None or values.dtype.kind not in 'iuf':
        return None
    try:
        operand = float(words[1])
    except (IndexError, ValueError):
        return np.zeros(len(values), dtype=bool)
    with np.errstate(invalid='ignore'):
        return np.asarray(array_op(values.astype(np.float64), operand),
                          dtype=bool)
