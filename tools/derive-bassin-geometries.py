#!/usr/bin/env python3
"""Derives api/data/brussels/bassins.geojson: each bassin d'aide et de soins as the union of
the Monitoring des Quartiers units that monitoring-quartier-bassin.csv assigns to it, and
the region as the union of all 145 units. Slivers and holes under about 100 m² are
dropped; coordinates are rounded to 1e-7 degree (about 1 cm).

Run from the repository root after editing either input:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install shapely
    /tmp/venv/bin/python tools/derive-bassin-geometries.py
The loader (api/src/geo/brussels.rs) checks on every test run that the result still
agrees with the quartier table.
"""
import json, csv
from shapely.geometry import shape, mapping
from shapely.ops import unary_union
from shapely import set_precision
q = json.load(open('api/data/brussels/monitoring-quartiers.geojson'))
assign = {r['quartier_code']: r['bassin'] for r in csv.DictReader(open('api/data/brussels/monitoring-quartier-bassin.csv'))}
geoms = {}
for f in q['features']:
    code = f['properties']['code'].strip()
    geoms[code] = shape(f['geometry']).buffer(0)
def union(gs):
    u = unary_union([set_precision(g, 1e-7) for g in gs])
    # drop slivers: holes and parts under 100 m² (about 1e-8 deg²)
    from shapely.geometry import Polygon, MultiPolygon
    parts = list(u.geoms) if u.geom_type == 'MultiPolygon' else [u]
    clean = []
    for p in parts:
        if p.area < 1e-8: continue
        holes = [h for h in p.interiors if Polygon(h).area >= 1e-8]
        clean.append(Polygon(p.exterior, holes))
    return MultiPolygon(clean)
out = {"type": "FeatureCollection", "features": []}
for key in ['nord','nord-est','centre-ouest','sud','sud-est']:
    u = union([g for c,g in geoms.items() if assign[c]==key])
    n = sum(len(p.exterior.coords)+sum(len(h.coords) for h in p.interiors) for p in u.geoms)
    print(key, len(u.geoms), 'parts', n, 'points', round(u.area*1e4,3))
    out['features'].append({"type":"Feature","properties":{"code":f"bassin:{key}"},"geometry":mapping(u)})
u = union(list(geoms.values()))
n = sum(len(p.exterior.coords)+sum(len(h.coords) for h in p.interiors) for p in u.geoms)
print('region', len(u.geoms), 'parts', n, 'points')
out['features'].append({"type":"Feature","properties":{"code":"region:bru"},"geometry":mapping(u)})
def rnd(o):
    if isinstance(o, float): return round(o, 7)
    if isinstance(o, (list, tuple)): return [rnd(x) for x in o]
    if isinstance(o, dict): return {k: rnd(v) for k,v in o.items()}
    return o
json.dump(rnd(out), open('api/data/brussels/bassins.geojson', 'w'), separators=(',', ':'))
