"""Same verdicts as nova 34? Random clouds decided by both, compared.

For each seeded case from gantt.bench.clouds, Gantt's Scheduler (its real
filters and weighers, no store) and nova's own HostManager (through
nova_verdicts.py under nova's interpreter) decide every request. Per
request the comparison looks at the first instance's surviving hosts and
their ranking, and at the host picked for every instance. A difference is
shrunk (hosts, aggregates, request keys, filters and weighers dropped while
it persists) to a small case that can be printed and replayed.

``gantt-bench verdicts --clouds N --seed S`` prints the agreement figures.
"""

import copy
import json
import logging
import math

from gantt.bench import clouds
from gantt.bench import engine
from gantt.bench import nova_process
from gantt import conf as gantt_conf
from gantt import context
from gantt import exception
from gantt import host_manager
from gantt import objects
from gantt import scheduler

SCRIPT = 'nova_verdicts.py'
#: Weights this close (relative) are a tie: both sides sum the same
#: normalised terms, in their own order.
TIE = 1e-9
ASPECTS = ('survivors', 'first_pick', 'ranking', 'picks')


# -- Gantt's side -----------------------------------------------------------

def build_conf(case):
    conf = gantt_conf.build_conf([])
    for group, values in case['config'].items():
        for name, value in values.items():
            conf.set_override(name, value,
                              group=None if group == 'DEFAULT' else group)
    conf.set_override('default_availability_zone', case['default_az'])
    return conf


def request_spec(r):
    """Gantt's RequestSpec for request dict `r`."""
    f = r['flavor']
    spec = objects.RequestSpec(
        instance_uuid=r['instance_uuids'][0], project_id=r['project_id'],
        user_id=r['user_id'], availability_zone=r['availability_zone'],
        flavor=objects.Flavor(
            name=f['name'], flavorid=f['name'], vcpus=f['vcpus'],
            memory_mb=f['memory_mb'], root_gb=f['root_gb'],
            ephemeral_gb=f['ephemeral_gb'], swap=f['swap'],
            extra_specs=dict(f['extra_specs'])),
        image=objects.ImageMeta(
            id=r['image']['id'],
            properties=objects.ImageMetaProps.from_dict(
                r['image']['properties'])),
        num_instances=len(r['instance_uuids']),
        scheduler_hints={k: list(v) for k, v in r['hints'].items()},
        ignore_hosts=list(r['ignore_hosts']),
        force_hosts=list(r['force_hosts']),
        force_nodes=list(r['force_nodes']))
    g = r['group']
    if g is not None:
        spec.instance_group = objects.InstanceGroup(
            uuid=g['uuid'], name=g['name'], policy=g['policy'],
            rules=dict(g['rules']), members=list(g['members']),
            hosts=list(g['hosts']), project_id=g['project_id'])
    d = r['destination']
    if d is not None:
        dest = objects.Destination()
        for key in ('host', 'node', 'aggregates', 'allow_cross_cell_move'):
            if key in d:
                setattr(dest, key, d[key])
        if 'cell' in d:
            dest.cell_uuid = d['cell']
        spec.requested_destination = dest
    return spec


def gantt_verdicts(case):
    """Gantt's verdict on every request of `case`, in nova_verdicts' shape."""
    objects.register_all()
    conf = build_conf(case)
    state = engine.build_state(case, case['default_az'], case['now'])
    manager = host_manager.HostManager(conf, None)
    manager.state = state
    sched = scheduler.Scheduler(conf, None, manager,
                                clock=lambda: case['now'])
    ctxt = context.get_admin_context()
    out = []
    for r in case['requests']:
        explained = sched.explain(ctxt, request_spec(r))
        verdict = {
            'survivors': sorted(h['uuid'] for h in explained['hosts']),
            'ranking': [[h['uuid'], h['weight']]
                        for h in explained['hosts']],
            'picks': None}
        try:
            chosen = sched.select_destinations(
                ctxt, request_spec(r), r['instance_uuids'],
                return_alternates=False, dry_run=True)
            verdict['picks'] = [s[0].compute_node_uuid for s in chosen]
        except exception.NoValidHost:
            pass
        out.append(verdict)
    return out


