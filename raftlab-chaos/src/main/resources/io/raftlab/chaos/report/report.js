// Draws the run report's timeline and node lanes from the JSON in #run-data. Everything is local:
// the page must work from a file: URL with no network. After drawing, it records what it drew in
// body data attributes (rendered, opBars, binBars, faultBands, highlighted, roleSegments, plots)
// so that tests can check the page from its DOM.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("run-data").textContent);
  var OUTCOME_FILL = ["#2ca02c", "#d62728", "url(#hatch-info)", "url(#hatch-open)"];
  var OUTCOME_NAME = ["ok", "fail", "info", "never completed"];
  var ROLE_FILL = {
    LEADER: "#1f5fa8", FOLLOWER: "#b9d3ee", CANDIDATE: "#ff9f40", PRE_CANDIDATE: "#ffd8a8", DOWN: "url(#hatch-down)"
  };
  var LABEL_W = 120, RIGHT = 16;
  var view = { t0: 0, t1: data.duration };
  var stats = { opBars: 0, binBars: 0, faultBands: 0, highlighted: 0, context: 0, roleSegments: 0 };
  var first = true;

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) { if (attrs.hasOwnProperty(k)) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function title(node, text) { el("title", {}, node).textContent = text; }
  function fmt(s) {
    var span = view.t1 - view.t0;
    var digits = span >= 20 ? 0 : span >= 2 ? 1 : span >= 0.2 ? 2 : span >= 0.02 ? 3 : 4;
    return s.toFixed(digits) + "s";
  }
  function niceStep(span, target) {
    var raw = span / target, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= raw) { return steps[i] * p; } }
    return 10 * p;
  }
  function defs(svg) {
    var d = el("defs", {}, svg);
    [["hatch-info", "#9e9e9e", "#ececec"], ["hatch-open", "#616161", "#f5f5f5"], ["hatch-down", "#444", "#cfcfcf"]]
      .forEach(function (h) {
        var p = el("pattern", { id: h[0], patternUnits: "userSpaceOnUse", width: 6, height: 6,
          patternTransform: "rotate(45)" }, d);
        el("rect", { width: 6, height: 6, fill: h[2] }, p);
        el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: h[1], "stroke-width": 3 }, p);
      });
  }

  function scale(width) {
    var plotW = width - LABEL_W - RIGHT;
    return function (t) { return LABEL_W + (t - view.t0) / (view.t1 - view.t0) * plotW; };
  }
  function visibleFaults() {
    return data.faults.filter(function (f) { return f.end >= view.t0 && f.start <= view.t1; });
  }
  // Greedy rows for fault labels so that they do not overlap; returns the row of each visible fault.
  function labelRows(sx) {
    var rowEnds = [];
    return visibleFaults().map(function (f) {
      var x0 = Math.max(LABEL_W, sx(f.start)), row = 0;
      while (row < rowEnds.length && rowEnds[row] > x0) { row++; }
      rowEnds[row] = x0 + 7 * f.label.length + 8;
      return row;
    });
  }
  var MAX_LABEL_ROWS = 3;

  // Lays out the shared time axis, fault bands (labelled above the axis when rows > 0) and returns
  // the x scale.
  function frame(svg, width, top, height, rows) {
    var plotW = width - LABEL_W - RIGHT;
    var sx = scale(width);
    var step = niceStep(view.t1 - view.t0, Math.max(4, Math.floor(plotW / 110)));
    var axis = el("g", { "class": "axis" }, svg);
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1 + 1e-12; t += step) {
      var x = sx(t);
      el("line", { x1: x, x2: x, y1: top - 4, y2: top + height, "class": "grid" }, axis);
      el("text", { x: x, y: top - 6, "text-anchor": "middle" }, axis).textContent = fmt(t);
    }
    var bands = el("g", { "class": "faults" }, svg);
    visibleFaults().forEach(function (f, i) {
      var x0 = Math.max(LABEL_W, sx(f.start)), x1 = Math.min(width - RIGHT, sx(f.end));
      var w = Math.max(2, x1 - x0);
      var text = f.label + (f.open ? " (never stopped)" : "") + ": " + f.start.toFixed(3) + "s → "
        + (f.open ? "end" : f.end.toFixed(3) + "s") + (f.detail ? " — " + f.detail : "");
      var band = el("rect", { x: x0, y: top, width: w, height: height, fill: f.color, "fill-opacity": 0.16,
        stroke: f.color, "stroke-opacity": 0.6, "class": "fault-band", "data-fault": f.fault }, bands);
      title(band, text);
      if (rows && rows[i] < MAX_LABEL_ROWS) {
        var label = el("text", { x: x0 + 2, y: top - 22 - rows[i] * 13, fill: f.color, "class": "fault-label" }, svg);
        label.textContent = f.label;
        title(label, text);
      }
      stats.faultBands++;
    });
    return sx;
  }

  // A faint copy of each band over the bars, so that faults stay visible in dense lanes; it lets
  // the mouse through to the bars underneath.
  function overlayFaults(svg, sx, top, height, width) {
    var g = el("g", { "class": "fault-overlays", "pointer-events": "none" }, svg);
    visibleFaults().forEach(function (f) {
      var x0 = Math.max(LABEL_W, sx(f.start)), x1 = Math.min(width - RIGHT, sx(f.end));
      el("rect", { x: x0, y: top, width: Math.max(2, x1 - x0), height: height, fill: f.color, "fill-opacity": 0.12,
        "class": "fault-overlay" }, g);
    });
  }

  function brush(svg, sx, top, height, width) {
    var start = null, sel = null;
    var plotW = width - LABEL_W - RIGHT;
    function toT(x) { return view.t0 + (x - LABEL_W) / plotW * (view.t1 - view.t0); }
    function px(evt) { var r = svg.getBoundingClientRect(); return evt.clientX - r.left; }
    svg.addEventListener("mousedown", function (evt) {
      start = Math.max(LABEL_W, px(evt));
      sel = el("rect", { x: start, y: top, width: 0, height: height, "class": "brush" }, svg);
    });
    svg.addEventListener("mousemove", function (evt) {
      if (sel) { var x = Math.min(width - RIGHT, Math.max(LABEL_W, px(evt)));
        sel.setAttribute("x", Math.min(x, start)); sel.setAttribute("width", Math.abs(x - start)); }
    });
    svg.addEventListener("mouseup", function (evt) {
      if (!sel) { return; }
      var x = Math.min(width - RIGHT, Math.max(LABEL_W, px(evt)));
      sel.remove(); sel = null;
      if (Math.abs(x - start) > 4) { zoom(toT(Math.min(x, start)), toT(Math.max(x, start))); }
    });
    svg.addEventListener("dblclick", function () { zoom(0, data.duration); });
  }

  function zoom(t0, t1) {
    view.t0 = Math.max(0, t0);
    view.t1 = Math.min(data.duration, Math.max(t1, t0 + 1e-6));
    draw();
  }

  function drawClients() {
    var box = document.getElementById("timeline");
    box.textContent = "";
    var width = Math.max(900, box.clientWidth || 1200);
    var lanes = data.lanes.length;
    var laneH = lanes <= 40 ? 16 : Math.max(5, Math.min(16, Math.floor(720 / lanes)));
    var rows = labelRows(scale(width));
    var used = Math.min(MAX_LABEL_ROWS, rows.length === 0 ? 0 : Math.max.apply(null, rows) + 1);
    var top = 24 + 13 * used, height = lanes * laneH;
    var svg = el("svg", { width: width, height: top + height + 8, "class": "timeline" }, box);
    defs(svg);
    var sx = frame(svg, width, top, height, rows);
    var labels = el("g", { "class": "lane-labels" }, svg);
    data.lanes.forEach(function (lane, i) {
      if (i % 2 === 1) { el("rect", { x: LABEL_W, y: top + i * laneH, width: width - LABEL_W - RIGHT, height: laneH,
        "class": "lane-stripe" }, labels); }
      if (laneH >= 9 || i % Math.ceil(9 / laneH) === 0) {
        var t = el("text", { x: LABEL_W - 6, y: top + i * laneH + laneH / 2 + 4, "text-anchor": "end" }, labels);
        t.textContent = lane.label;
        title(t, "processes " + lane.processes.join(", ") + (lane.processCount > lane.processes.length ? ", …" : ""));
      }
    });
    var g = el("g", { "class": "ops" }, svg);
    if (data.mode === "bins") {
      var width0 = data.bins.width, max = 1;
      data.bins.cells.forEach(function (c) { max = Math.max(max, c[2] + c[3] + c[4]); });
      data.bins.cells.forEach(function (c) {
        var s = c[1] * width0, e = s + width0;
        if (e < view.t0 || s > view.t1) { return; }
        var n = c[2] + c[3] + c[4];
        var fill = c[4] > 0 ? "#8c8c8c" : c[3] > 0 ? OUTCOME_FILL[1] : OUTCOME_FILL[0];
        var r = el("rect", { x: sx(s), y: top + c[0] * laneH + 1, width: Math.max(1, sx(e) - sx(s) - 0.5),
          height: Math.max(1, laneH - 2), fill: fill, "fill-opacity": (0.3 + 0.7 * n / max).toFixed(2),
          "class": "bin-bar" }, g);
        title(r, data.lanes[c[0]].label + " " + fmt(s) + "–" + fmt(e) + ": " + n + " ops (" + c[2] + " ok, "
          + c[3] + " fail, " + c[4] + " info/unknown)");
        stats.binBars++;
      });
    }
    var marks = el("g", { "class": "highlights" }, svg);
    data.ops.forEach(function (o, i) {
      if (o[2] < view.t0 || o[1] > view.t1) { return; }
      var x0 = Math.max(LABEL_W - 2, sx(o[1])), x1 = Math.min(width - RIGHT + 2, sx(o[2]));
      var attrs = { x: x0, y: top + o[0] * laneH + 1, width: Math.max(1.5, x1 - x0), height: Math.max(1, laneH - 2),
        fill: OUTCOME_FILL[o[3]], "class": "op-bar outcome-" + OUTCOME_NAME[o[3]].replace(" ", "-"),
        "data-op": o[4], "data-i": i };
      if (o[6] === 1 || o[6] === 2) {
        attrs["class"] += o[6] === 2 ? " impossible conflict" : " conflict";
        attrs.stroke = "#e00000";
        attrs["stroke-width"] = o[6] === 2 ? 3 : 2;
        stats.highlighted++;
      } else if (o[6] === 3) {
        attrs["class"] += " context";
        attrs.stroke = "#ff8c00";
        attrs["stroke-width"] = 2;
        attrs["stroke-dasharray"] = "4 2";
        stats.context++;
      }
      var r = el("rect", attrs, o[6] > 0 ? marks : g);
      title(r, ["", "in the set that cannot be ordered: ", "IMPOSSIBLE: ", "context (last of the longest legal prefix): "][o[6]] + o[5]);
      if (o[6] === 2) {
        var m = el("text", { x: x0 - 3, y: top + o[0] * laneH + laneH / 2 + 4, "class": "impossible-mark",
          "text-anchor": "end" }, marks);
        m.textContent = "✖";
      }
      stats.opBars++;
    });
    overlayFaults(svg, sx, top, height, width);
    svg.appendChild(marks); // conflicting operations stay on top of everything
    svg.addEventListener("mouseover", function (evt) {
      var i = evt.target.getAttribute && evt.target.getAttribute("data-i");
      if (i !== null && i !== undefined) { document.getElementById("hover").textContent = data.ops[+i][5]; }
    });
    brush(svg, sx, top, height, width);
  }

  function drawNodes() {
    var box = document.getElementById("nodes");
    if (!box || data.nodes.length === 0) { return; }
    box.textContent = "";
    var width = Math.max(900, box.clientWidth || 1200);
    var laneH = 20, top = 24, height = data.nodes.length * laneH;
    var svg = el("svg", { width: width, height: top + height + 8, "class": "node-lanes" }, box);
    defs(svg);
    var sx = frame(svg, width, top, height, null);
    var g = el("g", {}, svg);
    data.nodes.forEach(function (n, i) {
      el("text", { x: LABEL_W - 6, y: top + i * laneH + 14, "text-anchor": "end" }, g).textContent = n.node;
      n.segments.forEach(function (s) {
        if (s[1] < view.t0 || s[0] > view.t1) { return; }
        var x0 = Math.max(LABEL_W, sx(s[0])), x1 = Math.min(width - RIGHT, sx(s[1]));
        var r = el("rect", { x: x0, y: top + i * laneH + 2, width: Math.max(1, x1 - x0), height: laneH - 4,
          fill: ROLE_FILL[s[2]] || "#ccc", "class": "role-segment role-" + s[2] }, g);
        title(r, n.node + " " + s[2] + (s[3] >= 0 ? " term " + s[3] : "") + (s[4] >= 0 ? " commit " + s[4] : "")
          + ": " + s[0].toFixed(3) + "s → " + s[1].toFixed(3) + "s");
        if (s[3] >= 0 && x1 - x0 > 8 + 7 * String(s[3]).length) {
          var t = el("text", { x: x0 + 3, y: top + i * laneH + 14, "class": s[2] === "LEADER" ? "term light" : "term" }, g);
          t.textContent = "t" + s[3];
        }
        stats.roleSegments++;
      });
    });
    overlayFaults(svg, sx, top, height, width);
    brush(svg, sx, top, height, width);
  }

  function draw() {
    stats = { opBars: 0, binBars: 0, faultBands: 0, highlighted: 0, context: 0, roleSegments: 0 };
    drawClients();
    drawNodes();
    var zoomed = view.t0 > 0 || view.t1 < data.duration;
    document.getElementById("view-range").textContent = "showing " + view.t0.toFixed(3) + "s – "
      + view.t1.toFixed(3) + "s of " + data.duration.toFixed(3) + "s" + (zoomed ? " (zoomed)" : "");
    if (first) {
      first = false;
      var b = document.body.dataset;
      b.opBars = stats.opBars; b.binBars = stats.binBars; b.faultBands = stats.faultBands;
      b.highlighted = stats.highlighted; b.context = stats.context; b.roleSegments = stats.roleSegments; b.lanes = data.lanes.length;
    }
  }

  document.getElementById("zoom-reset").addEventListener("click", function () { zoom(0, data.duration); });
  Array.prototype.forEach.call(document.querySelectorAll("[data-zoom-from]"), function (a) {
    a.addEventListener("click", function (evt) {
      evt.preventDefault();
      var from = +a.getAttribute("data-zoom-from"), to = +a.getAttribute("data-zoom-to"), pad = Math.max((to - from) * 0.5, 0.001);
      zoom(from - pad, to + pad);
      document.getElementById("timeline-section").scrollIntoView();
    });
  });
  draw();
  window.addEventListener("load", function () {
    var plots = 0;
    Array.prototype.forEach.call(document.querySelectorAll("img.plot"), function (img) {
      if (img.complete && img.naturalWidth > 0) { plots++; }
    });
    document.body.dataset.plots = plots;
    document.body.dataset.rendered = "ok";
  });
})();
