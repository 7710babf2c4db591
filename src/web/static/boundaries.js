// The boundary page's map: units, lines by legal status, markers (alerts in red), disputed
// areas and the check's findings.
(function () {
  "use strict";
  const el = document.getElementById("boundary-map");
  if (!el || !window.maplibregl) return;
  const data = JSON.parse(el.dataset.boundaries);
  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": "#f2efe9" } }] },
    attributionControl: false,
  });
  map.on("load", () => {
    for (const name of ["units", "lines", "markers", "disputes", "findings"]) {
      map.addSource(name, { type: "geojson", data: data[name] });
    }
    map.addLayer({ id: "units", type: "line", source: "units", paint: { "line-color": "#999", "line-width": 0.8 } });
    map.addLayer({ id: "disputes", type: "fill", source: "disputes", paint: { "fill-color": "#e74c3c", "fill-opacity": 0.35 } });
    map.addLayer({ id: "lines", type: "line", source: "lines",
      paint: { "line-color": ["case", ["get", "agreed"], "#7b3f00", "#d98c3a"], "line-width": 2.5 } });
    map.addLayer({ id: "findings-area", type: "fill", source: "findings", filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#c0392b", "fill-opacity": 0.6 } });
    map.addLayer({ id: "findings-point", type: "circle", source: "findings", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": "#c0392b", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
    map.addLayer({ id: "markers", type: "circle", source: "markers",
      paint: { "circle-color": ["case", ["get", "alert"], "#d00", "#111"], "circle-radius": 5,
               "circle-stroke-color": "#f1c40f", "circle-stroke-width": 2 } });
    const xs = [], ys = [];
    for (const f of data.lines.features.concat(data.markers.features)) {
      const walk = (c) => (typeof c[0] === "number" ? (xs.push(c[0]), ys.push(c[1])) : c.forEach(walk));
      walk(f.geometry.coordinates);
    }
    if (xs.length) {
      map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 30, duration: 0 });
    }
    el.dataset.ready = "1";
  });
})();
