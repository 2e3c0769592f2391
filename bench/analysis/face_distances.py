#!/usr/bin/env python3
"""How far apart the identity embeddings of different people land, and what grouping them as the engine
does (engine/catalog/people.cpp: best quality first, join the nearest person's running-mean centroid when
nearer than the distance and that person is not in the photo yet) makes of them: the figures behind
kSamePersonDistance and kMinFaceQuality (sdk_docs/analysis.md#people).

Each face is its own person unless an identity file says otherwise (lines "FILE_NAME INDEX LABEL": the
face at that region index of that file is LABEL). The corpus photos with faces show a different person
each, so the default holds for them; variations of one photo (crops, mirrors) need the file.

  grep -v '^#' bench/analysis/corpus_labels.tsv | awk -F'\t' 'NR>1 && ($9>0 || $10>0) {print "../shared/corpus/good/"$1}' \\
      | xargs build/bin/lightbox-engine run --json --no-progress --analysis on --sizes 256 > /tmp/faces.jsonl
  python3 bench/analysis/face_distances.py /tmp/faces.jsonl [identities.txt]
"""
import itertools, json, math, os, sys

faces = []
for line in open(sys.argv[1]):
    photo = json.loads(line)
    name = os.path.basename(photo.get("path", ""))
    for index, region in enumerate(photo.get("regions", [])):
        if region.get("kind") == "face" and region.get("embedding"):
            faces.append({"photo": name, "hash": photo.get("hash"), "index": index, "quality": region.get("quality", 0.0),
                          "embedding": region["embedding"], "who": f"{name}:{index}"})
if len(sys.argv) > 2:
    labels = {}
    for line in open(sys.argv[2]):
        if line.strip() and not line.startswith("#"):
            file_name, index, label = line.split()
            labels[(file_name, int(index))] = label
    for f in faces:
        f["who"] = labels.get((f["photo"], f["index"]), f["who"])


def distance(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def group(threshold, min_quality):
    persons = []
    for f in sorted((f for f in faces if f["quality"] >= min_quality), key=lambda f: (-f["quality"], f["hash"], f["index"])):
        best, best_distance = None, threshold
        for p in persons:
            if f["hash"] in p["photos"]:
                continue
            d = distance(p["centroid"], f["embedding"])
            if d < best_distance:
                best, best_distance = p, d
        if best is None:
            persons.append({"centroid": list(f["embedding"]), "faces": [f], "photos": {f["hash"]}})
        else:
            n = len(best["faces"])
            best["centroid"] = [(c * n + e) / (n + 1) for c, e in zip(best["centroid"], f["embedding"])]
            best["faces"].append(f)
            best["photos"].add(f["hash"])
    return persons


print(f"{len(faces)} faces with an embedding in {len({f['hash'] for f in faces})} photos")
for min_quality in (0.0, 0.1, 0.2, 0.3, 0.4):
    kept = [f for f in faces if f["quality"] >= min_quality]
    apart = sorted(distance(a["embedding"], b["embedding"]) for a, b in itertools.combinations(kept, 2) if a["who"] != b["who"])
    same = sorted(distance(a["embedding"], b["embedding"]) for a, b in itertools.combinations(kept, 2) if a["who"] == b["who"])
    line = f"quality >= {min_quality:.1f}: {len(kept)} faces; different people: {len(apart)} pairs"
    if apart:
        line += f", nearest {apart[0]:.3f}, below 0.5: {sum(d < 0.5 for d in apart)}, below 0.55: {sum(d < 0.55 for d in apart)}, below 0.6: {sum(d < 0.6 for d in apart)}"
    if same:
        line += f"; same person: {len(same)} pairs, farthest {same[-1]:.3f}"
    print(line)
    for threshold in (0.45, 0.5, 0.55, 0.6):
        persons = group(threshold, min_quality)
        mixed = [sorted({f["who"] for f in p["faces"]}) for p in persons if len({f["who"] for f in p["faces"]}) > 1]
        spread = {}
        for i, p in enumerate(persons):
            for f in p["faces"]:
                spread.setdefault(f["who"], set()).add(i)
        split = sorted(who for who, at in spread.items() if len(at) > 1)
        print(f"  distance {threshold:.2f}: {len(persons)} persons, {len(mixed)} holding different people {mixed if mixed else ''}, "
              f"{len(split)} people split {split if split else ''}")
