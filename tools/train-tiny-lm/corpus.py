"""Training corpus and word-level tokenizer for the built-in tiny causal LMs (tinylm-*).

Build-time only. Reads public-domain / permissively licensed English text installed by Debian
packages, mixes in in-context list documents built from the project's entity lists, splits
everything into train / valid / test documents with a seed, builds a word-level vocabulary and
writes a Hugging Face tokenizer.json that the tool loads offline (DJL / Rust tokenizers).

Sources (Debian package → what is used):
  bible-kjv-text (+ bible-kjv for the reader)  King James Bible (1611), public domain
  dict-devil                                   Bierce, The Devil's Dictionary (1911), public domain
  wordnet-base                                 WordNet 3.0 glosses, WordNet 3.0 licence (permissive)
Every source is split into train / valid / test documents (5% test, 2.5% valid); a further 10% of the
running prose (Bible, Devil's Dictionary, fortunes) is held out as the tool's built-in text.
  fortunes, fortunes-min                       BSD fortune-mod data files (quotations, jokes)

Tokenization (mirrored exactly by the tokenizer.json written here):
  normalizer    BertNormalizer(clean_text, handle_chinese_chars, strip_accents, lowercase)
  pre-tokenizer BertPreTokenizer: split on whitespace, every punctuation character its own token
  model         WordPiece (greedy longest match, '##' continuations) over whole words and pieces
Every entity of the category lists is a whole word of the vocabulary, so each is exactly one token;
every character of the training text is in the vocabulary, so no training word becomes [UNK].
"""
import collections
import gzip
import json
import os
import random
import re
import subprocess
import unicodedata

SPECIALS = ["<|endoftext|>", "[UNK]"]
EOS, UNK = 0, 1


# ----------------------------------------------------------------------------------- normalisation

def _is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c) in ("Cc", "Cf")


def _is_whitespace(c):
    if c in " \t\n\r":
        return True
    return unicodedata.category(c) == "Zs"


def _is_chinese(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text):
    """BertNormalizer with clean_text, handle_chinese_chars, strip_accents and lowercase on."""
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or _is_control(c):
            continue
        if _is_whitespace(c):
            out.append(" ")
        elif _is_chinese(cp):
            out.append(" " + c + " ")
        else:
            out.append(c)
    s = unicodedata.normalize("NFD", "".join(out))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.lower()


def _is_punct(c):
    cp = ord(c)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(c).startswith("P")


def pretokenize(s):
    """BertPreTokenizer on normalised text: whitespace splits, each punctuation char is a word."""
    words, cur = [], []
    for c in s:
        if c.isspace() or _is_whitespace(c):
            if cur:
                words.append("".join(cur))
                cur = []
        elif _is_punct(c):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(c)
        else:
            cur.append(c)
    if cur:
        words.append("".join(cur))
    return words


def words_of(text):
    return pretokenize(normalize(text))


# ----------------------------------------------------------------------------------- sources

def kjv_documents():
    """Consecutive verses of one chapter grouped into documents of at least 40 words."""
    text = subprocess.run(["bible", "gen1:1-rev22:21"], capture_output=True, text=True, check=True).stdout
    verses, chapter = [], None
    for line in text.split("\n"):
        m = re.match(r"^\s+(\d+) (.*)$", line)
        if m:
            verses.append([chapter, m.group(2).strip()])
        elif re.match(r"^\S.* \d+$", line) and not line.startswith(" "):
            chapter = line.strip()
        elif line.strip() and verses:
            verses[-1][1] += " " + line.strip()
    docs, cur, cur_ch = [], [], None
    for ch, v in verses:
        if cur and (ch != cur_ch or sum(len(x.split()) for x in cur) >= 40):
            docs.append(" ".join(cur))
            cur = []
        cur_ch = ch
        cur.append(v)
    if cur:
        docs.append(" ".join(cur))
    return docs


