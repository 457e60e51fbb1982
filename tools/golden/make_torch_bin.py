"""Test inputs for the pytorch_model.bin reader (core/src/test/resources/torchbin/), made with PyTorch itself.

  gpt2-zip/      the golden gpt2 checkpoint saved by transformers save_pretrained(safe_serialization=False)
  gpt2-legacy/   the same state dict in torch's legacy (pre-1.6) format
  gpt2-sharded/  save_pretrained with a small max_shard_size: pytorch_model-0000k-of-0000n.bin + index
  dtypes.bin     F32, F16, BF16 tensors and two views of one shared storage (values in dtypes.json)
  noncontig.bin  a transposed (non-contiguous) tensor, which the reader refuses by name
  evil.bin       a zip checkpoint whose data.pkl would call os.system (must be refused, never run)

Run with the Hugging Face reference environment (../shared/hf-reference/README.md):
  HF_REF=/tmp/hf /usr/bin/python3 tools/golden/make_torch_bin.py core/src/test/resources
"""
import io
import json
import os
import pickle
import shutil
import sys
import zipfile

root = os.environ.get("HF_REF", "/tmp/hf")
sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
import torch  # noqa: E402
import transformers  # noqa: E402

res = sys.argv[1]
out = os.path.join(res, "torchbin")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
golden = os.path.join(res, "golden", "gpt2")
model = transformers.GPT2LMHeadModel.from_pretrained(golden, torch_dtype=torch.float32)
model.save_pretrained(os.path.join(out, "gpt2-zip"), safe_serialization=False)
model.save_pretrained(os.path.join(out, "gpt2-sharded"), safe_serialization=False, max_shard_size="100KB")
os.makedirs(os.path.join(out, "gpt2-legacy"))
shutil.copy(os.path.join(golden, "config.json"), os.path.join(out, "gpt2-legacy", "config.json"))
torch.save(model.state_dict(), os.path.join(out, "gpt2-legacy", "pytorch_model.bin"), _use_new_zipfile_serialization=False)

base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
sd = {
    "f32": base.clone(),
    "f16": base.to(torch.float16),
    "bf16": base.to(torch.bfloat16),
    "view_a": base.view(-1)[:6].view(2, 3),
    "view_b": base.view(-1)[6:12].view(2, 3),
}
torch.save(sd, os.path.join(out, "dtypes.bin"))
torch.save({"transposed": base.t()}, os.path.join(out, "noncontig.bin"))
with open(os.path.join(out, "dtypes.json"), "w") as f:
    json.dump({k: v.float().contiguous().view(-1).tolist() for k, v in sd.items()}, f)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo this-must-never-run > /tmp/emergence-pwned",))


buf = io.BytesIO()
pickle.dump({"weight": Evil()}, buf, protocol=2)
with zipfile.ZipFile(os.path.join(out, "evil.bin"), "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", buf.getvalue())
    z.writestr("archive/version", "3\n")
print("written", sorted(os.listdir(out)))
