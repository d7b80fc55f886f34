/* Usage dashboard charts.
 *
 * Each chart is drawn from the accessible <table> in the same <figure>, so the table stays the
 * source of truth for screen readers and exports. Cells carry their number in data-value;
 * an empty data-value is a suppressed figure and is left out of the chart.
 *
 * Options: type ("line", "bar" or "doughnut").
 */
this.ckan.module('datenraum-usage-chart', function ($) {
  'use strict';
  var PALETTE = ['#005ca9', '#e07b00', '#2e8540', '#8e44ad', '#c0392b', '#16a085'];

  function numberOf(cell) {
    var raw = cell.getAttribute('data-value');
    return raw === null || raw === '' ? null : Number(raw);
  }

  function readTable(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll('thead th'));
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    var labels = rows.map(function (row) { return row.querySelector('th').textContent.trim(); });
    var datasets = headers.slice(1).map(function (header, column) {
      return {
        label: header.textContent.trim(),
        data: rows.map(function (row) { return numberOf(row.querySelectorAll('td')[column]); }),
        backgroundColor: PALETTE[column % PALETTE.length],
        borderColor: PALETTE[column % PALETTE.length]
      };
    });
    return { labels: labels, datasets: datasets };
  }

  return {
    options: { type: 'line' },

    initialize: function () {
      var figure = this.el[0];
      var table = figure.querySelector('table');
      var canvas = figure.querySelector('canvas');
      if (!table || !canvas || typeof window.Chart === 'undefined') { return; }
      var data = readTable(table);
      if (this.options.type === 'doughnut' && data.datasets.length) {
        data.datasets[0].backgroundColor = PALETTE.slice(0, data.labels.length);
      }
      this.chart = new window.Chart(canvas, {
        type: this.options.type,
        data: data,
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          spanGaps: true
        }
      });
      canvas.setAttribute('data-chart-rendered', 'true');
    }
  };
});
