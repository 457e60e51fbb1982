"""A tiny checkpoint with OpenLLaMA's file layout, and Hugging Face's activations for it (core/src/test/resources/openllama/).

OpenLLaMA (openlm-research/open_llama_3b, 7b, 13b; v1 and v2) ships, and this folder has the same files:
  config.json               model_type llama, no num_key_value_heads / rope_theta (defaults), fp16, untied head
  generation_config.json
  pytorch_model.bin         a torch.save zip of the fp16 state dict, including the rotary buffers
                            model.layers.N.self_attn.rotary_emb.inv_freq that transformers 4.28 saved
  tokenizer.model           SentencePiece BPE with byte fallback (trained here with Debian's spm_train)
  tokenizer_config.json     LlamaTokenizer, add_bos_token, special tokens as AddedToken objects
  special_tokens_map.json
  (no tokenizer.json, no safetensors)
and golden/:
  texts.json                the test lines and the ids the slow transformers.LlamaTokenizer gives them (with BOS)
  line_K/ input_ids.npy, block_inputs.npy [L,1,T,H], block_outputs.npy [L,1,T,H], logits.npy [1,T,V]
computed in fp32 (eager attention) from the fp16 weights widened to fp32, as the project reads them.

  HF_REF=/tmp/hfref /usr/bin/python3 tools/golden/make_openllama.py core/src/test/resources
"""
import json
import os
import shutil
import subprocess
import sys

root = os.environ.get("HF_REF", "/tmp/hf")
sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402

res = sys.argv[1]
out = os.path.join(res, "openllama")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
work = "/tmp/emergence-openllama"
os.makedirs(work, exist_ok=True)

# training text: the ICL entity lists (so every entity has pieces of its own) and plain English sentences
entities = os.path.join(os.path.dirname(res), "..", "main", "resources", "org", "emergence", "data", "entities.txt")
lines = []
for raw in open(entities, encoding="utf-8"):
    raw = raw.strip()
    if raw and not raw.startswith("#"):
        cat, items = raw.split(":", 1)
        items = [i.strip() for i in items.split(",") if i.strip()]
        for k in range(40):
            rot = items[k % len(items):] + items[:k % len(items)]
            lines.append(", ".join(rot) + ",")
            lines.append(" ".join(w.lower() for w in rot[:6]))
base = ["The quick brown fox jumps over the lazy dog.", "In the beginning was the word, and the word was with the model.",
        "Numbers: 0 1 2 3 42 1999 2024 3.14159 -7.", "It's a test; isn't it? Yes, it is!",
        "Open models are trained on open data sets.", "A list of animals: lion, tiger, wolf, bear, fox."]
