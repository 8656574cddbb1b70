"""``gantt-manage explain``: why a request would fail, or where it would go.

Asks a running scheduler (the explain RPC: no claim is made) about a
request built from the flavor given on the command line::

    gantt-manage explain --vcpus 4 --memory-mb 8192 --disk-gb 40 [--az AZ]

and prints what each filter removed, then the best ranked hosts. Exit
status 0 when some host would take the request, 3 when none would.
"""

from oslo_utils import uuidutils

from gantt.cmd import tables
from gantt import context

NO_HOST = 3


def build_spec(args):
    from gantt import objects
    objects.register_all()
    spec = objects.RequestSpec(
        instance_uuid=uuidutils.generate_uuid(),
        project_id=args.project, user_id='gantt-manage', num_instances=1,
        flavor=objects.Flavor(
            name=args.flavor_name, vcpus=args.vcpus,
            memory_mb=args.memory_mb, root_gb=args.disk_gb, ephemeral_gb=0,
            swap=0, extra_specs={}))
    if args.az:
        spec.availability_zone = args.az
    return spec


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
        out += ['', tables.table(
            ('rank', 'host', 'node', 'weight'),
            [(i + 1, h['host'], h['nodename'] or '-', '%.4f' % h['weight'])
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
    transport = rpc.get_transport(conf)
    try:
        api = scheduler_rpcapi.SchedulerAPI(conf, transport)
        answer = api.explain(context.get_admin_context(), build_spec(args),
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
    p.add_argument('--limit', type=int, default=5,
                   help='Ranked hosts to show (default 5).')
    p.set_defaults(func=explain)
