// The network map: cytoscape.js, data from /map/data (same origin only).
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("cy");
    if (!box || typeof cytoscape === "undefined") { return; }
    var params = new URLSearchParams();
    if (box.dataset.person) { params.set("person", box.dataset.person); }
    if (box.dataset.target) { params.set("target", box.dataset.target); }
    var message = document.getElementById("map-message");
    fetch("/map/data?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (res) {
        var ok = res[0], body = res[1];
        if (!ok) { message.textContent = body.error ? body.error.message : "Could not load the map."; return; }
        if (body.message) { message.textContent = body.message; }
        else if (body.routes && body.routes.length) {
          message.textContent = "Warm paths: " + body.routes.map(function (r) { return r.name; }).join(" | ");
        }
        var small = window.matchMedia("(max-width: 600px)").matches;
        var cy = cytoscape({
          container: box,
          elements: body.elements,
          wheelSensitivity: 0.3,
          style: [
            { selector: "node", style: { "label": "data(label)", "font-size": small ? 13 : 11, "background-color": "#6b7f99", "width": 18, "height": 18, "color": "#1d2733",
                                         "text-outline-color": "#ffffff", "text-outline-width": 2, "text-wrap": "ellipsis", "text-max-width": small ? 90 : 140, "min-zoomed-font-size": 7 } },
            { selector: "node[?path]", style: { "background-color": "#2b8a3e", "border-width": 3, "border-color": "#1b5e20" } },
            { selector: "node[?center]", style: { "background-color": "#d9822b", "width": 30, "height": 30, "font-weight": "bold" } },
            { selector: "node[?org]", style: { "shape": "round-rectangle", "background-color": "#6741d9", "border-color": "#3b1f99", "width": 34, "height": 24, "font-weight": "bold" } },
            { selector: "edge", style: { "width": "mapData(strength, 1, 5, 1, 5)", "line-color": "#c2ccd6", "curve-style": "haystack" } },
            { selector: "edge[?path]", style: { "line-color": "#2b8a3e", "width": 5, "z-index": 10 } },
            { selector: "edge[kind = 'works at']", style: { "line-style": "dashed", "line-color": "#6741d9" } }
          ],
          layout: { name: "cose", animate: false, nodeDimensionsIncludeLabels: true }
        });
        cy.on("tap", "node", function (evt) {
          var id = evt.target.id();
          if (evt.target.data("org")) { window.location.href = "/orgs/" + encodeURIComponent(id); return; }
          if (id !== body.center.id) { window.location.href = "/map?person=" + encodeURIComponent(id); }
        });
        cy.on("dbltap", "node", function (evt) {
          window.location.href = "/people/" + encodeURIComponent(evt.target.id());
        });
        cy.fit(undefined, small ? 12 : 30);
        // what is drawn, for the page's text alternative and for tests
        box.dataset.nodes = String(cy.nodes().length);
        box.dataset.orgs = String(cy.nodes("[?org]").length);
        box.dataset.ready = "1";
      })
      .catch(function () { message.textContent = "Could not load the map."; });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
