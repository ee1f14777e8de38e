/* Leaflet in the page's language, loaded right after leaflet.js and before any map is made
   (areas/maps.py base_map). Its own labels are English: "Zoom in", "Zoom out" and "Marker".
   A marker that does nothing when chosen is an image with a name, not a button: kaart.js turns
   the keyboard on for its own markers, which open a popup or zoom in (issue 27, item 8). */
(function () {
  "use strict";
  var english = (document.documentElement.lang || "nl").indexOf("en") === 0;
  L.Control.Zoom.mergeOptions({
    zoomInTitle: english ? "Zoom in" : "Inzoomen",
    zoomOutTitle: english ? "Zoom out" : "Uitzoomen"
  });
  L.Marker.mergeOptions({ alt: english ? "Place on the map" : "Plek op de kaart", keyboard: false });
})();
