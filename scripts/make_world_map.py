#!/usr/bin/env python3
"""Derives shell/data/world-110m.txt, the desktop app's offline world map, from the npm package world-atlas
(Natural Earth 1:110m land and country outlines as TopoJSON) and the autotag plugin's gazetteer (city labels).

A developer tool, run by hand (never by the build), when the map is refreshed:

    cd /tmp && npm pack world-atlas@2.0.2 && mkdir -p wa && tar xzf world-atlas-2.0.2.tgz -C wa
    python3 scripts/make_world_map.py /tmp/wa/package plugins/autotag/data/gazetteer.tsv.gz shell/data/world-110m.txt

Output format 1 (read by shell/model/world_map.cpp), lines of text:

    # comment lines
    L <n>                    a land ring (a polygon's outline, closed: the last point joins the first) of
    B <n>                    a border between two countries (an open line) of
    <dlat> <dlon>            n points, one a line: latitude and longitude in hundredths of a degree, written as
                             the difference from the previous point of the ring or line (the first: from 0 0)
    C <lat> <lon> <rank> <name>
                             a city: latitude and longitude in hundredths of a degree, the decimal order of
                             magnitude of its population (5: 100,000-999,999, 6, 7), its name (to the line's end)

Land is Natural Earth's land (land-110m.json), borders are the arcs of countries-110m.json that two countries
share (TopoJSON's mesh of "a !== b"). Cities are the gazetteer's towns of 100,000 people or more, the
biggest first. Positions rounded to 0.01 degree (about 1 km): the 1:110m outlines are only that precise to
within a few km anyway.
"""
import gzip
import json
import sys


def decode_arcs(topology):
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((y * sy + ty, x * sx + tx))  # lat, lon
        arcs.append(points)
    return arcs


def ring_points(arcs, indexes):
    ring = []
    for i in indexes:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(points if not ring else points[1:])
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def hundredths(points):
    out = []
    for lat, lon in points:
        p = (round(lat * 100), round(lon * 100))
        if not out or out[-1] != p:
            out.append(p)
    return out


def write_line(out, kind, points):
    if len(points) < 2:
        return 0
    out.append(f"{kind} {len(points)}")
    plat = plon = 0
    for lat, lon in points:
        out.append(f"{lat - plat} {lon - plon}")
        plat, plon = lat, lon
    return len(points)


def read_cities(gazetteer):
    """Towns of rank >= 5 from the gazetteer (format 1: see plugins/autotag/data/make_gazetteer.py)."""
    cities = []
    lat = lon = 0
    for line in gzip.open(gazetteer, "rt", encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("C\t"):
            continue
        if line.startswith("@"):
            lat = lon = 0
            continue
        parts = line.split("\t")
        lat += int(parts[0])
        lon += int(parts[1])
        rank = int(parts[3]) if len(parts) > 3 else 0
        if rank >= 5:
            cities.append((rank, lat, lon, parts[2]))
    cities.sort(key=lambda c: (-c[0], c[3]))
    return cities


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: make_world_map.py WORLD_ATLAS_PACKAGE_DIR GAZETTEER_TSV_GZ OUTPUT")
    package, gazetteer, output = sys.argv[1:]
    out = ["# Lightbox offline world map, format 1 (scripts/make_world_map.py; sources and licences: ATTRIBUTION)"]

    land = json.load(open(f"{package}/land-110m.json"))
    arcs = decode_arcs(land)
    land_points = 0
    for geometry in land["objects"]["land"]["geometries"]:
        for polygon in polygons_of(geometry):
            for ring in polygon:
                land_points += write_line(out, "L", hundredths(ring_points(arcs, ring)))

    countries = json.load(open(f"{package}/countries-110m.json"))
    arcs = decode_arcs(countries)
    uses = [0] * len(arcs)
    for geometry in countries["objects"]["countries"]["geometries"]:
        for polygon in polygons_of(geometry):
            for ring in polygon:
                for i in ring:
                    uses[i if i >= 0 else ~i] += 1
    border_points = 0
    for i, arc in enumerate(arcs):
        if uses[i] >= 2:
            border_points += write_line(out, "B", hundredths(arc))

    cities = read_cities(gazetteer)
    for rank, lat, lon, name in cities:
        out.append(f"C {lat} {lon} {rank} {name}")

    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"{land_points} land points, {border_points} border points, {len(cities)} cities", file=sys.stderr)


if __name__ == "__main__":
    main()
