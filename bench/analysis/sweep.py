#!/usr/bin/env python3
"""Precision and recall per group, and face recall, for a range of confidence thresholds, from ONE run made
with low thresholds (the stages report everything above them, with its confidence), against the hand labels
in corpus_labels.tsv. What the thresholds in config/default.toml and config/label_groups.toml were chosen by.

  # the labelled photos, objects.threshold = 0.1, faces.threshold = 0.3 and faces.confident = 0.3:
  awk -F'\\t' '!/^#/ && NF > 3 && $1 != "path" { print "../shared/corpus/good/" $1 }' \\
      bench/analysis/corpus_labels.tsv > /tmp/labelled
  build/bin/lightbox-engine run --config LOW.toml --json --no-progress --analysis on --sizes 256 - \\
      < /tmp/labelled > /tmp/low.jsonl
  python3 bench/analysis/sweep.py /tmp/low.jsonl

A group counts as found when one of its labels (config/label_groups.toml) has a box at or above the
threshold that covers at least MIN_TAG_AREA of the photo (the objects stage's `min_tag_area`). A face
counts when its score is at or above `confident`, or at or above `threshold` and its centre lies inside
a person box at or above the objects threshold (the faces stage's rule).
"""
import json, os, sys, tomllib

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
GROUPS = ["people", "animals", "vehicles", "food", "drinks", "sports"]
MIN_TAG_AREA = 0.001  # the objects stage's default `min_tag_area` (plugins/vision/vision_plugin.cpp)

labels = {}
header = None
for line in open(os.path.join(here, "corpus_labels.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    cols = line.rstrip("\n").split("\t")
    if header is None:
        header = cols
        continue
    labels[cols[0]] = dict(zip(header, cols))

with open(os.path.join(repo, "config", "label_groups.toml"), "rb") as f:
    group_labels = {g["name"]: set(g["labels"]) for g in tomllib.load(f)["group"]}

runs = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    key = j.get("path", "").split("/corpus/good/", 1)[-1]
    if key in labels:
        runs[key] = j.get("regions", [])


def group_scores(thresholds):
    out = {}
    for g in GROUPS:
        row = []
        for t in thresholds:
            tp = fp = fn = 0
            for key, truth_row in labels.items():
                if key not in runs or truth_row[g] == "?":
                    continue
                truth = truth_row[g] == "1"
                got = any(r["kind"] == "object" and r.get("label") in group_labels[g] and r["confidence"] >= t
                          and r["box"][2] * r["box"][3] >= MIN_TAG_AREA for r in runs[key])
                tp += truth and got
                fp += got and not truth
                fn += truth and not got
            p = tp / (tp + fp) if tp + fp else float("nan")
            r = tp / (tp + fn) if tp + fn else float("nan")
            row.append((p, r, tp, fp, fn))
        out[g] = row
    return out


def inside(face, box):
    fx, fy, fw, fh = face["box"]  # x, y, width, height in fractions of the upright image
    bx, by, bw, bh = box["box"]
    cx, cy = fx + fw / 2, fy + fh / 2
    return bx <= cx <= bx + bw and by <= cy <= by + bh


def face_score(threshold, confident, person_threshold):
    clear = detected = false = total = 0
    for key, row in labels.items():
        if key not in runs:
            continue
        regions = runs[key]
        persons = [r for r in regions if r["kind"] == "object" and r.get("label") == "person" and r["confidence"] >= person_threshold]
        faces = [r for r in regions if r["kind"] == "face" and
                 (r["confidence"] >= confident or (r["confidence"] >= threshold and any(inside(r, p) for p in persons)))]
        n_clear, n_hard = int(row["faces"] or 0), int(row["hard_faces"] or 0)
        clear += n_clear
        detected += min(len(faces), n_clear)
        false += max(0, len(faces) - n_clear - n_hard)
        total += len(faces)
    return detected / max(clear, 1), false / max(total, 1), detected, clear, total


thresholds = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
print(f"{len(runs)} labelled photos in the run")
print("group      " + "".join(f"   t={t:<4}    " for t in thresholds))
for g, row in group_scores(thresholds).items():
    print(f"{g:10s} " + "".join(f"  P{p:.2f} R{r:.2f} " for p, r, *_ in row))
print("\nfaces (threshold, confident, person box threshold): recall, false rate")
for threshold in (0.3, 0.35, 0.4, 0.5, 0.6):
    for confident in (0.5, 0.6, 0.7, 0.8):
        if confident < threshold:
            continue
        for person in (0.25, 0.35):
            r, f, d, c, t = face_score(threshold, confident, person)
            print(f"  {threshold:.2f} {confident:.2f} {person:.2f}:  recall {r:.2f} ({d}/{c})  false {f:.2f} of {t}")
