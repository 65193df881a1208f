/* Dashboard charts, drawn with the vendored Chart.js from the JSON data islands the page
   carries (<script type="application/json">): no inline script, so a strict CSP holds.
   Each chart repeats a table of the page, which stays the primary content. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  // DSFR colours: blue France, then a lighter blue and a green that stay apart in grey scale.
  var COLOURS = ["#000091", "#8585f6", "#18753c", "#b34000"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function read(id) {
    var island = document.getElementById(id);
    if (!island) {
      return null;
    }
    try {
      return JSON.parse(island.textContent);
    } catch (error) {
      return null;
    }
  }

  function draw(canvas) {
    var spec = read(canvas.getAttribute("data-chart"));
    if (!spec) {
      return;
    }
    var horizontal = Boolean(spec.horizontal);
    var stacked = Boolean(spec.stacked);
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      ticks: {precision: 0},
      title: {display: Boolean(spec.yTitle), text: spec.yTitle || ""}
    };
    var labelAxis = {stacked: stacked};
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          return {label: dataset.label, data: dataset.data,
                  backgroundColor: COLOURS[index % COLOURS.length]};
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: reduceMotion ? false : {duration: 400},
        maintainAspectRatio: false,
        plugins: {legend: {display: spec.datasets.length > 1, position: "bottom"}},
        scales: horizontal ? {x: valueAxis, y: labelAxis} : {x: labelAxis, y: valueAxis}
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
