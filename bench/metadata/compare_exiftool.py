#!/usr/bin/env python3
"""How often the exif stage's summary agrees with exiftool on ISO and lens, over a folder of real photos.

Runs `lightbox-engine run --only metadata --json` and `exiftool -j -G1 -a` over the same folder, pairs the
files by path and prints, for ISO and lens, the files where exiftool has a value, how many of them the
engine agrees with, and the disagreements (bench/README.md, "EXIF summary against exiftool", has the
figures).

  python3 bench/metadata/compare_exiftool.py                       # ../shared/corpus/good, build/bin/lightbox-engine
  python3 bench/metadata/compare_exiftool.py --engine build/bin/lightbox-engine --min 97 /path/to/photos

What counts as exiftool's value (the corpus's truth/summary.tsv picks them the same way):
  ISO   ExifIFD:ISO, else XMP-exif:ISO, else the first ISO of any other group (Composite, a maker note).
        exiftool prints some maker-note ISOs as a list ("0 200"): agreeing with any number of it counts.
        Equal within 0.5.
  lens  ExifIFD:LensModel, else XMP-exifEX:LensModel, else XMP-aux:Lens, else the first LensModel of any
        other group (Canon, Olympus maker notes). Equal as text, blanks at either end ignored.
Exit code: 0, or 1 when --min is given and a figure is below it, 2 when a tool fails.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def first_value(entry, preferred, tag):
    """The value of the first key of `preferred` present, else of the first `<group>:<tag>` key."""
    for key in preferred:
        if key in entry and str(entry[key]).strip():
            return entry[key]
    for key, value in entry.items():
        if key.split(":")[-1] == tag and str(value).strip():
            return value
    return None


def numbers_of(value):
    out = []
    for word in str(value).replace(",", " ").split():
        try:
            out.append(float(word))
        except ValueError:
            pass
    return out


def run_engine(engine, folder):
    proc = subprocess.run([engine, "run", "--only", "metadata", "--json", "--no-progress", folder],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):  # 1: some files failed, which is not this script's business
        sys.exit(f"lightbox-engine failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    by_path = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        by_path[os.path.realpath(record.get("path", ""))] = record.get("exif", {})
    return by_path


def run_exiftool(exiftool, folder):
    proc = subprocess.run([exiftool, "-j", "-G1", "-a", "-r", "-q", "-q", "--System:all", folder],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not proc.stdout.strip():
        sys.exit(f"exiftool gave nothing ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return {os.path.realpath(e["SourceFile"]): e for e in json.loads(proc.stdout)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus", "good"))
    parser.add_argument("--engine", default=os.environ.get("LIGHTBOX_ENGINE", os.path.join(ROOT, "build", "bin", "lightbox-engine")))
    parser.add_argument("--exiftool", default="exiftool")
    parser.add_argument("--min", type=float, default=None, help="percentage each figure must reach (exit code 1 otherwise)")
    parser.add_argument("--examples", type=int, default=10, help="disagreements listed per field")
    args = parser.parse_args()

    folder = os.path.realpath(args.folder)
    ours = run_engine(args.engine, folder)
    theirs = run_exiftool(args.exiftool, folder)

    fields = {
        "iso": (["ExifIFD:ISO", "XMP-exif:ISO"], "ISO"),
        "lens": (["ExifIFD:LensModel", "XMP-exifEX:LensModel", "XMP-aux:Lens"], "LensModel"),
    }
    tally = {name: {"compared": 0, "agreed": 0, "misses": []} for name in fields}
    for path, entry in sorted(theirs.items()):
        if path not in ours:  # not a photo the engine reads (BigTIFF, an MP4-branded HEIF) or a failure
            continue
        exif = ours[path]
        for name, (preferred, tag) in fields.items():
            truth = first_value(entry, preferred, tag)
            if truth is None:
                continue
            got = exif.get(name)
            if name == "iso":
                values = [v for v in numbers_of(truth) if v > 0]
                if not values:  # exiftool's ISO 0 is no ISO
                    continue
                ok = got is not None and any(abs(float(got) - v) <= 0.5 for v in values)
            else:
                ok = got is not None and str(got).strip() == str(truth).strip()
            t = tally[name]
            t["compared"] += 1
            t["agreed"] += ok
            if not ok:
                t["misses"].append(f"{os.path.relpath(path, folder)}: exiftool '{truth}', lightbox '{got if got is not None else '<none>'}'")

    print(f"{folder}: {len(theirs)} files by exiftool, {len(ours)} read by lightbox-engine")
    below = False
    for name, t in tally.items():
        rate = 100.0 * t["agreed"] / t["compared"] if t["compared"] else 100.0
        print(f"{name}: {t['agreed']}/{t['compared']} agree ({rate:.1f} %)")
        for miss in t["misses"][: args.examples]:
            print(f"    {miss}")
        below = below or (args.min is not None and rate < args.min)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
