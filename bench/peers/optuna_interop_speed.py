"""Optuna's side of bench/optuna_interop_speed.mjs: reading a large journal file
and copying it into an SQLite RDB file, with Optuna's own storages.

1. read: JournalStorage(JournalFileBackend(file)) and get_all_trials of study 0
   (the replay of every line), seconds.
2. copy: optuna.copy_study from that journal into a fresh SQLite RDBStorage
   file (what a team moving a history between Optuna storages runs), over the
   first --copy-trials trials (a journal of that size, written by the Node side),
   seconds and seconds per trial.

Output JSON: { "versions", "machine", "settings", "results": { "read": s, "read_trials": n,
  "copy": s, "copy_trials": n } }

    bench/.venv/bin/python bench/peers/optuna_interop_speed.py --journal BIG.log --copy-journal SMALL.log --out bench/results/optuna_interop_speed_peers.json
"""
import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--journal", required=True)
    ap.add_argument("--copy-journal", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    common.quiet()
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    t = time.perf_counter()
    trials = JournalStorage(JournalFileBackend(args.journal)).get_all_trials(0, deepcopy=False)
    read = time.perf_counter() - t
    src = JournalStorage(JournalFileBackend(args.copy_journal))
    n_copy = len(src.get_all_trials(0, deepcopy=False))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        optuna.copy_study(from_study_name="big", from_storage=src, to_storage=f"sqlite:///{os.path.join(tmp, 'copy.db')}")
        copy = time.perf_counter() - t
    common.write_json(
        args.out,
        {
            "versions": common.versions(),
            "machine": common.machine(),
            "settings": {"journal": os.path.basename(args.journal), "copy_journal": os.path.basename(args.copy_journal)},
            "results": {"read": read, "read_trials": len(trials), "copy": copy, "copy_trials": n_copy},
        },
    )


if __name__ == "__main__":
    main()
