"""Naive-UTC timestamps as the tables store them, and epoch conversion."""

import datetime


def utcnow():
    """Now, as a naive UTC datetime (what DateTime columns hold)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def to_epoch(value):
    """Seconds since the epoch for a stored naive-UTC datetime, or None."""
    if value is None:
        return None
    return value.replace(tzinfo=datetime.timezone.utc).timestamp()
