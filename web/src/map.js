// The map: the region's own geometry as the base layer (no tile server), territories
// outlined, services as clustered keyboard-reachable markers, and the coverage
// choropleth.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";

/** Fill colours of the coverage classes (0, 1, 2, 3 or more categories missing). */
export const COVERAGE_COLOURS = ["#e8f3e8", "#fbe3a4", "#f4a259", "#c8553d"];

export function coverageClass(missingCount) {
  return Math.min(missingCount, COVERAGE_COLOURS.length - 1);
}

// Icons, not classes on the markers' elements: markercluster recreates the elements as
// it redraws, and an icon survives that.
const PIN = L.divIcon({ className: "pin", html: "<span></span>", iconSize: [18, 18] });
const SELECTED_PIN = L.divIcon({ className: "pin selected", html: "<span></span>", iconSize: [18, 18] });

export class ServiceMap {
  constructor(element, { onSelect }) {
    this.map = L.map(element, {
      attributionControl: false,
      zoomSnap: 0.5,
      minZoom: 10,
      maxZoom: 18,
      keyboard: true,
    });
    this.map.setView([50.8466, 4.3528], 11.5);
    this.onSelect = onSelect;
    this.base = L.layerGroup().addTo(this.map);
    this.overlay = L.layerGroup().addTo(this.map);
    this.markersById = new Map();
    this.clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      // Redrawn at once, so that a selection can find and spread out its cluster.
      animate: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: 45,
      iconCreateFunction: (cluster) => {
        const n = cluster.getChildCount();
        return L.divIcon({
          className: "cluster",
          html: `<span>${n}</span>`,
          iconSize: [36, 36],
        });
      },
    });
    // Enter on a focused cluster zooms into it (markercluster's own `clusterkeypress`).
    this.map.addLayer(this.clusters);
  }

  /** The region, communes and bassins drawn as the base map; `own` bassin highlighted. */
  drawBase({ region, communes, bassins, ownBassin }) {
    this.base.clearLayers();
    L.geoJSON(region, {
      interactive: false,
      style: { color: "#5b6770", weight: 1.5, fillColor: "#ffffff", fillOpacity: 1 },
    }).addTo(this.base);
    L.geoJSON(communes, {
      interactive: false,
      style: { color: "#9aa5ad", weight: 0.8, fill: false },
    }).addTo(this.base);
    const bassinLayer = L.geoJSON(bassins, {
      interactive: false,
      style: (feature) =>
        feature.properties.code === ownBassin
          ? { color: "#0b5394", weight: 4, fillColor: "#cfe2f3", fillOpacity: 0.45 }
          : { color: "#40505c", weight: 2, fill: false, dashArray: "6 4" },
    }).addTo(this.base);
    if (!this.fitted) {
      this.map.fitBounds(bassinLayer.getBounds(), { padding: [8, 8] });
      this.fitted = true;
    }
  }

  /** One marker per place of each service of a GeoJSON FeatureCollection. */
  showServices(collection, { fit }) {
    this.clusters.clearLayers();
    this.markersById.clear();
    const markers = [];
    for (const feature of collection.features ?? []) {
      const [lon, lat] = feature.geometry.coordinates;
      const { service, name, address } = feature.properties;
      const marker = L.marker([lat, lon], {
        title: address ? `${name} — ${address}` : name,
        alt: name,
        icon: PIN,
        keyboard: true,
      });
      marker.on("click", () => this.onSelect(service));
      marker.on("keypress", (event) => {
        if (event.originalEvent?.key === "Enter") this.onSelect(service);
      });
      marker.serviceId = service;
      markers.push(marker);
      const list = this.markersById.get(service) ?? [];
      list.push(marker);
      this.markersById.set(service, list);
    }
    this.clusters.addLayers(markers);
    this.selected = null;
    if (fit && markers.length > 0) {
      // Not animated: a selection right after would be undone by the animation's end.
      this.map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
    }
    this.mark();
  }

  /** Moves the map to a service's place and marks its places (now and whenever the
   * markers are redrawn). `point` is where to go when its markers are not loaded (the
   * map shows the services in view only). */
  select(serviceId, point) {
    this.selectedId = serviceId;
    const first = this.markersById.get(serviceId)?.[0]?.getLatLng() ?? (point ? L.latLng(point.lat, point.lon) : null);
    if (!first) {
      this.mark();
      return;
    }
    this.map.once("moveend", () => this.mark());
    // Not animated: the clusters are redrawn at once.
    this.map.setView(first, Math.max(this.map.getZoom(), 16), { animate: false });
  }

  unselect() {
    this.selectedId = null;
    this.mark();
  }

  /** Marks the selected service's places on the markers shown. */
  mark() {
    for (const marker of this.selected ?? []) {
      marker.setIcon(PIN);
      marker.setZIndexOffset(0);
    }
    this.selected = this.markersById.get(this.selectedId) ?? null;
    if (!this.selected || this.selected.length === 0) return;
    for (const marker of this.selected) {
      marker.setIcon(SELECTED_PIN);
      marker.setZIndexOffset(1000);
    }
    // A place sharing its address with others stays in a cluster at any zoom: the
    // cluster is spread out (spiderfied) to show it.
    const parent = this.clusters.getVisibleParent(this.selected[0]);
    if (parent && parent !== this.selected[0] && typeof parent.spiderfy === "function") parent.spiderfy();
  }

  /** The circle around the view, as a `near` filter (at most 50 km). */
  view() {
    const center = this.map.getCenter();
    const radius = Math.min(50_000, Math.max(100, center.distanceTo(this.map.getBounds().getNorthEast())));
    return { lat: center.lat, lon: center.lng, radiusMeters: Math.round(radius) };
  }

  /** Calls `listener` when the visitor has moved the map (and it has stopped a moment). */
  onMoved(listener) {
    let timer = null;
    this.map.on("moveend", () => {
      clearTimeout(timer);
      timer = setTimeout(listener, 250);
    });
  }

  /** Quartiers coloured by the number of basic-offer categories they miss. */
  showCoverage(collection, describe) {
    this.overlay.clearLayers();
    L.geoJSON(collection, {
      style: (feature) => ({
        color: "#40505c",
        weight: 0.6,
        fillColor: COVERAGE_COLOURS[coverageClass(feature.properties.missingCount)],
        fillOpacity: 0.85,
      }),
      // A text node: Leaflet would read a string as HTML.
      onEachFeature: (feature, layer) =>
        layer.bindTooltip(() => document.createTextNode(describe(feature.properties)), { sticky: true }),
    }).addTo(this.overlay);
  }

  setMode(mode) {
    if (mode === "coverage") {
      this.map.removeLayer(this.clusters);
      this.map.addLayer(this.overlay);
    } else {
      this.map.removeLayer(this.overlay);
      this.map.addLayer(this.clusters);
    }
  }

  invalidate() {
    this.map.invalidateSize();
  }
}
