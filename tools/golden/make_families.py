"""Golden references for the families added in issue 14 (parts 4-5), made with Hugging Face transformers.

For every case below: a tiny random checkpoint (config.json + model.safetensors, F32) with the family's options
switched on, and the activations the reference computes for it (eager attention, fp32, eval mode, CPU):

  <case>/batch_3x8/ and <case>/batch_1x16/   input_ids.npy  int64 [B,T]
                                             block_inputs.npy  float32 [L,B,T,H]  (input of block l)
                                             block_outputs.npy float32 [L,B,T,H]  (output of block l)
                                             logits.npy        float32 [B,T,V]

Block inputs/outputs are taken with forward hooks on the decoder layers (not from output_hidden_states, whose last
entry some families take after the final norm or a projection). Every parameter is random, so that none can be
ignored silently: matrices and embeddings ~ N(0, 0.2^2), norm weights 1 + N(0, 0.1^2), biases ~ N(0, 0.1^2).

Run with the Hugging Face reference environment (../shared/hf-reference/README.md), default tag v4.44.2:
  HF_REF=/tmp/hfref /usr/bin/python3 tools/golden/make_families.py core/src/test/resources/golden [case ...]
"""
import json
import os
import shutil
import sys

root = os.environ.get("HF_REF", "/tmp/hf")
sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402

V, H, L, P = 128, 32, 2, 32

CASES = {
    # GPT-1: post-LN blocks, learned positions, no final norm, afn relu (its "gelu" is the tanh form)
    "openai-gpt": ("OpenAIGPTConfig", "OpenAIGPTLMHeadModel", "h",
                   dict(vocab_size=V, n_positions=P, n_embd=H, n_layer=L, n_head=4, afn="gelu",
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)),
    # GPT-Neo: layer 0 global, layer 1 local with a window shorter than the sequences; unscaled scores
    "gpt_neo": ("GPTNeoConfig", "GPTNeoForCausalLM", "h",
                dict(vocab_size=V, max_position_embeddings=P, hidden_size=H, num_layers=L, num_heads=4,
                     attention_types=[[["global", "local"], 1]], window_size=5, intermediate_size=48,
                     activation_function="gelu_new", resid_dropout=0.0, embed_dropout=0.0, attention_dropout=0.0)),
    # OPT pre-LN (opt-125m, >= 1.3b)
    "opt": ("OPTConfig", "OPTForCausalLM", "layers",
            dict(vocab_size=V, max_position_embeddings=P, hidden_size=H, num_hidden_layers=L, num_attention_heads=4,
                 ffn_dim=64, word_embed_proj_dim=H, do_layer_norm_before=True, activation_function="relu",
                 dropout=0.0, attention_dropout=0.0, pad_token_id=1, bos_token_id=2, eos_token_id=2)),
    # OPT post-LN without projections
    "opt_postln": ("OPTConfig", "OPTForCausalLM", "layers",
                   dict(vocab_size=V, max_position_embeddings=P, hidden_size=H, num_hidden_layers=L, num_attention_heads=4,
                        ffn_dim=64, word_embed_proj_dim=H, do_layer_norm_before=False, activation_function="relu",
                        dropout=0.0, attention_dropout=0.0, pad_token_id=1, bos_token_id=2, eos_token_id=2)),
    # OPT as opt-350m: post-LN, project_in/project_out (word_embed_proj_dim != hidden_size)
    "opt_proj": ("OPTConfig", "OPTForCausalLM", "layers",
                 dict(vocab_size=V, max_position_embeddings=P, hidden_size=H, num_hidden_layers=L, num_attention_heads=4,
                      ffn_dim=64, word_embed_proj_dim=24, do_layer_norm_before=False, activation_function="relu",
                      dropout=0.0, attention_dropout=0.0, pad_token_id=1, bos_token_id=2, eos_token_id=2)),
    # Phi (phi-1/1.5/2): parallel attention + MLP on one LayerNorm, partial rotary, biases everywhere, lm_head bias
    "phi": ("PhiConfig", "PhiForCausalLM", "layers",
            dict(vocab_size=V, hidden_size=H, intermediate_size=64, num_hidden_layers=L, num_attention_heads=4,
                 num_key_value_heads=2, max_position_embeddings=P, partial_rotary_factor=0.5, rope_theta=10000.0,
                 hidden_act="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attention_dropout=0.0, qk_layernorm=False,
                 tie_word_embeddings=False)),
    # Phi-3: fused qkv_proj and gate_up_proj, RMSNorm, grouped-query attention
    "phi3": ("Phi3Config", "Phi3ForCausalLM", "layers",
             dict(vocab_size=V, hidden_size=H, intermediate_size=48, num_hidden_layers=L, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=P, original_max_position_embeddings=P,
                  rope_theta=10000.0, rms_norm_eps=1e-5, hidden_act="silu", resid_pdrop=0.0, embd_pdrop=0.0,
                  attention_dropout=0.0, sliding_window=None, rope_scaling=None, tie_word_embeddings=False,
                  pad_token_id=0, bos_token_id=1, eos_token_id=2)),
    # OLMo: LayerNorm without parameters, clip_qkv small enough to clip
    "olmo": ("OlmoConfig", "OlmoForCausalLM", "layers",
             dict(vocab_size=V, hidden_size=H, intermediate_size=48, num_hidden_layers=L, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=P, rope_theta=10000.0, attention_bias=False,
                  clip_qkv=1.5, hidden_act="silu", tie_word_embeddings=False, pad_token_id=1, bos_token_id=None,
                  eos_token_id=2)),
    # Falcon new_decoder_architecture (40b/180b style): kv groups, two norms, parallel attention
    "falcon": ("FalconConfig", "FalconForCausalLM", "h",
               dict(vocab_size=V, hidden_size=H, num_hidden_layers=L, num_attention_heads=4, num_kv_heads=2,
                    new_decoder_architecture=True, multi_query=True, parallel_attn=True, bias=True, alibi=False,
                    max_position_embeddings=P, rope_theta=10000.0, ffn_hidden_size=64, activation="gelu",
                    hidden_dropout=0.0, attention_dropout=0.0, bos_token_id=1, eos_token_id=2)),
    # Falcon-7b style: multi-query, one norm, parallel attention, no biases
    "falcon_mq": ("FalconConfig", "FalconForCausalLM", "h",
                  dict(vocab_size=V, hidden_size=H, num_hidden_layers=L, num_attention_heads=4,
                       new_decoder_architecture=False, multi_query=True, parallel_attn=True, bias=False, alibi=False,
                       max_position_embeddings=P, rope_theta=10000.0, activation="gelu",
                       hidden_dropout=0.0, attention_dropout=0.0, bos_token_id=1, eos_token_id=2)),
    # Falcon sequential (parallel_attn false; e.g. falcon-rw with rotary): per-head fused qkv, two norms in sequence
    "falcon_seq": ("FalconConfig", "FalconForCausalLM", "h",
                   dict(vocab_size=V, hidden_size=H, num_hidden_layers=L, num_attention_heads=4,
                        new_decoder_architecture=False, multi_query=False, parallel_attn=False, bias=True, alibi=False,
                        max_position_embeddings=P, rope_theta=10000.0, activation="gelu",
                        hidden_dropout=0.0, attention_dropout=0.0, bos_token_id=1, eos_token_id=2)),
    # Mixtral: 4 experts, top-2 routing, grouped-query attention
    "mixtral": ("MixtralConfig", "MixtralForCausalLM", "layers",
                dict(vocab_size=V, hidden_size=H, intermediate_size=16, num_hidden_layers=L, num_attention_heads=4,
                     num_key_value_heads=2, max_position_embeddings=P, rope_theta=1000000.0, rms_norm_eps=1e-5,
                     num_local_experts=4, num_experts_per_tok=2, sliding_window=None, hidden_act="silu",
                     tie_word_embeddings=False, router_jitter_noise=0.0, attention_dropout=0.0,
                     bos_token_id=1, eos_token_id=2)),
}


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            n = torch.randn(p.shape, generator=g)
            if p.dim() >= 2:
                p.copy_(n * 0.2)
            elif "norm" in name or name.split(".")[-2].startswith("ln") or "layernorm" in name.lower():
                p.copy_(1.0 + 0.1 * n) if name.endswith("weight") else p.copy_(0.1 * n)
            else:
                p.copy_(0.1 * n)