# -- comparison -------------------------------------------------------------

def _tie_groups(ranking):
    """The ranking as a list of sets of uuids whose weights tie."""
    groups = []
    last = None
    for uuid, weight in ranking:
        if last is not None and math.isclose(weight, last, rel_tol=TIE,
                                             abs_tol=TIE):
            groups[-1].add(uuid)
        else:
            groups.append({uuid})
            last = weight
    return groups


def _first_pick(verdict):
    return verdict['picks'][0] if verdict['picks'] else None


def compare(gantt, nova):
    """{aspect: True when both agree} for one request's verdicts."""
    same_first = _first_pick(gantt) == _first_pick(nova)
    if not same_first and gantt['picks'] and nova['picks']:
        # Tied hosts: either is the same verdict.
        groups = _tie_groups(nova['ranking'])
        same_first = bool(groups) and {_first_pick(gantt),
                                       _first_pick(nova)} <= groups[0]
    same_picks = gantt['picks'] == nova['picks'] or (
        same_first and len(gantt['picks'] or ()) == 1
        and len(nova['picks'] or ()) == 1)
    return {'survivors': gantt['survivors'] == nova['survivors'],
            'first_pick': same_first,
            'ranking': (_tie_groups(gantt['ranking'])
                        == _tie_groups(nova['ranking'])),
            'picks': same_picks}


def _refills(case, request, picks):
    """Whether a host that `picks` fill is picked again by nova: nova's
    later instances weigh it among hosts placement would take, though
    it has no room left."""
    flavor = request['flavor']
    by_uuid = {h['uuid']: h for h in case['hosts']}
    taken = {}
    for uuid in picks:
        taken[uuid] = taken.get(uuid, 0) + 1
        if not clouds.has_room(by_uuid[uuid], flavor, taken[uuid] + 1):
            return True
    return False


def _tie_broken_otherwise(gantt, nova):
    """Whether the first pick that differs is a host nova weighed the same
    as its own pick for that instance (the rest then follow other hosts)."""
    for k, (g, n) in enumerate(zip(gantt['picks'], nova['picks'])):
        if g != n:
            return k < len(nova['tied']) and g in nova['tied'][k]
    return False


#: Differences doc/differences.md explains, each with the test that
#: recognises it: name -> (row of the table, test(case, request, gantt
#: verdict, nova verdict, differing aspects)).
ALLOWANCES = {
    'multi_instance_recheck': (
        'Multi-instance resource re-check',
        lambda case, r, g, n, aspects: (
            aspects == {'picks'} and n['picks'] is not None
            and g['picks'] is not None
            and _refills(case, r, n['picks'][:-1]))),
    'tie_order': (
        'Ties among later instances',
        lambda case, r, g, n, aspects: (
            aspects == {'picks'} and n['picks'] is not None
            and g['picks'] is not None
            and _tie_broken_otherwise(g, n))),
}


def excused(case, request, gantt, nova, same):
    """The allowance that explains the differing aspects, or None."""
    aspects = {a for a, ok in same.items() if not ok}
    for name, (row, test) in ALLOWANCES.items():
        if test(case, request, gantt, nova, aspects):
            return name
    return None


def run_both(cases, nova_python):
    """[(gantt verdicts, nova verdicts)] per case."""
    nova = nova_process.run(nova_python, SCRIPT, {'cases': cases})
    return [(gantt_verdicts(case), theirs)
            for case, theirs in zip(cases, nova['verdicts'])]


def differences(case, pairs):
    """[(request index, {aspect: same}, allowance or None)] for every
    request where some aspect differs."""
    out = []
    for i, (g, n) in enumerate(zip(*pairs)):
        same = compare(g, n)
        if not all(same.values()):
            out.append((i, same, excused(case, case['requests'][i], g, n,
                                         same)))
    return out


# -- shrinking --------------------------------------------------------------

def _without_hosts(case, drop):
    case = copy.deepcopy(case)
    gone = {case['hosts'][i]['uuid'] for i in drop}
    case['hosts'] = [h for h in case['hosts'] if h['uuid'] not in gone]
    names = {h['name'] for h in case['hosts']}
    for agg in case['aggregates']:
        agg['hosts'] = [n for n in agg['hosts'] if n in names]
    return case


