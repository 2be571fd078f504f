/* The territory explorer's map: switch its colour layer, and open a municipality's card from
 * the map or the picker. Loaded deferred after aldea/charts.js; the map's own handlers wait
 * for aldeaCharts.ready (plotly.js loaded, the map drawn). The layers come from a json_script
 * element, the card URL from #municipality-card. */
(function () {
  "use strict";

  var map = document.getElementById("explorer-map");
  var card = document.getElementById("municipality-card");
  var layerData = document.getElementById("explorer-layers");
  if (!map || !card || !layerData) { return; }
  var cardUrl = card.getAttribute("data-card-url");
  var layers = JSON.parse(layerData.textContent);

  function openCard(code) {
    htmx.ajax("GET", cardUrl.replace("00000", code), { target: "#municipality-card", swap: "innerHTML" });
  }

  var pick = document.getElementById("municipality-pick");
  if (pick) {
    pick.addEventListener("change", function () { if (pick.value) { openCard(pick.value); } });
  }

  window.aldeaCharts.ready.then(function () {
    document.querySelectorAll("#layer-switch input").forEach(function (input) {
      input.addEventListener("change", function () {
        var layer = layers[Number(input.value)];
        // Trace 0 is the invisible anchor point; trace 1 is the municipalities (a choropleth, or
        // points at the municipal seats): the server wrote the update for either.
        Plotly.restyle(map, layer.restyle, [1]);
      });
    });

    map.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      // A choropleth's point has the code as its location; a municipal seat carries it as customdata.
      var code = point && point.curveNumber === 1 ? (point.location || point.customdata) : null;
      if (code) { openCard(code); }
    });
  });
})();
