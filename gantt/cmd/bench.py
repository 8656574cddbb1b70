"""gantt-bench: measure Gantt's parts (``gantt-bench engine --hosts N``).

One subcommand per benchmark, each a small function that builds the
configuration and hands over to gantt.bench.<name>.
"""

import argparse
import sys

from gantt import conf as gantt_conf


def _conf(args):
    argv = []
    for path in args.config_file or ():
        argv += ['--config-file', path]
    return gantt_conf.build_conf(argv)


def engine(args):
    """Decision latency over synthetic hosts, optionally against nova."""
    from gantt.bench import engine as engine_bench
    return engine_bench.main(_conf(args), args)


def candidates(args):
    """Decision latency with allocation candidates over provider trees."""
    from gantt.bench import candidates as candidates_bench
    return candidates_bench.main(_conf(args), args)


def _add_engine(subparsers):
    p = subparsers.add_parser(
        'engine', help='time filter+weigh decisions over synthetic hosts')
    p.add_argument('--hosts', type=int, required=True,
                   help='number of synthetic compute nodes')
    p.add_argument('--requests', type=int, default=200,
                   help='single-instance requests to time (default 200)')
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--compare-nova', action='store_true',
                   help='also time nova 34 filters and weighers on the '
                        'same hosts, in a subprocess')
    p.add_argument('--nova-python', default=None,
                   help='interpreter of a virtualenv with nova installed '
                        '(default: $GANTT_NOVA_PYTHON)')
    p.add_argument('--nova-requests', type=int, default=None,
                   help='requests timed on the nova side (default: fewer '
                        'as hosts grow, at least 5)')
    p.add_argument('--profile', action='store_true',
                   help='print a cProfile of the Gantt side')
    p.add_argument('--json', action='store_true',
                   help='print one JSON object')
    p.set_defaults(func=engine)


def parser():
    p = argparse.ArgumentParser(prog='gantt-bench', description=__doc__)
    p.add_argument('--config-file', action='append',
                   help='Gantt configuration file (repeatable)')
    subparsers = p.add_subparsers(dest='command', required=True)
    _add_engine(subparsers)
    from gantt.bench import candidates as candidates_bench
    candidates_bench.add_parser(subparsers, func=candidates)
    # The e2e benchmark registers its own options (owned by gantt.bench.e2e).
    from gantt.bench import e2e
    e2e.add_parser(subparsers)
    from gantt.bench import reports as reports_bench
    reports_bench.add_parser(subparsers)
    from gantt.bench import claims as claims_bench
    claims_bench.add_parser(subparsers)
    from gantt.bench import verdicts
    verdicts.add_parser(subparsers)
    from gantt.bench import numa as numa_bench
    numa_bench.add_parser(subparsers)
    return p


def main(argv=None):
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
