/* Charts of the corpus and agency pages, drawn by the vendored Chart.js (served by this app). */
(function () {
  "use strict";
  if (!window.Chart) return;
  var font = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif';
  Chart.defaults.font.family = font;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var colors = ["#1f5fae", "#c62828", "#d08a1b", "#2e7d32", "#6a4c93", "#00838f", "#8d6e63", "#5c6bc0"];
  /* Long row labels (the 2021 （六） rows) are cut on the axis; the tooltip shows them whole. */
  function shortLabel(value) {
    var label = this.getLabelForValue(value);
    return label.length > 20 ? label.slice(0, 19) + "…" : label;
  }
  function make(id, config) {
    var el = document.getElementById(id);
    if (el) new Chart(el, config);
  }
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.getAttribute("data-chart")) : null;
  }
  var c = data("corpus-charts");
  if (c) {
    make("chart-outcomes", { type: "bar", data: { labels: c.outcomes.labels,
      datasets: [{ label: "件数", data: c.outcomes.data, backgroundColor: colors[0] }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } },
                 scales: { y: { ticks: { autoSkip: false, font: { size: 11 }, callback: shortLabel } } } } });
    make("chart-trends", { type: "line", data: { labels: c.trends.labels,
      datasets: [{ label: "报告数", data: c.trends.reports, borderColor: "#888", backgroundColor: "#888", yAxisID: "y1" }]
        .concat(c.trends.series.map(function (s, i) {
          return { label: s.label, data: s.data, borderColor: colors[i % colors.length], backgroundColor: colors[i % colors.length] };
        })) },
      options: { scales: { y: { beginAtZero: true }, y1: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } } } });
    make("chart-ranking", { type: "bar", data: { labels: c.ranking.labels,
      datasets: [{ label: "错误", data: c.ranking.error, backgroundColor: colors[1] },
                 { label: "警告", data: c.ranking.warning, backgroundColor: colors[2] }] },
      options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: shortLabel } } } } });
    make("chart-regions", { type: "bar", data: { labels: c.regions.labels,
      datasets: [{ label: "报告", data: c.regions.reports, backgroundColor: colors[0] },
                 { label: "错误", data: c.regions.error, backgroundColor: colors[1] },
                 { label: "警告", data: c.regions.warning, backgroundColor: colors[2] }] } });
  }
  var a = data("agency-charts");
  if (a) {
    make("chart-agency-trend", { type: "line", data: { labels: a.labels, datasets: a.datasets.map(function (s, i) {
      return { label: s.label, data: s.data, borderColor: colors[i % colors.length], backgroundColor: colors[i % colors.length], spanGaps: true };
    }) }, options: { scales: { y: { beginAtZero: true } } } });
    make("chart-agency-findings", { type: "bar", data: { labels: a.findings.labels,
      datasets: [{ label: "错误", data: a.findings.error, backgroundColor: colors[1] },
                 { label: "警告", data: a.findings.warning, backgroundColor: colors[2] }] },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
  }
})();
