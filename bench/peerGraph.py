# Exports a GPT-2 checkpoint folder (config.json + model.safetensors in F16, as bench/gpt2SmallCheckpoint.ts
# writes it) to an ONNX graph for the peer comparison (bench/peer.ts): input `input_ids` (int64, 1×n, n
# dynamic), outputs `logits` (1×V, the last position only, as the engine's forward returns) and
# `attention_0` … `attention_{L-1}` (1×h×n×n each: every layer's attention probabilities, so onnxruntime
# computes and hands back the same 144 maps the engine does).
# The model is written out here in plain PyTorch from GPT-2's definition (pre-LN blocks, Conv1D weights
# used as x·W, causal softmax(QKᵀ/√d_k), GELU in the tanh form, tied unembedding), sharing nothing with the
# engine's TypeScript. The fp16 weights are widened to float32 exactly (onnxruntime-web's wasm kernels
# compute in float32, as the engine does), so both sides multiply by the same numbers.
# Run: python3 bench/peerGraph.py <checkpoint folder> <out.onnx>   (needs torch and onnx; opset 17)
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_safetensors(path):
    with open(path, 'rb') as f:
        size = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == '__metadata__':
            continue
        if t['dtype'] != 'F16':
            raise SystemExit(f'{path}: {name} is {t["dtype"]}, expected F16')
        begin, end = t['data_offsets']
        half = np.frombuffer(data, dtype='<f2', count=(end - begin) // 2, offset=begin)
        out[name.removeprefix('transformer.')] = torch.from_numpy(half.astype(np.float32).reshape(t['shape']))
    return out


class Gpt2(nn.Module):
    def __init__(self, config, weights):
        super().__init__()
        self.d = config['n_embd']
        self.h = config['n_head']
        self.layers = config['n_layer']
        self.eps = config['layer_norm_epsilon']
        self.w = nn.ParameterDict({k.replace('.', '_'): nn.Parameter(v, requires_grad=False) for k, v in weights.items()})
        ctx = config['n_positions']
        self.register_buffer('causal', torch.tril(torch.ones(ctx, ctx, dtype=torch.bool)), persistent=False)

    def p(self, name):
        return self.w[name.replace('.', '_')]

    def norm(self, x, prefix):
        return F.layer_norm(x, (self.d,), self.p(f'{prefix}.weight'), self.p(f'{prefix}.bias'), self.eps)

    def forward(self, input_ids):
        n = input_ids.shape[1]
        dk = self.d // self.h
        x = self.p('wte.weight')[input_ids[0]] + self.p('wpe.weight')[torch.arange(n)]  # n×d
        mask = self.causal[:n, :n]
        maps = []
        for layer in range(self.layers):
            b = f'h.{layer}'
            a = self.norm(x, f'{b}.ln_1')
            qkv = a @ self.p(f'{b}.attn.c_attn.weight') + self.p(f'{b}.attn.c_attn.bias')
            q, k, v = (t.reshape(n, self.h, dk).transpose(0, 1) for t in qkv.split(self.d, dim=1))  # h×n×dk
            scores = (q @ k.transpose(1, 2)) / math.sqrt(dk)
            attention = torch.softmax(scores.masked_fill(~mask, float('-inf')), dim=-1)
            maps.append(attention.unsqueeze(0))
            z = (attention @ v).transpose(0, 1).reshape(n, self.d)
            x = x + z @ self.p(f'{b}.attn.c_proj.weight') + self.p(f'{b}.attn.c_proj.bias')
            m = self.norm(x, f'{b}.ln_2')
            up = F.gelu(m @ self.p(f'{b}.mlp.c_fc.weight') + self.p(f'{b}.mlp.c_fc.bias'), approximate='tanh')
            x = x + up @ self.p(f'{b}.mlp.c_proj.weight') + self.p(f'{b}.mlp.c_proj.bias')
        last = self.norm(x[-1:], 'ln_f')  # 1×d
        # logitsᵀ = W_E·lastᵀ with the embedding as stored: x·W_Eᵀ would make the export fold in a transposed
        # copy of the 154 MB table (the engine multiplies the same way, for the same reason).
        return ((self.p('wte.weight') @ last.transpose(0, 1)).transpose(0, 1), *maps)


def main():
    folder, out = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)  # the machine is shared; the export is not what is measured
    with open(f'{folder}/config.json') as f:
        config = json.load(f)
    if config.get('model_type') != 'gpt2':
        raise SystemExit(f'{folder}/config.json: model_type {config.get("model_type")!r}, expected "gpt2"')
    model = Gpt2(config, read_safetensors(f'{folder}/model.safetensors')).eval()
    names = [f'attention_{layer}' for layer in range(config['n_layer'])]
    dynamic = {'input_ids': {1: 'n'}, **{name: {2: 'n', 3: 'n'} for name in names}}
    example = torch.arange(8, dtype=torch.int64).reshape(1, 8)
    with torch.no_grad():
        torch.onnx.export(model, (example,), out, input_names=['input_ids'], output_names=['logits', *names], dynamic_axes=dynamic, opset_version=17, do_constant_folding=True)


if __name__ == '__main__':
    main()
