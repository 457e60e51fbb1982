import unittest

import emergence
from tests import fixtures


class CampaignTest(unittest.TestCase):
    def test_validate(self):
        v = emergence.load_validate(fixtures.get("validate"))
        c = v.controls
        self.assertEqual(list(c.columns[:5]), ["name", "verdict", "value", "ci_low", "ci_high"])
        self.assertTrue(set(c["verdict"]) <= {"PASS", "FAIL"})
        self.assertEqual(len(c), v.total)
        self.assertEqual((c["verdict"] == "PASS").sum(), v.passed)
        conds = v.conditions
        self.assertTrue((conds["status"] == "complete").all())
        first = conds["name"].iloc[0]
        run = v.run(first)
        self.assertAlmostEqual(float(run.IE["value"]), conds["IE"].iloc[0], places=12)
        self.assertEqual(v.model, "tinylm")

    def test_study(self):
        s = emergence.load_study(fixtures.get("study"))
        self.assertEqual(s.kind, "ablations")
        conds = s.conditions
        self.assertIn("ablation", conds.columns)
        self.assertTrue((conds["n"] == 24).all())
        self.assertEqual(len(s.comparisons), len(conds) - 1)
        self.assertTrue((s.comparisons["ci_low"] <= s.comparisons["difference_bits"]).all())
        self.assertTrue(s.verdicts)
        self.assertIn("E_bits", s.table.columns)
        self.assertEqual(str(s.table["layer"].dtype), "Int64")
        none = s.run("none")
        self.assertAlmostEqual(float(none.IE["value"]), conds.set_index("name").loc["none", "IE"], places=12)
        with self.assertRaises(emergence.EmergenceError):
            s.run("nothing")


if __name__ == "__main__":
    unittest.main()
