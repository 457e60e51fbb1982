"""Copies the trained tinylm checkpoints, tokenizer, metrics and goldens into the project.

  models/tinylm/src/main/resources/tinylm/index.json          the registry the tool reads (names, shapes, sizes, aliases)
  models/tinylm/src/main/resources/tinylm/tokenizer.json      shared by every model
  models/tinylm/src/main/resources/tinylm/metrics.json        held-out metrics of every model and of the baselines
  models/tinylm/src/main/resources/tinylm/<name>/             config.json + model.safetensors (float16)
  core/src/test/resources/golden/tinylm/<name>/      input_ids, block inputs/outputs, last-position logits
  core/src/test/resources/golden/tinylm/heldout.npy  the held-out documents of the text metrics
  core/src/main/resources/org/emergence/data/builtin-text.jsonl   text:builtin: held-out prose (Bible, Devil's
                                                Dictionary, fortunes) of the test, valid and text splits
"""
import argparse
import json
import os
import shutil


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--models", required=True, help="JSON list of [name, checkpoint dir] (as given to evaluate.py)")
    ap.add_argument("--project", required=True)
    ap.add_argument("--largest", required=True, help="the name the alias 'tinylm' points at")
    a = ap.parse_args()
    res = os.path.join(a.project, "models/tinylm/src/main/resources/tinylm")
    gold = os.path.join(a.project, "core/src/test/resources/golden/tinylm")
    for d in (res, gold):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    metrics = json.load(open(os.path.join(a.eval, "metrics.json")))
    corpus = json.load(open(os.path.join(a.corpus, "corpus.json")))
    shutil.copy(os.path.join(a.corpus, "tokenizer.json"), os.path.join(res, "tokenizer.json"))
    shutil.copy(os.path.join(a.eval, "heldout.npy"), os.path.join(gold, "heldout.npy"))
    with open(os.path.join(a.project, "core/src/main/resources/org/emergence/data/builtin-text.jsonl"), "w", encoding="utf-8") as f:
        for split in ("test", "valid", "text"):
            for line in open(os.path.join(a.corpus, f"{split}.jsonl"), encoding="utf-8"):
                d = json.loads(line)
                if d["source"] in ("kjv", "devil", "fortunes"):
                    f.write(json.dumps({"source": d["source"], "text": d["text"]}) + "\n")
    models = []
    for name, d in json.load(open(a.models)):
        out = os.path.join(res, name)
        os.makedirs(out)
        for f in ("config.json", "model.safetensors"):
            shutil.copy(os.path.join(d, f), os.path.join(out, f))
        shutil.copytree(os.path.join(a.eval, "golden", name), os.path.join(gold, name))
        cfg = json.load(open(os.path.join(d, "config.json")))
        r = metrics["results"][name]
        step = r["step"]
        what = "untrained (Hugging Face initialisation)" if step == 0 else f"after {step} steps ({r['tokens_seen'] / 1e6:.2f}M tokens)"
        models.append({
            "name": name,
            "resource": f"tinylm/{name}/",
            "description": f"project-trained GPT-2, {cfg['n_layer']} layers, width {cfg['n_embd']}, {what}; "
                           f"held-out text perplexity {r['text']['perplexity']:.1f}, next-token accuracy {r['text']['accuracy']:.3f}",
            "layers": cfg["n_layer"], "hidden": cfg["n_embd"], "heads": cfg["n_head"],
            "intermediate": cfg.get("n_inner") or 4 * cfg["n_embd"], "vocab": cfg["vocab_size"],
            "max_positions": cfg["n_positions"], "parameters": r["parameters"],
            "bytes": os.path.getsize(os.path.join(d, "model.safetensors")),
            "step": step, "tokens_seen": r["tokens_seen"],
        })
    index = {"tokenizer": "tinylm/tokenizer.json", "models": models, "aliases": {"tinylm": a.largest},
             "corpus": {"seed": corpus["seed"], "vocab_size": corpus["vocab_size"], "sources": corpus["sources"],
                        "splits": corpus["splits"], "held_out_entities": corpus["held_out_entities"]}}
    with open(os.path.join(res, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    with open(os.path.join(res, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()
