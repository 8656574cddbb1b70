"""Gantt: a standalone cloud scheduler with versioned RPC interfaces."""