def devil_documents():
    raw = gzip.open("/usr/share/dictd/devil.dict.dz", "rt", encoding="latin-1").read()
    body = raw[raw.find("PREFACE"):]
    docs = []
    for para in re.split(r"\n\s*\n", body):
        p = " ".join(l.strip() for l in para.split("\n") if l.strip())
        p = p.replace("_", "")
        if len(p.split()) >= 5 and not p.startswith("00-database"):
            docs.append(p)
    return docs


def wordnet_documents():
    docs = []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(f"/usr/share/wordnet/data.{pos}", encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                head, gloss = line.split("|", 1)
                fields = head.split()
                n_words = int(fields[3], 16)
                lemmas = [fields[4 + 2 * i].replace("_", " ") for i in range(n_words)]
                lemma = re.sub(r"\([a-z]+\)$", "", lemmas[0])
                docs.append(f"{lemma}: {gloss.strip()}")
    return docs


FORTUNE_SKIP = {"ascii-art", "translate-me"}


def fortune_documents():
    base = "/usr/share/games/fortunes"
    docs = []
    for name in sorted(os.listdir(base)):
        if "." in name or name in FORTUNE_SKIP or not os.path.isfile(os.path.join(base, name)):
            continue
        with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
            for item in f.read().split("\n%\n"):
                t = " ".join(item.split())
                letters = sum(c.isalpha() for c in t)
                if len(t.split()) >= 4 and letters >= 0.6 * len(t):
                    docs.append(t)
    return docs


def entity_categories(path):
    cats = collections.OrderedDict()
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, items = line.split(":", 1)
        cats[name.strip()] = [normalize(x.strip()) for x in items.split(",") if x.strip()]
    return cats


def held_out_entities(cats, rng, fraction=0.2):
    """Per category, a held-out subset never used in training lists (only words unique to one category)."""
    count = collections.Counter(e for items in cats.values() for e in items)
    held = {}
    for name, items in cats.items():
        unique = sorted(e for e in items if count[e] == 1)
        k = max(2, int(round(fraction * len(items))))
        held[name] = sorted(rng.sample(unique, k))
    return held


def list_document(items, rng):
    """'lion, tiger, wolf.' — a list ends with a period, so after 'x,' the next token is always an entity,
    and every prefix 'a, b, c,' is exactly a sequence of the tool's icl datasets (each item followed by ',')."""
    return ", ".join(items) + "."


def list_documents(cats, held, rng, count, min_k=1, max_k=16):
    docs = []
    names = list(cats)
    for _ in range(count):
        name = rng.choice(names)
        pool = [e for e in cats[name] if e not in held[name]]
        k = rng.randint(min_k, min(max_k, len(pool)))
        docs.append(list_document(rng.sample(pool, k), rng))
    return docs


# ----------------------------------------------------------------------------------- vocabulary

def wordpiece(word, index, max_chars=100):
    """Greedy longest-match-first WordPiece (as BERT and the WordPiece model of tokenizer.json)."""
    if len(word) > max_chars:
        return [UNK]
    out, start = [], 0
    while start < len(word):
        end, piece = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in index:
                piece = index[sub]
                break
            end -= 1
        if piece is None:
            return [UNK]
        out.append(piece)
        start = end
    return out


def build_vocab(train_docs, entities, size, whole_fraction=0.72):
    """Whole words first (every entity, then the most frequent words), then every character alone and
    as a continuation '##c', then the most frequent word-initial and continuation pieces of the
    remaining words, so that no word of the training text becomes [UNK]."""
    counts = collections.Counter()
    for d in train_docs:
        counts.update(words_of(d))
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(t):
        if t not in seen:
            vocab.append(t)
            seen.add(t)

    for e in sorted(entities):
        add(e)
    chars = collections.Counter()
    for w, c in counts.items():
        for i, ch in enumerate(w):
            chars[ch if i == 0 else "##" + ch] += c
    for w, _ in counts.most_common():
        if len(vocab) >= int(size * whole_fraction):
            break
        add(w)
    for ch, _ in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0])):
        add(ch)
    pieces = collections.Counter()
    for w, c in counts.items():
        if w in seen or len(w) < 3:
            continue
        for k in range(2, min(len(w), 8)):
            pieces[w[:k]] += c
            pieces["##" + w[len(w) - k:]] += c
    for p, _ in sorted(pieces.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(vocab) >= size:
            break
        add(p)
    return vocab


def tokenizer_json(vocab):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for i, t in enumerate(SPECIALS)],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": True, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": None,
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def encode(text, index):
    out = []
    for w in words_of(text):
        out += wordpiece(w, index)
    return out