def _suspects(case, pair):
    """Indices of the hosts the two verdicts disagree about."""
    gantt, nova = pair[0][0], pair[1][0]
    uuids = set(gantt['survivors']) ^ set(nova['survivors'])
    uuids |= set(gantt['picks'] or ()) | set(nova['picks'] or ())
    for ranking in (gantt['ranking'], nova['ranking']):
        uuids |= {u for u, _ in ranking[:2]}
    return [i for i, h in enumerate(case['hosts']) if h['uuid'] in uuids]


def _candidates(case, pair):
    """Smaller cases: only the hosts in dispute, chunks of hosts, then
    single items of everything."""
    n = len(case['hosts'])
    keep = set(_suspects(case, pair))
    if keep and len(keep) < n:
        yield _without_hosts(case, [i for i in range(n) if i not in keep])
    chunk = n // 2
    while chunk >= 1:
        for start in range(0, n, chunk):
            yield _without_hosts(case, range(start, min(n, start + chunk)))
        chunk //= 2
    zones = {r['availability_zone'] for r in case['requests']}
    for i in range(len(case['aggregates'])):
        if case['aggregates'][i]['metadata'].get('availability_zone') in zones:
            # A zone asked for stays known, as the generator makes it.
            continue
        c = copy.deepcopy(case)
        del c['aggregates'][i]
        yield c
    r = case['requests'][0]
    for part in ('extra_specs',):
        for key in list(r['flavor'][part]):
            c = copy.deepcopy(case)
            del c['requests'][0]['flavor'][part][key]
            yield c
    for key in list(r['image']['properties']):
        c = copy.deepcopy(case)
        del c['requests'][0]['image']['properties'][key]
        yield c
    for key in list(r['hints']):
        c = copy.deepcopy(case)
        del c['requests'][0]['hints'][key]
        yield c
    for key, empty in (('group', None), ('destination', None),
                       ('availability_zone', None), ('ignore_hosts', []),
                       ('force_hosts', []), ('force_nodes', [])):
        if r[key] != empty:
            c = copy.deepcopy(case)
            c['requests'][0][key] = empty
            yield c
    if len(r['instance_uuids']) > 1:
        c = copy.deepcopy(case)
        c['requests'][0]['instance_uuids'] = r['instance_uuids'][:1]
        yield c
    fs = case['config']['filter_scheduler']
    for option in ('enabled_filters', 'enabled_weighers'):
        for name in fs[option]:
            if name not in (clouds.SHARED_FILTERS + clouds.SHARED_WEIGHERS):
                # Filters that stand for placement stay, as generated.
                continue
            c = copy.deepcopy(case)
            c['config']['filter_scheduler'][option] = [
                x for x in fs[option] if x != name]
            yield c
    for h in range(len(case['hosts'])):
        for key, empty in (('stats', {}), ('metrics', {}),
                           ('instances', [])):
            if case['hosts'][h][key]:
                c = copy.deepcopy(case)
                c['hosts'][h][key] = empty
                yield c


def _with_group_hosts(case):
    """`case` with each request's group hosts where its members are, as
    the generator makes them (shrinking moves instances away)."""
    where = {u: h['name'] for h in case['hosts'] for u in h['instances']}
    for r in case['requests']:
        if r['group'] is not None:
            r['group']['hosts'] = sorted({where[u] for u in
                                          r['group']['members']
                                          if u in where})
    return case


def shrink(case, index, nova_python, batch=48, rounds=60):
    """A smaller case whose one request still differs the same way."""
    case = dict(copy.deepcopy(case), requests=[case['requests'][index]])
    pair = run_both([case], nova_python)[0]
    want = {k for k, v in differences(case, pair)[0][1].items() if not v}
    for _ in range(rounds):
        progressed = False
        pending = [_with_group_hosts(c) for c in _candidates(case, pair)]
        size = 1
        while pending and not progressed:
            # One candidate first (the hosts in dispute often suffice),
            # then growing batches per nova process.
            trial, pending = pending[:size], pending[size:]
            size = min(batch, size * 4)
            for c, p in zip(trial, run_both(trial, nova_python)):
                found = differences(c, p)
                if found and found[0][2] is None and want <= {
                        k for k, v in found[0][1].items() if not v}:
                    case, pair, progressed = c, p, True
                    break
        if not progressed:
            break
    return case


