/* Netralitas: the values of a chart's points, by keyboard.
 *
 * The key charts are inline SVG whose points carry a <title> (analysis/publish/hover_svg.py):
 * a mouse shows it as a tooltip and a screen reader reads it, with no JavaScript. This script
 * adds the keyboard: each such chart becomes one tab stop; the arrow keys (Home, End) step
 * through its points, the current point gets a ring, and a line under the chart says its
 * value (read out by screen readers, aria-live). One tab stop per chart, not one per point, so
 * a funnel of 38 provinces does not cost 38 presses of Tab. Text is copied with textContent
 * only; nothing is fetched.
 */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var HINT_ID = "Tekan tombol panah untuk membaca nilai setiap titik";
  var HINT_EN = "Use the arrow keys to read each point's value";

  function say(parent, idText, enText) {
    // in the page's language (lang.js)
    if (window.netralitasSay) window.netralitasSay(parent, idText, enText);
    else parent.textContent = idText + " / " + enText;
  }

  function enable(svg, n) {
    var points = Array.prototype.slice.call(svg.querySelectorAll("g.point"));
    if (!points.length) return;
    var readout = document.createElement("p");
    readout.className = "chart-readout";
    readout.id = "chart-readout-" + n;
    readout.setAttribute("aria-live", "polite");
    svg.parentNode.insertBefore(readout, svg.nextSibling);
    say(readout, HINT_ID, HINT_EN);
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("aria-describedby", readout.id);
    var ring = null;
    var current = -1;

    function show(index) {
      current = (index + points.length) % points.length;
      var point = points[current];
      var box = point.getBBox();
      if (!ring) {
        ring = document.createElementNS(SVG_NS, "rect");
        ring.setAttribute("class", "point-ring");
        ring.setAttribute("aria-hidden", "true");
      }
      point.parentNode.appendChild(ring);
      var pad = 3;
      ring.setAttribute("x", box.x - pad);
      ring.setAttribute("y", box.y - pad);
      ring.setAttribute("width", box.width + 2 * pad);
      ring.setAttribute("height", box.height + 2 * pad);
      var title = point.querySelector("title");
      readout.textContent = (current + 1) + "/" + points.length + ": "
        + (title ? title.textContent : "");
    }

    svg.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      if (step) show(current < 0 && step < 0 ? points.length - 1 : current + step);
      else if (event.key === "Home") show(0);
      else if (event.key === "End") show(points.length - 1);
      else return;
      event.preventDefault();
    });
    svg.addEventListener("blur", function () {
      if (ring && ring.parentNode) ring.parentNode.removeChild(ring);
      current = -1;
      say(readout, HINT_ID, HINT_EN);
    });
  }

  function enhance() {
    var charts = document.querySelectorAll(".chart-svg svg");
    Array.prototype.forEach.call(charts, enable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
}());
