#!/usr/bin/env python3
"""Per-group precision and recall, and face recall, of a `lightbox-engine run --json` output against the
hand labels in corpus_labels.tsv ('?' rows are left out of that group's figures).

  build/bin/lightbox-engine run --json --no-progress --analysis on --sizes 256 ../shared/corpus/good > /tmp/run.jsonl
  python3 bench/analysis/score.py /tmp/run.jsonl
"""
import json, os, sys

GROUPS = ["people", "animals", "vehicles", "food", "drinks", "sports"]
here = os.path.dirname(os.path.abspath(__file__))
labels = {}
with open(os.path.join(here, "corpus_labels.tsv")) as f:
    header = None
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        if header is None:
            header = cols
            continue
        labels[cols[0]] = dict(zip(header, cols))

found = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    path = j.get("path", "")
    key = path.split("/corpus/good/", 1)[-1]
    if key in labels:
        found[key] = j

missing = sorted(set(labels) - set(found))
print(f"{len(found)} labelled photos in the run ({len(missing)} not in it)")
for g in GROUPS:
    tp = fp = fn = 0
    for key, row in labels.items():
        if key not in found or row[g] == "?":
            continue
        truth = row[g] == "1"
        got = any(t["category"] == "group" and t["name"] == g for t in found[key].get("tags", []))
        tp += truth and got
        fp += got and not truth
        fn += truth and not got
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    print(f"{g:9s} precision {p:.2f} recall {r:.2f}  (tp {tp}, fp {fp}, fn {fn})")
clear = detected = false = total_found = 0
for key, row in labels.items():
    if key not in found:
        continue
    faces = [r for r in found[key].get("regions", []) if r["kind"] == "face"]
    n_clear, n_hard = int(row["faces"] or 0), int(row["hard_faces"] or 0)
    clear += n_clear
    detected += min(len(faces), n_clear)
    false += max(0, len(faces) - n_clear - n_hard)
    total_found += len(faces)
print(f"faces: {detected} of {clear} clearly visible found (recall {detected / max(clear, 1):.2f}, counted per photo); "
      f"{total_found} found, {false} beyond clear + hard faces (false rate {false / max(total_found, 1):.2f})")
