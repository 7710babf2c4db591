// The sign register page: the signs on a map, coloured by condition; opening work orders
// from the findings.
(function () {
  "use strict";
  const el = document.getElementById("signs-map");
  if (el && window.maplibregl) {
    const points = JSON.parse(el.dataset.points);
    const map = new maplibregl.Map({
      container: el,
      style: { version: 8, sources: {}, layers: [
        { id: "bg", type: "background", paint: { "background-color": "#f2efe9" } }] },
      attributionControl: false,
    });
    map.on("load", async () => {
      // The streets for orientation, under the signs.
      const streets = await (await fetch("/api/layers/streets")).json();
      map.addSource("streets", { type: "geojson", data: streets });
      map.addLayer({ id: "streets", type: "line", source: "streets",
        paint: { "line-color": "#c8b48a", "line-width": 2 } });
      map.addSource("signs", { type: "geojson", data: points });
      map.addLayer({ id: "signs", type: "circle", source: "signs", paint: {
        "circle-radius": ["case", [">", ["get", "findings"], 0], 6, 4],
        "circle-color": ["get", "colour"],
        "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
      const xs = points.features.map((f) => f.geometry.coordinates[0]);
      const ys = points.features.map((f) => f.geometry.coordinates[1]);
      if (xs.length) {
        map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]],
          { padding: 30, duration: 0 });
      }
      map.on("click", "signs", (e) => {
        location.href = "/signs/" + encodeURIComponent(e.features[0].properties.code);
      });
      el.dataset.ready = "1";
    });
  }
  const button = document.getElementById("from-findings");
  if (button) {
    button.addEventListener("click", async () => {
      const csrf = document.querySelector("input[name=csrf]")?.value || "";
      const r = await fetch("/api/work-orders/from-findings", {
        method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: "{}" });
      const body = await r.json();
      document.getElementById("from-findings-result").textContent =
        r.ok ? `已开具工单 ${body.opened} 张` : body.error;
      if (r.ok && body.opened) setTimeout(() => location.reload(), 600);
    });
  }
})();
