/* The prikbord map: loads the public posts of the current view from the GeoJSON API and shows
   them clustered (Leaflet.markercluster). With more posts in view than the API sends, it sends
   groups (clusters=1): each becomes a marker that carries its count, markercluster adds up the
   counts of groups it merges, and choosing a group zooms in on it. The folium map is found by
   its name in data-kaart-map, as static/js/pick-point.js does. Titles are user text: they only
   ever go into the page as textContent, never as HTML. Loaded with defer: it starts at
   DOMContentLoaded, after folium's map script (run then too, and registered first) made the map. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-kaart-map]");
  var status = document.getElementById("kaart-status");
  if (!box || !window.L) { return; }
  var map = window[box.getAttribute("data-kaart-map")];
  if (!map || typeof L.markerClusterGroup !== "function") { return; }

  var api = box.getAttribute("data-api");
  var query = box.getAttribute("data-query") || "";
  var soorten = {};
  try { soorten = JSON.parse(box.getAttribute("data-soorten") || "{}"); } catch (e) { soorten = {}; }
  function text(name) { return box.getAttribute("data-text-" + name) || ""; }
  function say(message) { if (status) { status.textContent = message; } }

  function countIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({ html: "<div><span>" + Number(count) + "</span></div>",
                       className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  // leaflet-nl.js keeps plain markers out of the tab order; a group zooms in on Enter, so it stays in.
  L.MarkerCluster.mergeOptions({ keyboard: true });
  var layer = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 50,
    iconCreateFunction: function (cluster) {
      var count = 0;
      cluster.getAllChildMarkers().forEach(function (m) { count += m.options.aantal || 1; });
      return countIcon(count);
    }
  });
  map.addLayer(layer);

  function popup(props) {
    var root = document.createElement("div");
    root.className = "kaart-popup";
    var kind = document.createElement("p");
    kind.className = "kaart-popup-soort";
    kind.textContent = soorten[props.soort] || props.soort;
    if (props.wijk) { kind.textContent += " · " + props.wijk; }
    var title = document.createElement("p");
    title.className = "kaart-popup-titel";
    title.textContent = props.titel;
    var link = document.createElement("a");
    link.href = "/prikbord/" + encodeURIComponent(String(props.id));
    link.textContent = text("open");
    root.appendChild(kind);
    root.appendChild(title);
    root.appendChild(link);
    return root;
  }

  function marker(feature) {
    var c = feature.geometry.coordinates;
    var props = feature.properties;
    var m = L.marker([c[1], c[0]], { title: props.titel, alt: props.titel, keyboard: true });
    m.bindPopup(function () { return popup(props); });
    return m;
  }

  function group(feature) {
    var c = feature.geometry.coordinates;
    var props = feature.properties;
    var label = text("group").replace("{n}", props.aantal);
    var m = L.marker([c[1], c[0]], { icon: countIcon(props.aantal), aantal: props.aantal,
                                     title: label, alt: label, keyboard: true });
    function zoomIn() {
      var b = props.bbox;
      map.fitBounds(L.latLngBounds([b[1], b[0]], [b[3], b[2]]));
    }
    m.on("click", zoomIn);
    m.on("keypress", function (e) { if (pressedEnter(e)) { zoomIn(); } });
    return m;
  }

  // Leaflet opens a marker's popup with Enter but does nothing for a group: zoom in, as a click does.
  function pressedEnter(e) { return e.originalEvent && e.originalEvent.key === "Enter"; }
  layer.on("clusterkeypress", function (e) { if (pressedEnter(e)) { e.layer.zoomToBounds({ padding: [20, 20] }); } });

  function describe(data) {
    if (data.clustered) { return text("clustered").replace("{total}", data.total); }
    var shown = data.features.length;
    if (data.truncated) {
      return text("truncated").replace("{total}", data.total).replace("{n}", shown);
    }
    if (shown === 0) { return text("none"); }
    if (shown === 1) { return text("one"); }
    return text("some").replace("{n}", shown);
  }

  function round(value) { return Math.round(value * 100000) / 100000; }
  function clamp(value, low, high) { return Math.min(Math.max(value, low), high); }

  // The markers on the map by what they show: a post by its id, a group by its place and count.
  // A reload keeps the markers that come back and only swaps the others. Opening a popup pans the
  // map to fit it, and that move reloads: clearing every marker then closed the popup just opened
  // (issue 22, item 1). A marker whose popup is open always stays.
  var shown = {};
  function key(feature, clustered) {
    var p = feature.properties;
    if (!clustered) { return "bericht:" + p.id; }
    return "groep:" + feature.geometry.coordinates.join(",") + ":" + p.aantal + ":" + (p.bbox || []).join(",");
  }
  function show(data) {
    var next = {}, added = [], gone = [];
    data.features.forEach(function (feature) {
      var k = key(feature, data.clustered);
      if (next[k]) { return; }
      next[k] = shown[k] || (data.clustered ? group : marker)(feature);
      if (!shown[k]) { added.push(next[k]); }
    });
    Object.keys(shown).forEach(function (k) {
      if (next[k]) { return; }
      if (shown[k].isPopupOpen && shown[k].isPopupOpen()) { next[k] = shown[k]; } else { gone.push(shown[k]); }
    });
    layer.removeLayers(gone);
    layer.addLayers(added);
    shown = next;
  }

  var latest = 0;
  var controller = null;
  function load() {
    var b = map.getBounds();
    var west = clamp(round(b.getWest()), -180, 180), east = clamp(round(b.getEast()), -180, 180);
    var south = clamp(round(b.getSouth()), -90, 90), north = clamp(round(b.getNorth()), -90, 90);
    if (!(west < east && south < north)) { return; }
    var url = api + "?bbox=" + [west, south, east, north].join(",") + "&clusters=1" + (query ? "&" + query : "");
    var mine = ++latest;
    if (controller) { controller.abort(); }
    controller = typeof AbortController === "function" ? new AbortController() : null;
    say(text("loading"));
    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin",
                 signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (mine !== latest) { return; }
        show(data);
        say(describe(data));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        if (mine === latest) { say(text("error")); }
      });
  }

  var timer = null;
  map.on("moveend", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 300);
  });
  map.whenReady(load);
});
