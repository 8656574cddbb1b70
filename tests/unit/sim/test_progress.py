"""The stderr progress bar: redrawn on a terminal, one line elsewhere."""

import io

import testtools

from gantt.sim import progress


class FakeTTY(io.StringIO):

    def isatty(self):
        return True


class TestProgress(testtools.TestCase):

    def test_pipe_gets_only_the_final_line(self):
        out = io.StringIO()
        bar = progress.Progress('load', 4, stream=out)
        for i in range(1, 5):
            bar.update(i)
        bar.finish('done')
        text = out.getvalue()
        self.assertEqual(1, text.count('\n'))
        self.assertNotIn('\r', text)
        self.assertIn('4/4', text)
        self.assertTrue(text.rstrip().endswith('done'))

    def test_terminal_redraws_in_place(self):
        out = FakeTTY()
        bar = progress.Progress('load', 2, stream=out, interval=0)
        bar.update(1)
        bar.update(2)
        bar.finish()
        text = out.getvalue()
        self.assertEqual(3, text.count('\r'))
        self.assertIn('[' + '#' * progress.WIDTH + ']', text)

    def test_never_goes_backwards(self):
        bar = progress.Progress('x', 10, stream=io.StringIO())
        bar.update(7)
        bar.update(3)
        self.assertEqual(7, bar.done)
