import os
import unittest

import numpy as np

import emergence
from tests import fixtures


class ActsTest(unittest.TestCase):
    def test_read_what_run_save_acts_wrote(self):
        a = emergence.read_acts(fixtures.get("acts"))
        self.assertEqual(a.measurable_blocks, [1])
        self.assertEqual(a.hidden(1).shape, (a.n, a.t, a.hidden_size))
        self.assertEqual(a.micro_hidden(2).shape, (a.micro_items.shape[0], a.hidden_size))
        self.assertEqual(a.n, 24)
        with self.assertRaises(emergence.EmergenceError):
            a.hidden(5)

    def test_a_layout_written_from_python_measures_like_the_run(self):
        a = emergence.read_acts(fixtures.get("acts"))
        out = os.path.join(fixtures.scratch("acts-"), "layout")
        emergence.write_acts(out, np.array(a.tokens), {l: np.array(a.hidden(l)) for l in a.layers}, np.array(a.micro_items),
                             {l: np.array(a.micro_hidden(l)) for l in a.layers}, model=a.manifest["model"],
                             model_type=a.manifest["model_type"], causal=a.manifest["causal"],
                             micro_position=a.manifest["micro_position"], micro_specials=a.manifest["micro_specials"])
        direct = emergence.load_run(fixtures.get("run-saved"))
        measured = emergence.run(acts=out, out=os.path.join(os.path.dirname(out), "run"))
        # the same float32 states: every MI identical
        self.assertEqual(list(direct.mis["mi_bits"]), list(measured.mis["mi_bits"]))
        self.assertEqual(float(direct.IE["value"]), float(measured.IE["value"]))

    def test_a_broken_layout_is_named(self):
        a = emergence.read_acts(fixtures.get("acts"))
        out = os.path.join(fixtures.scratch("acts-bad-"), "layout")
        with self.assertRaises(emergence.EmergenceError) as e:
            emergence.write_acts(out, np.array(a.tokens), {1: np.zeros((3, 3, 4), np.float32)}, np.array(a.micro_items),
                                 {1: np.zeros((1, 4), np.float32)}, model="m", model_type="gpt2", causal=True)
        self.assertIn("hidden[1]: expected [N, T, H]", str(e.exception))
        self.assertFalse(os.path.exists(os.path.join(out, "manifest.json")))


class CliTest(unittest.TestCase):
    def test_a_cli_error_is_one_line(self):
        with self.assertRaises(emergence.EmergenceError) as e:
            emergence.run_cli("run", "--model", "no-such-model-here")
        self.assertIn("emergence: error:", str(e.exception))
        self.assertIn("no-such-model-here", str(e.exception))


if __name__ == "__main__":
    unittest.main()
