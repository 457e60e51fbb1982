"""Tokenizer test models and their reference encodings (core/src/test/resources/tokenizers/).

  sp-bpe-llama/   SentencePiece BPE as Llama / OpenLLaMA train it: identity normaliser, whitespace kept,
                  dummy prefix, byte fallback                       -> reference: LlamaTokenizer (slow, legacy)
  sp-bpe-nfkc/    SentencePiece BPE with the default nmt_nfkc normaliser and whitespace folding
                                                                    -> reference: LlamaTokenizer (slow, legacy)
  sp-unigram/     SentencePiece unigram as T5 trains it (nmt_nfkc)  -> reference: T5Tokenizer (slow)
  gpt2-bpe/       a byte-level BPE written here: vocab.json + merges.txt (GPT-2's byte↔unicode map and
                  pre-tokenising regex)                             -> reference: GPT2Tokenizer (slow)
Each folder holds the tokenizer files, a tokenizer_config.json, and expected.json: for every line of the
multilingual test set the ids the reference tokenizer gives (with its special tokens, as encode() adds them).

Needs Debian's sentencepiece (spm_train) and python3-sentencepiece, and the Hugging Face reference environment:
  HF_REF=/tmp/hf /usr/bin/python3 tools/golden/make_tokenizers.py core/src/test/resources
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys

root = os.environ.get("HF_REF", "/tmp/hf")
sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
import transformers  # noqa: E402

res = os.path.join(sys.argv[1], "tokenizers")
shutil.rmtree(res, ignore_errors=True)
os.makedirs(res)
work = "/tmp/emergence-tokenizers"
os.makedirs(work, exist_ok=True)

# training text: several scripts, numbers and punctuation, so that every model has pieces for them
base = [
    "The quick brown fox jumps over the lazy dog.", "In the beginning God created the heaven and the earth.",
    "Der schnelle braune Fuchs springt über den faulen Hund.", "Le renard brun rapide saute par-dessus le chien paresseux.",
    "Быстрая коричневая лиса прыгает через ленивую собаку.", "敏捷的棕色狐狸跳过了懒狗。", "素早い茶色の狐がのろまな犬を飛び越える。",
    "Numbers: 0 1 2 3 42 1999 2024 3.14159 -7 1,000,000.", "Emoji are rare: 🙂 🚀.", "Lists: lion, tiger, wolf, bear, fox.",
    "E-mail me at someone@example.com or visit https://example.org/path?q=1.", "It's a test; isn't it? Yes—it is!",
]
text = []
for i in range(400):
    for b in base:
        text.append(b if i % 3 else b.lower())
with open(os.path.join(work, "corpus.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(text) + "\n")

# the test set: whitespace runs, leading/trailing spaces, tabs, digits, emoji, unseen scripts and bytes
tests = [
    "Hello world", "Hello  world", "   leading and trailing   ", "tabs\tand\nnewlines", "a  b   c    d",
    "The quick brown fox jumps over the lazy dog.", "Der Fuchs springt über den Hund.", "Лиса прыгает.",
    "狐狸跳过了狗。", "狐がのろまな犬を飛び越える", "12345 67.89 0.001 -42", "🙂🚀🎉 emoji", "unseen: ᚠᛇᚻ ∮ E⋅da = Q",
    "mixed: naïve café résumé", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ", "lion, tiger, wolf,", "", " ", "x", "<s> looks special </s>",
    "can't won't it's", "\u00a0non-breaking\u00a0space", "zero\u200bwidth", "ﬁ ligature", "한국어 텍스트",
]


def write_expected(folder, tok, note):
    out = {"reference": note, "tests": []}
    for t in tests:
        out["tests"].append({"text": t, "ids": tok.encode(t)})
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


def spm(name, *args):
    prefix = os.path.join(work, name)
    subprocess.run(["spm_train", f"--input={work}/corpus.txt", f"--model_prefix={prefix}", "--vocab_size=400",
                    "--character_coverage=0.9995", "--bos_id=1", "--eos_id=2", "--unk_id=0", "--pad_id=-1", *args],
                   check=True, capture_output=True)
    folder = os.path.join(res, name)
    os.makedirs(folder)
    shutil.copy(prefix + ".model", os.path.join(folder, "tokenizer.model"))
    return folder


for name, args in [("sp-bpe-llama", ["--model_type=bpe", "--byte_fallback=true", "--normalization_rule_name=identity",
                                     "--remove_extra_whitespaces=false", "--split_digits=true", "--allow_whitespace_only_pieces=true"]),
                   ("sp-bpe-nfkc", ["--model_type=bpe", "--byte_fallback=true"])]:
    folder = spm(name, *args)
    cfg = {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
           "add_bos_token": True, "add_eos_token": False, "legacy": True}
    json.dump(cfg, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=1)
    tok = transformers.LlamaTokenizer(os.path.join(folder, "tokenizer.model"), legacy=True, add_bos_token=True, add_eos_token=False)
    write_expected(folder, tok, "transformers.LlamaTokenizer (slow, legacy=True, add_bos_token=True)")

folder = spm("sp-unigram", "--model_type=unigram", "--vocab_size=180")
json.dump({"tokenizer_class": "T5Tokenizer", "eos_token": "</s>", "unk_token": "<unk>", "extra_ids": 0},
          open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=1)
tok = transformers.T5Tokenizer(os.path.join(folder, "tokenizer.model"), extra_ids=0, legacy=True)
write_expected(folder, tok, "transformers.T5Tokenizer (slow, extra_ids=0, legacy=True)")


# GPT-2 byte-level BPE, trained here on the corpus (merges by pair frequency, GPT-2's conventions)
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


b2u = bytes_to_unicode()
pat = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\w+| ?\d+| ?[^\s\w\d]+|\s+(?!\S)|\s+""")
words = collections.Counter()
for line in text:
    for w in pat.findall(line):
        words[tuple(b2u[b] for b in w.encode("utf-8"))] += 1
vocab = {c: i for i, c in enumerate(sorted(set(b2u.values())))}
merges = []
for _ in range(300):
    pairs = collections.Counter()
    for w, c in words.items():
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] += c
    if not pairs:
        break
    (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
    merges.append((a, b))
    vocab.setdefault(a + b, len(vocab))
    new = collections.Counter()
    for w, c in words.items():
        out, i = [], 0
        while i < len(w):
            if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                out.append(a + b)
                i += 2
            else:
                out.append(w[i])
                i += 1
        new[tuple(out)] += c
    words = new
vocab["<|endoftext|>"] = len(vocab)
folder = os.path.join(res, "gpt2-bpe")
os.makedirs(folder)
json.dump(vocab, open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8"), ensure_ascii=False)
with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
    f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
json.dump({"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
           "unk_token": "<|endoftext|>", "add_prefix_space": False}, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=1)
tok = transformers.GPT2Tokenizer(os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt"))
write_expected(folder, tok, "transformers.GPT2Tokenizer (slow)")
print("written", sorted(os.listdir(res)))
