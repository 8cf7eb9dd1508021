"""Writes the tiny_t5/ fixture: a random T5 v1.1-shaped Hugging Face folder and reference outputs (and tiny_t5_bin/,
the same weights as a torch.save pytorch_model.bin).

Run once by hand (CI never needs python):  /usr/bin/python3 make_tiny_t5_reference.py
Needs Debian's python3-torch (1.13). The weights are random (seeded) and written the way transformers writes them
(safetensors with "__metadata__" {"format": "pt"}, header padded to 8 bytes; config.json with transformers' extra
keys). The expected outputs come from the small float64 T5 below, written independently of the C# code from the
T5 definition: RMSNorm without mean or bias, no 1/sqrt(d) scaling, bucketed relative position bias owned by block
0 (bidirectional in the encoder, causal in the decoder), gated tanh-GELU feed-forward, untied lm_head.
Key/value prefixes (P-tuning v2) follow DP.Sdk's documented choice: zero position bias for prefix keys.
"""
import json
import math
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
CFG = {
    "architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "vocab_size": 64, "d_model": 16, "d_kv": 4,
    "d_ff": 24, "num_layers": 2, "num_decoder_layers": 2, "num_heads": 4, "relative_attention_num_buckets": 8,
    "relative_attention_max_distance": 12, "dropout_rate": 0.1, "layer_norm_epsilon": 1e-06, "initializer_factor": 1.0,
    "feed_forward_proj": "gated-gelu", "dense_act_fn": "gelu_new", "is_gated_act": True, "is_encoder_decoder": True,
    "tie_word_embeddings": False, "use_cache": True, "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0,
    "torch_dtype": "float32", "transformers_version": "4.40.0",
}


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.numpy().tobytes()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def random_weights(g):
    d, kv, h, ff, V, nb = CFG["d_model"], CFG["d_kv"], CFG["num_heads"], CFG["d_ff"], CFG["vocab_size"], CFG["relative_attention_num_buckets"]
    w = {"shared.weight": torch.randn(V, d, generator=g), "lm_head.weight": torch.randn(V, d, generator=g) * d ** -0.5}
    def attention(p, bias):
        w[p + "q.weight"] = torch.randn(h * kv, d, generator=g) * (d * kv) ** -0.5
        for n in "kv":
            w[p + n + ".weight"] = torch.randn(h * kv, d, generator=g) * d ** -0.5
        w[p + "o.weight"] = torch.randn(d, h * kv, generator=g) * (h * kv) ** -0.5
        if bias:
            w[p + "relative_attention_bias.weight"] = torch.randn(nb, h, generator=g)
    def norm(name):
        w[name] = 1 + 0.2 * torch.randn(d, generator=g)
    def ffn(p):
        w[p + "wi_0.weight"] = torch.randn(ff, d, generator=g) * d ** -0.5
        w[p + "wi_1.weight"] = torch.randn(ff, d, generator=g) * d ** -0.5
        w[p + "wo.weight"] = torch.randn(d, ff, generator=g) * ff ** -0.5
    for i in range(CFG["num_layers"]):
        p = f"encoder.block.{i}.layer."
        attention(p + "0.SelfAttention.", i == 0); norm(p + "0.layer_norm.weight")
        ffn(p + "1.DenseReluDense."); norm(p + "1.layer_norm.weight")
    norm("encoder.final_layer_norm.weight")
    for i in range(CFG["num_decoder_layers"]):
        p = f"decoder.block.{i}.layer."
        attention(p + "0.SelfAttention.", i == 0); norm(p + "0.layer_norm.weight")
        attention(p + "1.EncDecAttention.", False); norm(p + "1.layer_norm.weight")
        ffn(p + "2.DenseReluDense."); norm(p + "2.layer_norm.weight")
    norm("decoder.final_layer_norm.weight")
    return w


def bucket(rel, bidirectional, nb, maxd):
    out = torch.zeros_like(rel)
    if bidirectional:
        nb //= 2
        out += (rel > 0).long() * nb
        n = rel.abs()
    else:
        n = (-rel).clamp(min=0)
    exact = nb // 2
    large = exact + (torch.log(n.float() / exact) / math.log(maxd / exact) * (nb - exact)).long()
    return out + torch.where(n < exact, n, large.clamp(max=nb - 1))


def rms(x, w):
    return w * (x / torch.sqrt((x * x).mean(-1, keepdim=True) + CFG["layer_norm_epsilon"]))


def attend(W, p, x, kv, bias, pk=None, pv=None):
    H, dk = CFG["num_heads"], CFG["d_kv"]
    B, Lq, _ = x.shape
    split = lambda t: t.view(B, t.shape[1], H, dk).transpose(1, 2)
    q, k, v = split(x @ W[p + "q.weight"].T), split(kv @ W[p + "k.weight"].T), split(kv @ W[p + "v.weight"].T)
    if pk is not None:
        k, v = torch.cat([pk, k], 2), torch.cat([pv, v], 2)
    a = torch.softmax(q @ k.transpose(-1, -2) + bias, -1)
    return (a @ v).transpose(1, 2).reshape(B, Lq, H * dk) @ W[p + "o.weight"].T


