"""Random worlds: the mask never loses a host that has a candidate, and
every candidate fits and honours its groups."""

import random

import testtools

from gantt import candidates
from tests.unit import trees

TRAITS = ['CUSTOM_A', 'CUSTOM_B']


def _world(rng):
    hosts, tree = [], {}
    for i in range(12):
        name = 'h%d' % i
        hosts.append(dict(name=name, vcpus=rng.choice([0, 4, 16]),
                          ram=4096, disk=rng.choice([0, 50])))
        kids = [{'uuid': 'uuid-' + name,
                 'traits': rng.sample(TRAITS, rng.randrange(3))}]
        for k in range(rng.randrange(4)):
            inv = {rc: trees.inv(rng.choice([1, 2, 4, 8]),
                                 used=rng.randrange(3))
                   for rc in rng.sample(['PCPU', 'VGPU', 'SRIOV_NET_VF'],
                                        rng.randrange(1, 3))}
            parent = rng.choice([p['uuid'] for p in kids])
            kids.append(trees.child('%s-c%d' % (name, k), parent, inv,
                                    rng.sample(TRAITS, rng.randrange(3))))
        tree[name] = kids
    sharing = [{'uuid': 'nfs', 'aggregates': ['agg1'],
                'inventories': {'DISK_GB': trees.inv(rng.choice([20, 80]))}}]
    aggs = [{'name': 'agg1', 'hosts': ['h%d' % i for i in range(0, 12, 2)]}]
    return trees.make_world(hosts, tree, sharing, aggs)


def _extra_specs(rng):
    specs = {}
    for n in range(1, rng.randrange(1, 4)):
        specs['resources%d:%s' % (n, rng.choice(['PCPU', 'VGPU']))] = str(
            rng.choice([1, 2]))
        if rng.random() < 0.3:
            specs['trait%d:%s' % (n, rng.choice(TRAITS))] = rng.choice(
                ['required', 'forbidden'])
    if rng.random() < 0.3:
        specs['resources:SRIOV_NET_VF'] = '1'
    if rng.random() < 0.3:
        specs['trait:%s' % rng.choice(TRAITS)] = 'required'
    specs['group_policy'] = rng.choice(['none', 'isolate'])
    return specs


class TestRandomWorlds(testtools.TestCase):

    def test_mask_is_necessary_and_candidates_fit(self):
        for seed in range(40):
            rng = random.Random(seed)
            hosts = _world(rng)
            groups = trees.groups(vcpus=rng.choice([0, 1]), ram=0,
                                  disk=rng.choice([0, 10]),
                                  extra_specs=_extra_specs(rng))
            finder = candidates.Finder(hosts, groups)
            mask = finder.mask()
            for row in hosts.rows():
                found = finder.for_row(row)
                if found:
                    self.assertTrue(mask[row], 'seed %d row %d' % (seed, row))
                for cand in found:
                    self._check(finder, row, cand, seed)

    def _check(self, finder, row, cand, seed):
        tree = {p.uuid: p for p in finder._tree(row)}
        for rp, res in cand.allocations.items():
            for rc, amount in res.items():
                self.assertLessEqual(amount, tree[rp].free(rc),
                                     'seed %d' % seed)
        numbered = []
        for group in finder.groups.numbered:
            [rp] = cand.mappings[group.suffix]
            numbered.append(rp)
            self.assertLessEqual(group.required, tree[rp].traits)
            self.assertFalse(group.forbidden & tree[rp].traits)
            for rc in group.resources:
                self.assertIn(rc, cand.allocations[rp])
        if finder.groups.group_policy == 'isolate':
            self.assertEqual(len(numbered), len(set(numbered)))
        wanted = {}
        for group in finder.groups.groups:
            for rc, n in group.resources.items():
                wanted[rc] = wanted.get(rc, 0) + n
        got = {}
        for res in cand.allocations.values():
            for rc, n in res.items():
                got[rc] = got.get(rc, 0) + n
        self.assertEqual(wanted, got, 'seed %d' % seed)