lines += base * 50
with open(os.path.join(work, "corpus.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
prefix = os.path.join(work, "sp")
subprocess.run(["spm_train", f"--input={work}/corpus.txt", f"--model_prefix={prefix}", "--vocab_size=512",
                "--model_type=bpe", "--byte_fallback=true", "--character_coverage=1.0", "--split_digits=true",
                "--normalization_rule_name=identity", "--remove_extra_whitespaces=false",
                "--allow_whitespace_only_pieces=true", "--bos_id=1", "--eos_id=2", "--unk_id=0", "--pad_id=-1"],
               check=True, capture_output=True)
shutil.copy(prefix + ".model", os.path.join(out, "tokenizer.model"))


def added(content):
    return {"__type": "AddedToken", "content": content, "lstrip": False, "normalized": True, "rstrip": False,
            "single_word": False}


json.dump({"add_bos_token": True, "add_eos_token": False, "bos_token": added("<s>"), "clean_up_tokenization_spaces": False,
           "eos_token": added("</s>"), "model_max_length": 2048, "pad_token": None, "sp_model_kwargs": {},
           "tokenizer_class": "LlamaTokenizer", "unk_token": added("<unk>")},
          open(os.path.join(out, "tokenizer_config.json"), "w"), indent=2)
json.dump({"bos_token": added("<s>"), "eos_token": added("</s>"), "unk_token": added("<unk>")},
          open(os.path.join(out, "special_tokens_map.json"), "w"), indent=2)

V, H, L, I, P = 512, 32, 2, 64, 128
config = {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
          "hidden_size": H, "initializer_range": 0.02, "intermediate_size": I, "max_position_embeddings": P,
          "model_type": "llama", "num_attention_heads": 4, "num_hidden_layers": L, "pad_token_id": 0,
          "rms_norm_eps": 1e-06, "tie_word_embeddings": False, "torch_dtype": "float16",
          "transformers_version": "4.28.0.dev0", "use_cache": True, "vocab_size": V}
json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=2)
json.dump({"_from_model_config": True, "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0,
           "transformers_version": "4.28.0.dev0"}, open(os.path.join(out, "generation_config.json"), "w"), indent=2)

cfg = transformers.LlamaConfig(**{k: v for k, v in config.items() if k not in ("architectures", "transformers_version")})
cfg._attn_implementation = "eager"
torch.manual_seed(0)
model = transformers.LlamaForCausalLM(cfg).eval()
g = torch.Generator().manual_seed(77)
with torch.no_grad():
    for name, p in model.named_parameters():
        n = torch.randn(p.shape, generator=g)
        p.copy_((n * 0.2) if p.dim() >= 2 else (1.0 + 0.1 * n))
        p.copy_(p.half().float())  # the stored fp16 values, used in fp32
sd = {k: v.half() for k, v in model.state_dict().items()}
d = H // 4
inv_freq = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))
for i in range(L):
    sd[f"model.layers.{i}.self_attn.rotary_emb.inv_freq"] = inv_freq.clone()
torch.save(sd, os.path.join(out, "pytorch_model.bin"))

# the reference: a model loaded from the folder as a user would, in fp32
ref = transformers.LlamaForCausalLM.from_pretrained(out, torch_dtype=torch.float32, attn_implementation="eager").eval()
tok = transformers.LlamaTokenizer(os.path.join(out, "tokenizer.model"), add_bos_token=True, add_eos_token=False)
texts = ["lion, tiger, wolf, bear, fox,", "The quick brown fox jumps over the lazy dog.",
         "Open models: 42 cats, 3.14 dogs!"]
gold = os.path.join(out, "golden")
os.makedirs(gold)
entries = []
for k, t in enumerate(texts):
    ids = tok.encode(t)
    entries.append({"text": t, "ids": ids})
    ins, outs = [], []
    originals = []
    for layer in ref.model.layers:
        fwd = layer.forward

        def wrapped(*args, _fwd=fwd, **kwargs):
            ins.append((args[0] if args else kwargs["hidden_states"]).detach().clone())
            o = _fwd(*args, **kwargs)
            outs.append(o[0].detach().clone())
            return o
        layer.forward = wrapped
        originals.append((layer, fwd))
    with torch.no_grad():
        logits = ref(input_ids=torch.tensor([ids])).logits
    for layer, fwd in originals:
        layer.forward = fwd
    dd = os.path.join(gold, f"line_{k}")
    os.makedirs(dd)
    np.save(os.path.join(dd, "input_ids.npy"), np.array([ids], dtype=np.int64))
    np.save(os.path.join(dd, "block_inputs.npy"), torch.stack(ins).numpy().astype(np.float32))
    np.save(os.path.join(dd, "block_outputs.npy"), torch.stack(outs).numpy().astype(np.float32))
    np.save(os.path.join(dd, "logits.npy"), logits.numpy().astype(np.float32))
    print(k, len(ids), ids)
json.dump({"reference": "transformers.LlamaTokenizer (slow, add_bos_token=True) and LlamaForCausalLM v"
           + transformers.__version__ + ", fp32 eager", "lines": entries},
          open(os.path.join(gold, "texts.json"), "w"), indent=1)
print("written", sorted(os.listdir(out)))
