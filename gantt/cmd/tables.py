"""Plain text tables for the operator commands: a header, aligned columns."""


def table(header, rows):
    """``header`` and ``rows`` (sequences of str) as left-aligned columns
    two spaces apart, trailing blanks removed."""
    lines = [tuple(header)] + [tuple(str(v) for v in row) for row in rows]
    widths = [max(len(line[i]) for line in lines)
              for i in range(len(header))]
    return '\n'.join('  '.join(v.ljust(w) for v, w in zip(line, widths))
                     .rstrip() for line in lines)
