"""Turn run_placement_gabbits.py's JSON into doc/placement-api.md (how
many of placement's gabbi tests gantt-api passes, and why each of the
others fails) and into known_failures.json (what the functional test
expects to fail among the files it runs)::

    python -m tests.functional.gabbi.report RESULTS.json

Each failure is put under one reason, read from gabbi's assertion.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DOC = os.path.join(ROOT, 'doc', 'placement-api.md')
KNOWN = os.path.join(HERE, 'known_failures.json')

# The files the functional test runs: what nova's report client and the
# openstack CLI use (providers, inventories, traits, aggregates,
# allocations, usages, resource classes, reshaper, allocation candidates,
# microversions), who may call them (tokens, roles, scopes and
# placement's policy rules, old and new defaults), and every allocation
# candidates, granular and same_subtree file (the query as the
# scheduler's conductor and nova's computes ask it).
CHOSEN = (
    'aggregate.yaml', 'allocation-candidates.yaml',
    'allocation-candidates-any-traits-groups.yaml',
    'allocation-candidates-any-traits.yaml',
    'allocation-candidates-bug-1792503.yaml',
    'allocation-candidates-mappings-numa.yaml',
    'allocation-candidates-mappings-sharing.yaml',
    'allocation-candidates-member-of.yaml',
    'allocation-candidates-root-required.yaml', 'allocations-1-12.yaml',
    'allocations-1.28.yaml', 'allocations-bug-1778743.yaml',
    'allocations-bug-1779717.yaml', 'allocations-post.yaml',
    'allocations.yaml', 'basic-http.yaml', 'inventory.yaml',
    'microversion.yaml', 'reshaper.yaml', 'resource-classes.yaml',
    'resource-provider-aggregates.yaml', 'resource-provider-bug-1779818.yaml',
    'resource-provider-links.yaml', 'resource-provider.yaml',
    'shared-resources.yaml', 'traits.yaml', 'unicode.yaml', 'usage.yaml',
    'with-allocations.yaml', 'granular.yaml', 'granular-same-subtree.yaml',
    'same-subtree-deep.yaml', 'confirm-auth.yaml') + tuple(
        '%s-%s.yaml' % (resource, kind)
        for resource in ('aggregate', 'allocation-candidates', 'allocations',
                         'inventory', 'reshaper', 'resource-classes',
                         'resource-provider', 'traits', 'usage')
        for kind in ('policy', 'legacy-rbac', 'secure-rbac'))

# (reason, test) in order; the first that matches a failure names it.
REASONS = (
    # Placement answers 403 only for its policy: a test of any file
    # expecting one is about policy.
    ('policy', lambda f, why: (re.search(r'rbac|policy', f) and
                               "'403'" in why) or "['403']" in why,
     'roles and policy: a caller placement refuses is admitted, or one it '
     'admits is refused (gantt-api checks placement\'s rules, '
     'gantt/api/policies.py, with oslo.policy)'),
    # What gantt-api keeps doing otherwise, on purpose, in the files the
    # functional test runs.
    ('delete-generation', lambda f, why: f == 'allocations.yaml' and
     re.search(r'generation as \d+, got \d+', why),
     'provider generations after a delete: Gantt moves a provider\'s '
     'generation on when a consumer\'s allocations on it are deleted '
     '(DELETE /allocations/{consumer}, a move\'s or a claim\'s release); '
     'placement leaves it, so its later figures are one below Gantt\'s'),
    ('candidates', lambda f, why: re.search(
        r'allocation_requests|provider_summaries', why),
     'allocation candidates: Gantt answers from its scheduler\'s view '
     '(every root provider with inventory is a host there, with its tree '
     'and the sharing providers of its aggregates); a candidate whose '
     'count or summaries differ from placement\'s engine'),
    ('wording', lambda f, why: re.search(r"not found in \{", why),
     'error wording: the status (and code) match, the detail says what is '
     'wrong in gantt-api\'s words, not placement\'s (jsonschema\'s '
     '"JSON does not validate: ..." and the like)'),
    # gabbi says "'<status it got>' not found in ['<status expected>']".
    ('lenient', lambda f, why: re.search(
        r"'2\d\d' not found in \['4\d\d'\]", why),
     'accepted where placement refuses: gantt-api checks less of the '
     'request (schema limits, unknown query parameters or body fields, '
     'microversion-gated features)'),
    ('strict', lambda f, why: re.search(
        r"'4\d\d' not found in \['2\d\d'\]", why),
     'refused where placement accepts: a feature or form gantt-api does '
     'not serve (consumer types, ...)'),
    ('status', lambda f, why: re.search(
        r"'\d\d\d' not found in \['\d\d\d'\]", why),
     'another status: gantt-api answers a different error status for the '
     'same refusal (404 vs 400, 409 vs 400, ...)'),
    ('headers', lambda f, why: re.search(r'header', why, re.I),
     'headers: a response header placement sends (or its value) differs'),
    ('history', lambda f, why: re.search(r'unable to replace', why),
     'follows an earlier failure: the test reads a value ($LOCATION, '
     '$RESPONSE) of a test before it that failed'),
    ('content', lambda f, why: True,
     'response content differs'),
)


def reason(filename, why):
    for key, test, _text in REASONS:
        if test(filename, why):
            return key
    return 'content'


def summary(results):
    run = sum(r['run'] for r in results.values())
    failed = sum(len(r['failures']) for r in results.values())
    clean = sorted(f for f, r in results.items()
                   if r['run'] and not r['failures'])
    return run, run - failed, failed, clean


def write_doc(results):
    run, passed, failed, clean = summary(results)
    chosen = {f: r for f, r in results.items() if f in CHOSEN}
    c_run, c_passed, c_failed, _ = summary(chosen)
    lines = [
        '# placement\'s gabbi tests against gantt-api',
        '',
        'openstack-placement 16.0.0 ships its API tests as gabbi files '
        '(`placement/tests/functional/gabbits/`). '
        '`tests/functional/gabbi/run_placement_gabbits.py` runs them, '
        'unchanged, against gantt-api: each file under its own placement '
        'fixture (which fills a placement database with placement\'s own '
        'code), that database imported into a fresh Gantt store with '
        'import-nova\'s code, and gabbi\'s requests served by a gantt-api '
        'over that store, with placement\'s noauth2 (tokens, X-Roles, '
        'system scope) and the fixture\'s policy settings: '
        '[oslo_policy] enforce_new_defaults as the fixture sets it (the '
        '*-secure-rbac files run with the new defaults, the '
        '*-legacy-rbac ones with the old ones too) and, for '
        'OpenPolicyFixture, its open rules as a policy file. '
        'Regenerate this page with',
        '',
        '```',
        '.venv-nova/bin/python '
        'tests/functional/gabbi/run_placement_gabbits.py '
        '.venv/bin/python /tmp/gabbi > /tmp/gabbi.json',
        '.venv/bin/python -m tests.functional.gabbi.report /tmp/gabbi.json',
        '```',
        '',
        '## Result',
        '',
        '- All %d files: %d tests, **%d pass**, %d fail; %d files pass '
        'whole: %s.' % (len(results), run, passed, failed, len(clean),
                        ', '.join(clean)),
        '- The %d files `tests/functional/test_placement_gabbits.py` runs '
        '(what nova\'s report client and the openstack CLI use, and '
        'placement\'s policy and role files): %d tests, '
        '**%d pass**, %d fail. The test fails when any other test of them '
        'fails, and when one listed below starts passing '
        '(tests/functional/gabbi/known_failures.json, written with this '
        'page).' % (len(chosen), c_run, c_passed, c_failed),
        '',
        'nova\'s own SchedulerReportClient (tests/functional/'
        'test_nova_report_client.py) does everything a compute does against '
        'gantt-api; what fails below is placement\'s finer contract: its '
        'error wording, its schema limits, and features nova\'s '
        'computes do not use.',
        '',
        '## Why the others fail',
        '',
    ]
    by_reason = {}
    for f, r in sorted(results.items()):
        for test, why in sorted(r['failures'].items()):
            by_reason.setdefault(reason(f, why), []).append((f, test, why))
    for key, _t, text in REASONS:
        found = by_reason.get(key, [])
        if not found:
            continue
        lines += ['### %s (%d)' % (key, len(found)), '', text + '.', '']
        for f, test, why in found:
            lines.append('- `%s` %s: %s' % (f, test, why.replace(
                '|', '/')[:200]))
        lines.append('')
    lines += ['## Per file', '', '| file | run | pass | fail |',
              '|---|---|---|---|']
    for f, r in sorted(results.items()):
        lines.append('| %s%s | %d | %d | %d |' % (
            f, ' (tested)' if f in CHOSEN else '', r['run'],
            r['run'] - len(r['failures']), len(r['failures'])))
    with open(DOC, 'w') as out:
        out.write('\n'.join(lines) + '\n')


def write_known(results):
    known = {f: sorted(results[f]['failures']) for f in CHOSEN
             if f in results and results[f]['failures']}
    with open(KNOWN, 'w') as out:
        json.dump(known, out, indent=1, sort_keys=True)
        out.write('\n')


def main(path):
    with open(path) as f:
        results = json.load(f)
    write_doc(results)
    write_known(results)
    run, passed, failed, clean = summary(results)
    print('%d files, %d tests: %d pass, %d fail; wrote %s and %s'
          % (len(results), run, passed, failed, DOC, KNOWN))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