def build(entities_path, vocab_size, seed, list_fraction):
    rng = random.Random(seed)
    sources = collections.OrderedDict([
        ("kjv", kjv_documents()),
        ("devil", devil_documents()),
        ("wordnet", wordnet_documents()),
        ("fortunes", fortune_documents()),
    ])
    split = {"train": [], "valid": [], "test": [], "text": []}
    stats = collections.OrderedDict()
    for name, docs in sources.items():
        docs = list(docs)
        rng.shuffle(docs)
        n_test = max(1, len(docs) // 20)
        n_valid = max(1, len(docs) // 40)
        # running prose (not the glosses) also gives a held-out text for the tool's text:builtin dataset
        n_text = len(docs) // 10 if name != "wordnet" else 0
        parts = {"test": docs[:n_test], "valid": docs[n_test:n_test + n_valid],
                 "text": docs[n_test + n_valid:n_test + n_valid + n_text], "train": docs[n_test + n_valid + n_text:]}
        for k, v in parts.items():
            split[k] += [(name, d) for d in v]
        stats[name] = {"documents": len(docs), "words": sum(len(words_of(d)) for d in docs)}
    cats = entity_categories(entities_path)
    held = held_out_entities(cats, rng)
    text_words = sum(s["words"] for s in stats.values())
    # list documents: about list_fraction of all training tokens (each list item is two tokens)
    mean_tokens = 2 * (1 + 16) / 2 + 1
    n_lists = int(list_fraction / (1 - list_fraction) * text_words * 0.925 / mean_tokens)
    split["train"] += [("lists", d) for d in list_documents(cats, held, rng, n_lists)]
    split["valid"] += [("lists", d) for d in list_documents(cats, held, rng, max(1, n_lists // 40))]
    split["test"] += [("lists", d) for d in list_documents(cats, held, rng, max(1, n_lists // 20))]
    for k in split:
        rng.shuffle(split[k])
    all_entities = sorted({e for items in cats.values() for e in items})
    vocab = build_vocab([d for _, d in split["train"]], all_entities, vocab_size)
    return split, vocab, cats, held, stats


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--list-fraction", type=float, default=0.2)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    split, vocab, cats, held, stats = build(a.entities, a.vocab, a.seed, a.list_fraction)
    index = {t: i for i, t in enumerate(vocab)}
    with open(os.path.join(a.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False, indent=None)
    summary = {"seed": a.seed, "vocab_size": len(vocab), "sources": stats, "categories": cats,
               "held_out_entities": held, "splits": {}}
    for k, docs in split.items():
        ids = [encode(d, index) for _, d in docs]
        with open(os.path.join(a.out, f"{k}.jsonl"), "w", encoding="utf-8") as f:
            for (src, d), x in zip(docs, ids):
                f.write(json.dumps({"source": src, "text": d, "ids": x}) + "\n")
        tokens = sum(len(x) for x in ids)
        unk = sum(t == UNK for x in ids for t in x)
        by = collections.Counter(src for src, _ in docs)
        summary["splits"][k] = {"documents": len(docs), "tokens": tokens, "unk_rate": unk / max(1, tokens),
                                "documents_by_source": dict(by)}
    with open(os.path.join(a.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary["splits"], indent=1))
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