def ffn(W, p, x):
    g = x @ W[p + "wi_0.weight"].T
    g = 0.5 * g * (1 + torch.tanh(math.sqrt(2 / math.pi) * (g + 0.044715 * g ** 3)))
    return (g * (x @ W[p + "wi_1.weight"].T)) @ W[p + "wo.weight"].T


def forward(W, ids, mask, dec, prefix=None):
    nb, maxd, neg = CFG["relative_attention_num_buckets"], CFG["relative_attention_max_distance"], -1e9
    L, T = ids.shape[1], dec.shape[1]
    pos = torch.arange(L)
    bias = W["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"][bucket(pos[None] - pos[:, None], True, nb, maxd)].permute(2, 0, 1)[None]
    keys = mask
    if prefix is not None:
        pk, pv, pm = prefix
        bias = torch.cat([torch.zeros(1, CFG["num_heads"], L, pm.shape[1], dtype=bias.dtype), bias], -1)
        keys = torch.cat([pm, mask], 1)
    self_bias = bias + (1 - keys)[:, None, None, :] * neg
    x = W["shared.weight"][ids]
    for i in range(CFG["num_layers"]):
        p = f"encoder.block.{i}.layer."
        h = rms(x, W[p + "0.layer_norm.weight"])
        x = x + attend(W, p + "0.SelfAttention.", h, h, self_bias, *( (prefix[0][i], prefix[1][i]) if prefix is not None else (None, None)))
        x = x + ffn(W, p + "1.DenseReluDense.", rms(x, W[p + "1.layer_norm.weight"]))
    enc = rms(x, W["encoder.final_layer_norm.weight"])
    t = torch.arange(T)
    dbias = W["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"][bucket(t[None] - t[:, None], False, nb, maxd)].permute(2, 0, 1)[None]
    dbias = dbias + torch.triu(torch.full((T, T), neg, dtype=dbias.dtype), 1)
    cross = (1 - mask)[:, None, None, :] * neg
    y = W["shared.weight"][dec]
    for i in range(CFG["num_decoder_layers"]):
        p = f"decoder.block.{i}.layer."
        h = rms(y, W[p + "0.layer_norm.weight"])
        y = y + attend(W, p + "0.SelfAttention.", h, h, dbias)
        y = y + attend(W, p + "1.EncDecAttention.", rms(y, W[p + "1.layer_norm.weight"]), enc, cross)
        y = y + ffn(W, p + "2.DenseReluDense.", rms(y, W[p + "2.layer_norm.weight"]))
    dh = rms(y, W["decoder.final_layer_norm.weight"])
    return enc, dh, dh @ W["lm_head.weight"].T


def main():
    g = torch.Generator().manual_seed(20240601)
    weights = random_weights(g)
    folder = os.path.join(HERE, "tiny_t5")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(CFG, f, indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), weights)
    # The same weights as transformers' torch.save checkpoint: pytorch_model.bin (zip format) in which the
    # embedding aliases share shared.weight's storage, as T5ForConditionalGeneration.state_dict() does.
    bin_folder = os.path.join(HERE, "tiny_t5_bin")
    os.makedirs(bin_folder, exist_ok=True)
    with open(os.path.join(bin_folder, "config.json"), "w") as f:
        json.dump(CFG, f, indent=2)
    state = dict(weights)
    state["encoder.embed_tokens.weight"] = state["shared.weight"]
    state["decoder.embed_tokens.weight"] = state["shared.weight"]
    torch.save(state, os.path.join(bin_folder, "pytorch_model.bin"))

    W = {k: v.double() for k, v in weights.items()}
    # 20 positions so distances pass max_distance (12); row 1 is padded after 13 tokens.
    ids = torch.randint(2, 64, (2, 20), generator=g)
    mask = torch.ones(2, 20, dtype=torch.float64)
    mask[1, 13:] = 0
    ids[1, 13:] = 0
    dec = torch.randint(2, 64, (2, 5), generator=g)
    dec[:, 0] = 0
    enc, dh, logits = forward(W, ids, mask, dec)
    P = 3
    pk = [torch.randn(2, CFG["num_heads"], P, CFG["d_kv"], generator=g) for _ in range(CFG["num_layers"])]
    pv = [torch.randn(2, CFG["num_heads"], P, CFG["d_kv"], generator=g) for _ in range(CFG["num_layers"])]
    pm = torch.tensor([[1.0, 1.0, 1.0], [1.0, 0.0, 1.0]], dtype=torch.float64)
    penc, _, plogits = forward(W, ids, mask, dec, ([k.double() for k in pk], [v.double() for v in pv], pm))
    out = {"ids": ids, "mask": mask.float(), "decoder_ids": dec, "encoder": enc.float(), "decoder_hidden": dh.float(),
           "logits": logits.float(), "prefix_mask": pm.float(), "prefixed_encoder": penc.float(), "prefixed_logits": plogits.float()}
    for i in range(CFG["num_layers"]):
        out[f"prefix_key.{i}"] = pk[i]
        out[f"prefix_value.{i}"] = pv[i]
    write_safetensors(os.path.join(HERE, "tiny_t5_expected.safetensors"), out)
    print("wrote", folder)


if __name__ == "__main__":
    main()
