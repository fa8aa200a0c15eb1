// Draw the report's charts with the vendored ECharts from the JSON data island the page
// carries (id "report-charts"). Each chart has a table beside it with the same figures.
(function () {
  "use strict";
  var island = document.getElementById("report-charts");
  if (!island || !window.echarts) return;
  var data = JSON.parse(island.textContent);
  var palette = ["#c0392b", "#2c6e9b", "#4d8b31", "#b7791f", "#6b4c9a", "#1f7a7a", "#8a5a44", "#555"];

  function bars(spec, stacked) {
    return {
      color: palette,
      aria: { enabled: true },
      title: { text: spec.title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { top: 24 },
      grid: { top: 64, left: 48, right: 16, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return { name: s.name, type: stacked ? "bar" : "line", data: s.data, smooth: false };
      })
    };
  }

  function pie(spec) {
    return {
      color: palette,
      aria: { enabled: true },
      title: { text: spec.title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: spec.data, label: { formatter: "{b}\n{d}%" } }]
    };
  }

  var builders = {
    monthly: function (spec) { return bars(spec, false); },
    streets: function (spec) { return bars(spec, true); },
    kinds: pie
  };

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var key = element.dataset.chart;
    var spec = data[key];
    if (!spec || !builders[key]) return;
    if (key === "kinds" && spec.data.length === 0) return;
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(builders[key](spec));
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
