"""The database and change-feed checks of gantt-status health."""

import testtools

from gantt.cmd import health


class FakeDatabase(object):
    url = 'sqlite:////tmp/x.sqlite'

    def __init__(self, seq=None, error=None):
        self.seq = seq
        self.error = error

    def current_seq(self, ctxt=None):
        if self.error:
            raise self.error
        return self.seq


class TestFeed(testtools.TestCase):

    def test_says_how_far_behind_the_pinged_worker_is(self):
        check = health.check_feed(FakeDatabase(seq=42),
                                  {'host': 'h', 'pid': 7, 'watermark': 40})
        self.assertTrue(check.ok)
        self.assertEqual({'seq': 42, 'behind': 2}, check.facts)
        self.assertIn('has read up to 40, 2 behind', check.detail)

    def test_without_a_ping_only_the_sequence(self):
        check = health.check_feed(FakeDatabase(seq=42))
        self.assertEqual('change sequence 42', check.detail)

    def test_unreadable_sequence_fails(self):
        check = health.check_feed(FakeDatabase(
            error=RuntimeError('no such table: changes\nmore')))
        self.assertFalse(check.ok)
        self.assertIn('RuntimeError: no such table: changes', check.detail)
        self.assertNotIn('more', check.detail)


class TestFormat(testtools.TestCase):

    def test_one_aligned_line_per_check(self):
        text = health.format_checks([
            health.Check('broker', health.FAIL, 'nobody'),
            health.Check('feed', health.OK, 'seq 1')])
        self.assertEqual('broker  FAIL  nobody\nfeed    OK    seq 1', text)
