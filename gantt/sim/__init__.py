"""A simulated cloud for Gantt: fake computes, a fake conductor, a report.

``gantt-sim`` and ``gantt-bench e2e`` drive a real scheduler through its
RPC API with these parts and measure what it decides.
"""
