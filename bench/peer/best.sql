-- PostGraphile at its best: what an experienced PostGraphile user would add to the
-- database for passerelle's two directory pages, instead of answering them through the
-- connection-filter plugin alone. The bench applies this file (idempotent) to the
-- database PostGraphile serves, after passerelle's own runs, and calls
-- peer_private.refresh_service_facet() once the data is in place: as a deployment would
-- after each sync.
--
-- Exposed to PostGraphile (schema `public`, found by its introspection):
-- - services_in_territory(territory, category): page (b) through a SQL function that
--   starts from the selective side (the territory's sites, the category's services);
-- - service_facet: page (b) through a denormalised territory x category -> service
--   table whose primary key is the covering index of the page;
-- - services_near(lat, lon, radius_meters): page (a) through earthdistance, with a GiST
--   index on the sites' points (PostgreSQL's contrib; PostGIS is not needed for a
--   radius and a distance order).
-- Private (schema `peer_private`, not exposed): the facet table's refresh.

CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

-- (b), function: the territory's services intersected with the category's (the category
-- or one of its children: the tree has two levels), visible to anonymous callers.
CREATE OR REPLACE FUNCTION services_in_territory(territory text, category text)
RETURNS SETOF service
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT s.*
  FROM service s
  WHERE s.published AND s.status = 'active'
    AND s.id IN (
      SELECT x.service_id
      FROM territory t
      JOIN site_territory st ON st.territory_id = t.id
      JOIN service_at_site x ON x.site_id = st.site_id
      WHERE t.code = services_in_territory.territory)
    AND s.id IN (
      SELECT sc.service_id
      FROM category c
      LEFT JOIN category p ON p.id = c.parent_id
      JOIN service_category sc ON sc.category_id = c.id
      WHERE c.code = services_in_territory.category
         OR p.code = services_in_territory.category)
  ORDER BY s.id
$$;

-- (b), facet table: one row per (territory at any level, category or its parent,
-- visible service). Its primary key serves the page by an index-only range scan.
CREATE TABLE IF NOT EXISTS service_facet (
  territory_code text NOT NULL,
  category_code text NOT NULL,
  service_id integer NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  PRIMARY KEY (territory_code, category_code, service_id)
);

CREATE SCHEMA IF NOT EXISTS peer_private;

CREATE OR REPLACE FUNCTION peer_private.refresh_service_facet()
RETURNS void
LANGUAGE sql VOLATILE AS $$
  TRUNCATE service_facet;
  INSERT INTO service_facet (territory_code, category_code, service_id)
  SELECT DISTINCT t.code, codes.code, s.id
  FROM service s
  JOIN service_at_site x ON x.service_id = s.id
  JOIN site_territory st ON st.site_id = x.site_id
  JOIN territory t ON t.id = st.territory_id
  JOIN service_category sc ON sc.service_id = s.id
  JOIN category c ON c.id = sc.category_id
  LEFT JOIN category p ON p.id = c.parent_id
  CROSS JOIN LATERAL (VALUES (c.code), (p.code)) AS codes (code)
  WHERE s.published AND s.status = 'active' AND codes.code IS NOT NULL;
  ANALYZE service_facet;
$$;

-- (a), earthdistance: services with a site within radius_meters of the point, nearest
-- first (a service's distance is its nearest site's), visible to anonymous callers. The
-- candidates are the 500 sites nearest the point, read in distance order from the GiST
-- index (a K-nearest-neighbour scan with <->) rather than every site in the radius:
-- enough for a page of 20 in this data, and the form an experienced user would pick.
CREATE INDEX IF NOT EXISTS site_earth ON site USING gist (ll_to_earth(lat, lon))
  WHERE lat IS NOT NULL AND lon IS NOT NULL;

CREATE OR REPLACE FUNCTION services_near(lat float8, lon float8, radius_meters float8)
RETURNS SETOF service
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT s.*
  FROM (
    SELECT x.service_id, min(nearest.meters) AS meters
    FROM (
      SELECT si.id,
             earth_distance(ll_to_earth(si.lat, si.lon),
                            ll_to_earth(services_near.lat, services_near.lon)) AS meters
      FROM site si
      WHERE si.lat IS NOT NULL AND si.lon IS NOT NULL
      ORDER BY ll_to_earth(si.lat, si.lon) <-> ll_to_earth(services_near.lat, services_near.lon)
      LIMIT 500
    ) nearest
    JOIN service_at_site x ON x.site_id = nearest.id
    WHERE nearest.meters <= radius_meters
    GROUP BY x.service_id
  ) near
  JOIN service s ON s.id = near.service_id
  WHERE s.published AND s.status = 'active'
  ORDER BY near.meters, s.id
$$;