def _compact(value):
    """`value` without empty containers, None and False, recursively."""
    if isinstance(value, dict):
        items = ((k, _compact(v)) for k, v in value.items())
        return {k: v for k, v in items
                if v not in (None, False, [], {}, '')}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def describe(case, pair=None):
    """The case and both verdicts, as JSON text; empty values are left
    out."""
    out = {'case': _compact(case)}
    if pair is not None:
        out['gantt'], out['nova'] = pair[0][0], pair[1][0]
    return json.dumps(out, sort_keys=True)


# -- the run ----------------------------------------------------------------

def run(clouds_count, seed, hosts, requests, nova_python, shrink_first=1):
    """Agreement over `clouds_count` random clouds; the differing requests
    shrunk (the first `shrink_first` of them)."""
    # Aggregates with bad metadata warn on every request.
    logging.getLogger('gantt').setLevel(logging.ERROR)
    totals = dict.fromkeys(ASPECTS, 0)
    count = 0
    found = []
    cases = [clouds.generate(seed + k, hosts, requests)
             for k in range(clouds_count)]
    excuses = {}
    for case, pairs in zip(cases, run_both(cases, nova_python)):
        for i, (g, n) in enumerate(zip(*pairs)):
            count += 1
            for aspect, ok in compare(g, n).items():
                totals[aspect] += ok
        for i, same, allowance in differences(case, pairs):
            if allowance:
                excuses[allowance] = excuses.get(allowance, 0) + 1
            else:
                found.append((case, i, same))
    shrunk = []
    for case, i, same in found[:shrink_first]:
        small = shrink(case, i, nova_python)
        shrunk.append((small, run_both([small], nova_python)[0]))
    return {'requests': count,
            'agree': {a: totals[a] / count * 100.0 if count else 100.0
                      for a in ASPECTS},
            'excused': excuses,
            'differences': [{'seed': c['seed'], 'request': i,
                             'differs': sorted(a for a, ok in s.items()
                                               if not ok)}
                            for c, i, s in found],
            'shrunk': [describe(c, p) for c, p in shrunk]}


def report_lines(report):
    a = report['agree']
    lines = ['%d requests: same survivors %.1f%%, same first pick %.1f%%, '
             'same ranking %.1f%%, same picks for every instance %.1f%%'
             % (report['requests'], a['survivors'], a['first_pick'],
                a['ranking'], a['picks'])]
    for name, n in sorted(report['excused'].items()):
        lines.append('%d differences are %s (doc/differences.md: %s)'
                     % (n, name, ALLOWANCES[name][0]))
    for d in report['differences']:
        lines.append('seed %(seed)d request %(request)d differs in '
                     '%(differs)s' % d)
    for text in report['shrunk']:
        lines.append('smallest case found:\n' + text)
    return lines


def add_parser(subparsers):
    p = subparsers.add_parser(
        'verdicts', help="compare Gantt's filter and weigher verdicts with "
                         "nova 34's over random clouds")
    p.add_argument('--clouds', type=int, default=10)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--hosts', type=int, default=200)
    p.add_argument('--requests', type=int, default=40,
                   help='requests per cloud')
    p.add_argument('--shrink', type=int, default=1,
                   help='differences to shrink to a small case and print')
    p.add_argument('--nova-python', default=None,
                   help='interpreter of a virtualenv with nova installed '
                        '(default: $%s)' % nova_process.NOVA_PYTHON_ENV)
    p.add_argument('--json', action='store_true')
    p.set_defaults(func=main)


def main(args):
    report = run(args.clouds, args.seed, args.hosts, args.requests,
                 nova_process.nova_python(args.nova_python), args.shrink)
    if args.json:
        print(json.dumps(report))
    else:
        print('\n'.join(report_lines(report)))
    return 1 if report['differences'] else 0
