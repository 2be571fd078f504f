/* Draws every chart of a page with Plotly.
 *
 * The `chart` template tag writes, for each chart, an empty container
 *   <div class="chart" data-figure="ID-figure" role="img" aria-label="…">
 * and its figure as data in <script type="application/json" id="ID-figure">. Pages carry no
 * code of their own per chart, so a Content-Security-Policy can forbid inline scripts.
 *
 * Loaded deferred: it runs once the page is parsed, so every container is there. It then loads
 * plotly.js (the address in its data-plotly attribute) asynchronously, so that the bundle does not
 * hold up htmx and the page's other scripts, and draws the charts once it has arrived.
 * aldeaCharts.ready is a promise of that moment: a page's own script waits for it before it
 * touches a chart (territory-explorer.js).
 *
 * Charts speak the page's language (<html lang>): the bundle carries Plotly's "es" and "pt-br"
 * locales, so dates on axes and in hover text read "ene 2024" or "jan 2024", not "Jan 2024".
 */
(function () {
  "use strict";

  var bundle = document.currentScript && document.currentScript.getAttribute("data-plotly");

  // Plotly's locale for a page language: "pt-br" has its own, "es-mx" uses "es", English none.
  function plotlyLocale(language) {
    var code = (language || "en").toLowerCase();
    if (code === "pt-br") { return code; }
    return code.split("-")[0];
  }

  // No toolbar (zoom, pan, download): on a phone it covered the top of the chart, and its
  // buttons inside a container read as one image (role="img") are controls no screen reader or
  // keyboard can reach (axe: nested-interactive). Hover still shows each point's figures.
  var CONFIG = {
    responsive: true, displayModeBar: false, displaylogo: false,
    locale: plotlyLocale(document.documentElement.lang)
  };

  function draw(container) {
    if (container.hasAttribute("data-chart-drawn")) { return; }
    var source = document.getElementById(container.getAttribute("data-figure"));
    if (!source) { return; }
    try {
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(container, figure.data || [], figure.layout || {}, CONFIG);
      container.setAttribute("data-chart-drawn", "");
    } catch (error) {
      // One broken figure must not keep the page's other charts from being drawn.
      console.error("Chart " + container.id + " could not be drawn:", error);
    }
  }

  function drawWithin(root) {
    if (root.matches && root.matches(".chart[data-figure]")) { draw(root); }
    root.querySelectorAll(".chart[data-figure]").forEach(draw);
  }

  function loadPlotly() {
    if (window.Plotly || !bundle) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = bundle;
      script.async = true;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("plotly.js could not be loaded from " + bundle)); };
      document.head.appendChild(script);
    });
  }

  var ready = loadPlotly().then(function () { drawWithin(document); });
  window.aldeaCharts = { ready: ready };
  ready.catch(function (error) { console.error(error); });

  // Charts in auto-fit grids are measured before fonts and the grid have settled: size them
  // again to their card once the page is laid out (the bundle, being loaded before the load
  // event, has drawn them by then).
  window.addEventListener("load", function () {
    ready.then(function () {
      document.querySelectorAll(".chart[data-chart-drawn]").forEach(function (container) {
        Plotly.Plots.resize(container);
      });
    });
  });

  // A fragment that htmx swaps in may bring charts of its own.
  document.addEventListener("htmx:load", function (event) {
    ready.then(function () { drawWithin(event.detail.elt); });
  });
})();
