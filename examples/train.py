"""A stand-in training script for `tunekit run examples/python-command.yaml`.

Usage: python3 train.py --lr 0.01 --layers 3 [--epochs 20]

Prints one JSON line per epoch, {"step": epoch, "value": validation_loss},
which tunekit hands to its pruner (a hopeless run is stopped early: its whole
process group gets SIGTERM), and finally {"value": final_loss}. Any script in
any language can do the same; only the standard library is used here.
"""
import argparse
import json
import math
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--layers", type=int, required=True)
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

# A made-up loss surface: best near lr = 0.01 and 3 layers, noisy per trial.
trial = int(os.environ.get("TUNEKIT_TRIAL_NUMBER", "0"))
floor = (math.log10(args.lr) + 2) ** 2 + 0.1 * (args.layers - 3) ** 2
loss = floor + 2.0
for epoch in range(args.epochs):
    loss = floor + 2.0 * math.exp(-0.25 * epoch) + 0.01 * ((trial * 7 + epoch) % 5)
    print(json.dumps({"step": epoch, "value": loss}), flush=True)
    time.sleep(0.02)

print(f"trained {args.layers} layers at lr={args.lr}", file=sys.stderr)
print(json.dumps({"value": loss}), flush=True)