def layers_of(model, attr):
    base = model.base_model
    if hasattr(base, "decoder"):  # OPT
        base = base.decoder
    return getattr(base, attr)


def run(model, attr, ids):
    """Block inputs and outputs recorded by wrapping each decoder layer's forward (torch 1.13 has no kwargs hooks)."""
    ins, outs = [], []
    originals = []
    for layer in layers_of(model, attr):
        fwd = layer.forward

        def wrapped(*args, _fwd=fwd, **kwargs):
            x = args[0] if args else kwargs["hidden_states"]
            ins.append(x.detach().clone())
            out = _fwd(*args, **kwargs)
            outs.append((out[0] if isinstance(out, (tuple, list)) else out).detach().clone())
            return out
        layer.forward = wrapped
        originals.append((layer, fwd))
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(ids)).logits
    for layer, fwd in originals:
        layer.forward = fwd
    return torch.stack(ins).numpy(), torch.stack(outs).numpy(), logits.numpy()


def make(out_root, case):
    cfg_cls, model_cls, attr, kw = CASES[case]
    config = getattr(transformers, cfg_cls)(**kw)
    config._attn_implementation = "eager"
    torch.manual_seed(0)
    model = getattr(transformers, model_cls)(config).eval().float()
    randomise(model, 1234 + sum(map(ord, case)))
    if getattr(config, "tie_word_embeddings", False):
        model.tie_weights()
    out = os.path.join(out_root, case)
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(out, safe_serialization=True)
    cfg = json.load(open(os.path.join(out, "config.json")))
    cfg.pop("_attn_implementation_autoset", None)
    rng = np.random.default_rng(7)
    for b, t in [(3, 8), (1, 16)]:
        ids = rng.integers(0, V, size=(b, t), dtype=np.int64)
        bi, bo, lg = run(model, attr, ids)
        d = os.path.join(out, f"batch_{b}x{t}")
        os.makedirs(d)
        np.save(os.path.join(d, "input_ids.npy"), ids)
        np.save(os.path.join(d, "block_inputs.npy"), bi.astype(np.float32))
        np.save(os.path.join(d, "block_outputs.npy"), bo.astype(np.float32))
        np.save(os.path.join(d, "logits.npy"), lg.astype(np.float32))
        print(case, b, t, "max |block_outputs|", float(np.abs(bo).max()), "max |logits|", float(np.abs(lg).max()))
    gen = os.path.join(out, "generation_config.json")
    if os.path.exists(gen):
        os.remove(gen)


if __name__ == "__main__":
    print("transformers", transformers.__version__, "torch", torch.__version__)
    for c in sys.argv[2:] or CASES:
        make(sys.argv[1], c)
