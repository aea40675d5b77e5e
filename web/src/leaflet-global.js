// leaflet.markercluster extends the global `L`: this module sets it before the plugin
// is evaluated (import it first).
import L from "leaflet";

window.L = L;
export default L;
