"""Benchmarks of Gantt's parts, run by the gantt-bench command."""
