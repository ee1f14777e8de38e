/* Lets a resident tap their home on a folium map; fills the hidden lat/lon fields. */
(function () {
  document.querySelectorAll("[data-pick-map]").forEach(function (box) {
    var map = window[box.getAttribute("data-pick-map")];
    if (!map) { return; }
    var lat = box.querySelector("[data-pick=lat]");
    var lon = box.querySelector("[data-pick=lon]");
    var said = box.querySelector(".picked");
    var marker = null;
    map.eachLayer(function (layer) { if (layer instanceof L.Marker) { marker = layer; } });
    var details = box.querySelector("details");
    if (details) {
      details.addEventListener("toggle", function () { map.invalidateSize(); });
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
      if (said) { said.textContent = said.getAttribute("data-picked-text"); }
    });
  });
})();
