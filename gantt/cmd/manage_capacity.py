"""``gantt-manage capacity``: how many more instances of a flavor fit.

Asks a running scheduler (the capacity RPC: nothing is claimed) about each
flavor given as NAME:VCPUS:RAM_MB:DISK_GB::

    gantt-manage capacity --flavor m1.small:1:2048:20 \\
        --flavor m1.large:4:8192:80 [--extra-spec trait:CUSTOM_SSD=required]
        [--az AZ] [--project P] [--by cell,az,aggregate] [--hosts N]

and prints one line per flavor, then the totals per cell, availability
zone and aggregate. Exit status 0 when some instance of every flavor fits,
3 when one of them fits nowhere, 2 for bad arguments.
"""

from oslo_utils import uuidutils

from gantt.cmd import tables
from gantt import context

NONE_FIT = 3
BAD_ARGS = 2
GROUPINGS = {'cell': ('by_cell', 'cell'), 'az': ('by_az', 'zone'),
             'aggregate': ('by_aggregate', 'aggregate')}


class BadArgument(ValueError):
    pass


def parse_flavor(text):
    """(name, vcpus, ram_mb, disk_gb) of NAME:VCPUS:RAM_MB:DISK_GB."""
    parts = text.split(':')
    if len(parts) != 4 or not parts[0]:
        raise BadArgument('--flavor %r: expected NAME:VCPUS:RAM_MB:DISK_GB, '
                          'e.g. m1.small:1:2048:20' % text)
    try:
        numbers = [int(p) for p in parts[1:]]
    except ValueError:
        raise BadArgument('--flavor %r: VCPUS, RAM_MB and DISK_GB are whole '
                          'numbers' % text)
    if any(n < 0 for n in numbers):
        raise BadArgument('--flavor %r: amounts cannot be negative' % text)
    return (parts[0],) + tuple(numbers)


def parse_extra_specs(items):
    out = {}
    for item in items or ():
        key, sep, value = item.partition('=')
        if not sep or not key:
            raise BadArgument('--extra-spec %r: expected KEY=VALUE' % item)
        out[key] = value
    return out


def parse_groupings(text):
    names = [n.strip() for n in (text or '').split(',') if n.strip()]
    unknown = [n for n in names if n not in GROUPINGS]
    if unknown:
        raise BadArgument('--by %s: choose among %s' % (
            ','.join(unknown), ', '.join(GROUPINGS)))
    return names


def build_spec(flavor, extra_specs, az=None, project='gantt-manage'):
    from gantt import objects
    objects.register_all()
    name, vcpus, ram, disk = flavor
    spec = objects.RequestSpec(
        instance_uuid=uuidutils.generate_uuid(), project_id=project,
        user_id='gantt-manage', num_instances=1,
        flavor=objects.Flavor(name=name, vcpus=vcpus, memory_mb=ram,
                              root_gb=disk, ephemeral_gb=0, swap=0,
                              extra_specs=dict(extra_specs)),
        image=objects.ImageMeta(properties=objects.ImageMetaProps()))
    if az:
        spec.availability_zone = az
    return spec


def _limits(answer):
    limited = answer.get('limited_by') or {}
    if answer.get('refused'):
        return 'refused: %s' % answer['refused']
    text = ', '.join('%s on %d' % (rc, n) for rc, n in limited.items())
    if not answer.get('exact', True):
        text = (text + ', ' if text else '') + 'at least (tree count capped)'
    return text or '-'


def format_answers(answers, groupings=(), hosts=0):
    """The capacity answers [(flavor, answer)] as tables."""
    out = [tables.table(
        ('flavor', 'vcpus', 'ram_mb', 'disk_gb', 'fits', 'hosts',
         'limited by (hosts)'),
        [(f[0], f[1], f[2], f[3], a['total'],
          '%d/%d' % (a['fitting'], a['passed']), _limits(a))
         for f, a in answers])]
    for grouping in groupings:
        key, title = GROUPINGS[grouping]
        names = []
        counts = {}
        for flavor, answer in answers:
            for entry in answer.get(key) or ():
                label = entry['name'] or entry.get('uuid') or '-'
                if label not in counts:
                    names.append(label)
                    counts[label] = {}
                counts[label][flavor[0]] = entry['instances']
        if not names:
            continue
        out += ['', tables.table(
            (title,) + tuple(f[0] for f, _a in answers),
            [(label,) + tuple(counts[label].get(f[0], 0)
                              for f, _a in answers) for label in names])]
    if hosts:
        for flavor, answer in answers:
            out += ['', tables.table(
                ('host', 'node', flavor[0]),
                [(h['host'], h['nodename'] or '-', h['instances'])
                 for h in answer.get('hosts') or ()])]
    return '\n'.join(out)


def capacity(conf):
    from gantt import rpc
    from gantt.rpcapi import scheduler as scheduler_rpcapi
    args = conf.category
    try:
        flavors = [parse_flavor(f) for f in args.flavor or ()]
        if not flavors:
            raise BadArgument('give at least one --flavor '
                              'NAME:VCPUS:RAM_MB:DISK_GB')
        extra_specs = parse_extra_specs(args.extra_spec)
        groupings = parse_groupings(args.by)
    except BadArgument as e:
        print('gantt-manage capacity: %s' % e)
        return BAD_ARGS
    transport = rpc.get_transport(conf)
    answers = []
    try:
        api = scheduler_rpcapi.SchedulerAPI(conf, transport)
        ctxt = context.get_admin_context()
        for flavor in flavors:
            spec = build_spec(flavor, extra_specs, args.az, args.project)
            answers.append((flavor, api.capacity(ctxt, spec,
                                                 limit=args.hosts)))
    finally:
        transport.cleanup()
    print(format_answers(answers, groupings, args.hosts))
    return 0 if all(a['total'] for _f, a in answers) else NONE_FIT


def add_command_parsers(subparsers):
    p = subparsers.add_parser(
        'capacity', help='Ask a running scheduler how many more instances '
                         'of each flavor fit; nothing is claimed.')
    p.add_argument('--flavor', action='append', default=[],
                   metavar='NAME:VCPUS:RAM_MB:DISK_GB',
                   help='A flavor to count (repeat to compare several).')
    p.add_argument('--extra-spec', action='append', default=[],
                   metavar='KEY=VALUE',
                   help='A flavor extra spec for every flavor (repeat), '
                        'e.g. trait:CUSTOM_SSD=required or '
                        'resources1:VGPU=1.')
    p.add_argument('--az', default=None, help='Availability zone asked for.')
    p.add_argument('--project', default='gantt-manage',
                   help='Project the request is made for (tenant '
                        'isolation looks at it).')
    p.add_argument('--by', default='cell,az,aggregate',
                   help='Totals to print, comma separated among cell, az, '
                        'aggregate (default all; empty for none).')
    p.add_argument('--hosts', type=int, default=0,
                   help='Also list the N hosts with most room per flavor.')
    p.set_defaults(func=capacity)
