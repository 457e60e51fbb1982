"""What is not a finished run, validate or study directory raises one clear error naming what is missing."""
import json
import os
import shutil
import unittest

import emergence
from tests import fixtures


class ErrorsTest(unittest.TestCase):
    def copy(self, name):
        d = os.path.join(fixtures.scratch("bad-"), name)
        shutil.copytree(fixtures.get(name), d)
        return d

    def assertError(self, call, *fragments):
        with self.assertRaises(emergence.EmergenceError) as e:
            call()
        msg = str(e.exception)
        self.assertNotIn("\n", msg)
        for f in fragments:
            self.assertIn(f, msg)
        return msg

    def test_not_a_directory(self):
        base = fixtures.scratch("nodir-")
        self.assertError(lambda: emergence.load_run(os.path.join(base, "nope")), "nope: no such directory")
        f = os.path.join(base, "file")
        open(f, "w").close()
        self.assertError(lambda: emergence.load_run(f), "not a directory")
        self.assertError(lambda: emergence.load_run(base), "not a run directory (no summary.json")

    def test_a_run_that_never_got_going(self):
        d = self.copy("run-tinylm")
        for f in ("summary.json", "emergence.csv", "results.csv"):
            os.remove(os.path.join(d, f))
        self.assertError(lambda: emergence.load_run(d), "unfinished run: summary.json missing", "run the same")

    def test_a_partial_run_names_what_is_missing_and_loads_on_request(self):
        d = self.copy("run-tinylm")
        p = os.path.join(d, "summary.json")
        with open(p) as f:
            s = json.load(f)
        s["status"] = "partial"
        s["macro"][0][2] = None
        s["E"][0][2] = None
        with open(p, "w") as f:
            json.dump(s, f)
        os.remove(os.path.join(d, "est", "macro_l003_t0002.json"))
        self.assertError(lambda: emergence.load_run(d), "unfinished run", "1 of", "macro l3 t2", "allow_partial=True")
        run = emergence.load_run(d, allow_partial=True)
        self.assertFalse(run.complete)
        E = run.E
        self.assertTrue(E[E.position == 2]["value"].isna().all())
        # every E the summary holds, and no more (a run relative to twins has E only at the positions its IE uses)
        self.assertEqual(E["value"].notna().sum(), sum(1 for row in s["E"] for c in row if c is not None and c.get("bits") is not None))
        self.assertEqual(len(run.mis), 2 * s["dataset"]["t"] - 1)

    def test_a_finished_run_without_its_tables(self):
        d = self.copy("run-tinylm")
        os.remove(os.path.join(d, "emergence.csv"))
        self.assertError(lambda: emergence.load_run(d), "emergence.csv: missing", "emergence report")
        emergence.run_cli("report", d)
        self.assertTrue(emergence.load_run(d).complete)
        os.remove(os.path.join(d, "results.csv"))
        self.assertError(lambda: emergence.load_run(d), "results.csv: missing")

    def test_damaged_files_are_named(self):
        d = self.copy("run-tinylm")
        with open(os.path.join(d, "summary.json"), "w") as f:
            f.write("{not json")
        self.assertError(lambda: emergence.load_run(d), "summary.json: not valid JSON")
        d = self.copy("run-minilm")
        with open(os.path.join(d, "emergence.csv"), "w") as f:
            f.write("quantity,layer\nE,1\n")
        self.assertError(lambda: emergence.load_run(d), "emergence.csv: expected the columns quantity, layer, position")

    def test_the_wrong_kind_of_directory(self):
        self.assertError(lambda: emergence.load_run(fixtures.get("study")), "holds study.json", "load_study")
        self.assertError(lambda: emergence.load_run(fixtures.get("validate")), "holds validate.json", "load_validate")
        self.assertError(lambda: emergence.load_study(fixtures.get("run-minilm")), "not a study directory but a run")
        self.assertError(lambda: emergence.read_acts(fixtures.get("run-minilm")), "manifest.json: missing")

    def test_an_unfinished_study(self):
        d = self.copy("study")
        os.remove(os.path.join(d, "study.json"))
        self.assertError(lambda: emergence.load_study(d), "unfinished study: study.json missing", "run the same")


if __name__ == "__main__":
    unittest.main()
