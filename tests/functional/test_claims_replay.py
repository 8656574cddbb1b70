"""A conductor that asks again after a lost reply gets the same decision.

Through a 2-worker gantt-scheduler on RabbitMQ, on SQLite and PostgreSQL:
select_destinations for instances that already hold the claim of an earlier
call for the same request answers the earlier selections (same hosts,
allocations and alternates), whichever worker takes the call, and claims
nothing more. A different request, or a released claim, is decided anew.
"""

import uuid

from tests.functional import claims_base

HOSTS = ['compute-%d' % i for i in range(4)]


class TestReplayedDecisions(claims_base.ClaimsTestCase):

    def setUp(self):
        super().setUp()
        self.save_nodes([claims_base.node(h, vcpus=8, memory_mb=16384,
                                          local_gb=200) for h in HOSTS])
        self.wait_for_workers()

    def ask(self, spec, uuids):
        return self.scheduler.select_destinations(
            self.ctxt, spec, uuids, return_alternates=True)

    @staticmethod
    def answer(result):
        return [[(s.service_host, s.nodename, s.allocation_request)
                 for s in sels] for sels in result]

    def test_same_call_again_answers_the_earlier_claims(self):
        uuids = [str(uuid.uuid4()) for _ in range(3)]
        spec = self.spec(num_instances=3)
        first = self.ask(spec, uuids)
        ledger = self.ledger()
        # Several times, so both workers answer at least once in all
        # likelihood; every answer is the first one.
        for _ in range(4):
            self.assertEqual(self.answer(first),
                             self.answer(self.ask(spec, uuids)))
        self.assertEqual(ledger, self.ledger())
        self.assertEqual(set(uuids), self.consumer_uuids())
        self.assert_books_balance()
        self.assertGreater(len(first[0]), 1, 'alternates were answered')

    def test_another_request_for_the_instances_is_decided_anew(self):
        uuids = [str(uuid.uuid4())]
        self.ask(self.spec(vcpus=1), uuids)
        second = self.ask(self.spec(vcpus=2), uuids)
        self.assert_holds(uuids[0], *self.claimed(second[0][0]))
        self.assert_books_balance()

    def test_released_claim_is_decided_anew(self):
        uuids = [str(uuid.uuid4())]
        spec = self.spec()
        first = self.ask(spec, uuids)
        self.assertTrue(self.scheduler.delete_allocations(self.ctxt,
                                                          uuids[0]))
        self.assert_holds_nothing(uuids[0])
        second = self.ask(spec, uuids)
        self.assert_holds(uuids[0], *self.claimed(second[0][0]))
        self.assertEqual(len(first), len(second))
        self.assert_books_balance()
