"""``gantt-manage explain``: why a request would fail, or where it would go.

Asks a running scheduler (the explain RPC: no claim is made) about a
request built from the flavor given on the command line::

    gantt-manage explain --vcpus 4 --memory-mb 8192 --disk-gb 40 [--az AZ]
        [--extra-spec hw:cpu_policy=dedicated ...]

and prints what each filter removed, then the best ranked hosts (with the
guest NUMA topology and PCI devices each would give a request that asks
for them). Exit status 0 when some host would take the request, 3 when
none would, 2 for a malformed argument.
"""

from oslo_utils import uuidutils

from gantt.cmd import manage_capacity
from gantt.cmd import tables
from gantt import context

NO_HOST = 3
BAD_ARGS = 2


def build_spec(args):
    from gantt import objects
    objects.register_all()
    spec = objects.RequestSpec(
        instance_uuid=uuidutils.generate_uuid(),
        project_id=args.project, user_id='gantt-manage', num_instances=1,
        flavor=objects.Flavor(
            name=args.flavor_name, vcpus=args.vcpus,
            memory_mb=args.memory_mb, root_gb=args.disk_gb, ephemeral_gb=0,
            swap=0, extra_specs=manage_capacity.parse_extra_specs(
                getattr(args, 'extra_spec', None))),
        image=objects.ImageMeta(properties=objects.ImageMetaProps()))
    if args.az:
        spec.availability_zone = args.az
    return spec


def numa_text(topology):
    """'cell 0->0 pins 0:2,1:3 pages 2048 KiB; nic 0000:81:00.1' of an
    explain host's numa_topology dict."""
    if not topology:
        return '-'
    parts = []
    for cell in topology.get('cells') or ():
        text = 'cell %s->%s' % (cell['id'], cell['host_cell'])
        pins = cell.get('cpu_pinning') or {}
        if pins:
            text += ' pins ' + ','.join(
                '%s:%s' % (v, p) for v, p in sorted(
                    pins.items(), key=lambda i: int(i[0])))
        if cell.get('pagesize'):
            text += ' pages %s KiB' % cell['pagesize']
        parts.append(text)
    for alias, addresses in sorted(
            (topology.get('pci_devices') or {}).items()):
        parts.append('%s %s' % (alias, ','.join(addresses)))
    return '; '.join(parts)


def format_answer(answer):
    """The explain answer as two tables and a verdict line."""
    stages = answer.get('filters') or []
    hosts = answer.get('hosts') or []
    out = ['%d hosts considered%s.' % (
        answer.get('considered') or 0,
        ' (forced hosts: filters skipped)' if answer.get('forced') else '')]
    if stages:
        out += ['', tables.table(
            ('stage', 'removed', 'remaining', 'why removed'),
            [(s['name'], s['removed'], s['remaining'], s['reason'] or '')
             for s in stages])]
    if hosts:
        numa = any(h.get('numa_topology') for h in hosts)
        out += ['', tables.table(
            ('rank', 'host', 'node', 'weight') + (
                ('NUMA/PCI fitted',) if numa else ()),
            [(i + 1, h['host'], h['nodename'] or '-', '%.4f' % h['weight'])
             + ((numa_text(h.get('numa_topology')),) if numa else ())
             for i, h in enumerate(hosts)])]
    out.append('')
    if hosts:
        out.append('The request would be placed (best host %s).'
                   % hosts[0]['host'])
    else:
        emptied = next((s for s in stages if s['remaining'] == 0), None)
        out.append('No host would take the request: %s.' % (
            '%s removed the last %d (%s)' % (
                emptied['name'], emptied['removed'], emptied['reason'])
            if emptied else 'no host is known' if not answer.get(
                'considered') else 'no host had room for an allocation'))
    return '\n'.join(out)


def explain(conf):
    from gantt import rpc
    from gantt.rpcapi import scheduler as scheduler_rpcapi
    args = conf.category
    try:
        spec = build_spec(args)
    except manage_capacity.BadArgument as e:
        print('gantt-manage explain: %s' % e)
        return BAD_ARGS
    transport = rpc.get_transport(conf)
    try:
        api = scheduler_rpcapi.SchedulerAPI(conf, transport)
        answer = api.explain(context.get_admin_context(), spec,
                             limit=args.limit)
    finally:
        transport.cleanup()
    print(format_answer(answer))
    return 0 if answer.get('hosts') else NO_HOST


def add_command_parsers(subparsers):
    p = subparsers.add_parser(
        'explain', help='Ask a running scheduler why a request would fail '
                        '(or where it would go); nothing is claimed.')
    p.add_argument('--vcpus', type=int, default=1)
    p.add_argument('--memory-mb', type=int, default=512)
    p.add_argument('--disk-gb', type=int, default=1)
    p.add_argument('--az', default=None, help='Availability zone asked for.')
    p.add_argument('--project', default='gantt-manage',
                   help='Project the request is made for (tenant '
                        'isolation filters look at it).')
    p.add_argument('--flavor-name', default='explain')
    p.add_argument('--extra-spec', action='append', default=[],
                   metavar='KEY=VALUE',
                   help='A flavor extra spec (repeat), e.g. '
                        'hw:cpu_policy=dedicated, hw:mem_page_size=large or '
                        'pci_passthrough:alias=nic:1.')
    p.add_argument('--limit', type=int, default=5,
                   help='Ranked hosts to show (default 5).')
    p.set_defaults(func=explain)
