import json
import os
import shutil
import unittest

import numpy as np
import pandas as pd

import emergence
from tests import fixtures


class RunTest(unittest.TestCase):
    def test_an_encoder_run_loads_into_tidy_frames(self):
        run = emergence.load_run(fixtures.get("run-minilm"))
        self.assertTrue(run.complete)
        self.assertEqual(list(run.table.columns), emergence.EMERGENCE_COLUMNS)
        t = run.summary["dataset"]["t"]
        E = run.E
        self.assertEqual(len(E), 2 * t)
        self.assertEqual(list(E.columns[:3]), ["layer", "position", "token"])
        self.assertEqual(str(E["layer"].dtype), "Int64")
        self.assertTrue((E["ci_low"] <= E["value"]).all() and (E["value"] <= E["ci_high"]).all())
        self.assertTrue((E["n"] == 40).all() and (E["interval"] == "jackknife").all() and (E["groups"] == 20).all())
        # the summary's numbers exactly, and its token labels
        self.assertEqual(float(run.IE["value"]), run.summary["IE"]["bits"])
        self.assertEqual(E[(E.layer == 1) & (E.position == 0)]["token"].item(), "[CLS]")
        self.assertEqual(E[(E.layer == 1) & (E.position == 1)]["token"].item(), "")
        self.assertEqual(run.position_labels[1], "entity")
        grid = run.E_grid()
        self.assertEqual(grid.shape, (2, t))
        self.assertAlmostEqual(grid.loc[2, 5], run.summary["E"][1][5]["bits"], places=12)
        self.assertEqual(len(run.E_layer), 2)
        self.assertEqual(len(run.IE_t), t)
        # results.csv: one row per macro and micro MI, numbers as floats
        self.assertEqual(len(run.mis), 2 * 2 * t)
        self.assertEqual(set(run.mis["level"]), {"macro", "micro"})
        self.assertEqual(run.mis["mi_bits"].dtype, np.float64)

    def test_the_table_is_the_summary_java_and_python_agree(self):
        for name in ("run-minilm", "run-tinylm"):
            run = emergence.load_run(fixtures.get(name))
            pd.testing.assert_frame_equal(emergence.table_from_summary(run.summary), run.table)

    def test_a_causal_run_has_the_context_variant(self):
        run = emergence.load_run(fixtures.get("run-tinylm"))
        self.assertIn("IE_context", set(run.table["quantity"]))
        self.assertEqual(len(run.quantity("E_context")), run.summary["dataset"]["t"])
        # relative to untrained twins (the default): the raw IE, each twin's (by seed) and their mean are rows too
        twins = run.quantity("IE_twin")
        self.assertEqual(list(twins["twin"]), [str(x) for x in run.summary["null"]["seeds"]])
        raw, mean = run.quantity("IE_raw")["value"].item(), run.quantity("IE_twins_mean")["value"].item()
        self.assertAlmostEqual(float(run.IE["value"]), raw - mean, places=9)
        self.assertEqual(len(run.quantity("E_raw")), run.summary["dataset"]["t"])
        micro = run.quantity("E_layer_micro")
        self.assertEqual(len(micro), 1)
        with self.assertRaises(emergence.EmergenceError) as e:
            run.quantity("IE_null")
        self.assertIn("no quantity 'IE_null'", str(e.exception))

    def test_latest_run_finds_the_newest_finished_run(self):
        base = fixtures.scratch("latest-")
        runs = os.path.join(base, "runs")
        shutil.copytree(fixtures.get("run-minilm"), os.path.join(runs, "a"))
        shutil.copytree(fixtures.get("run-tinylm"), os.path.join(runs, "b"))
        os.utime(os.path.join(runs, "a", "summary.json"), (1, 1))
        self.assertEqual(emergence.latest_run(runs), os.path.join(runs, "b"))
        with self.assertRaises(emergence.EmergenceError):
            emergence.latest_run(os.path.join(base, "nothing"))


class DocsTest(unittest.TestCase):
    """Every ```python block of docs/python.md runs, in a directory whose runs/ holds a finished run."""

    def test_the_documented_examples_run(self):
        docs = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs", "python.md")
        with open(docs, encoding="utf-8") as f:
            text = f.read()
        blocks = [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]
        self.assertTrue(blocks, "docs/python.md has python examples")
        base = fixtures.scratch("docs-")
        shutil.copytree(fixtures.get("run-minilm"), os.path.join(base, "runs", "minilm-icl_animal-00000000"))
        shutil.copytree(fixtures.get("study"), os.path.join(base, "studies", "ablations-tinylm"))
        shutil.copytree(fixtures.get("validate"), os.path.join(base, "validate", "tinylm"))
        shutil.copytree(fixtures.get("acts"), os.path.join(base, "acts"))
        cwd = os.getcwd()
        os.chdir(base)
        try:
            scope = {}
            for b in blocks:
                if b.lstrip().startswith("# not run"):
                    continue
                exec(compile(b.replace('sys.path[:0] = ["python"]', "pass"), "docs/python.md", "exec"), scope)
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    unittest.main()
