"""A catalogue of names: a library's standard ones plus the custom ones a
table records (traits, resource classes)."""

import sqlalchemy as sa


class Catalogue(object):
    """``standard``: a callable giving the standard names; ``table``: the
    recorded names (a ``name`` column); ``pattern``: what a custom name
    matches; ``invalid(name, reason)``: the exception for a bad one."""

    def __init__(self, table, standard, pattern, invalid):
        self.table = table
        self.standard = standard
        self.pattern = pattern
        self.invalid = invalid

    def recorded(self, session):
        return set(session.execute(sa.select(self.table.c.name)).scalars())

    def exists(self, session, name):
        return name in self.standard() or session.execute(
            sa.select(self.table.c.id).where(self.table.c.name == name)
        ).first() is not None

    def create(self, session, name):
        """Record a custom name; True if it is new."""
        if not self.pattern.match(name or ''):
            raise self.invalid(name, 'only names matching %s can be created'
                               % self.pattern.pattern)
        if self.exists(session, name):
            return False
        session.execute(sa.insert(self.table).values(name=name))
        return True
