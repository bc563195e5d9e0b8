/* wiretrace report: filters, charts and the flow graph, drawn from the JSON data block of
 * the page (id "wiretrace-data"). No library and no request: every number shown is counted
 * here from the articles the filters keep, and every string from the data goes into the page
 * as text (textContent, setAttribute on our own attributes), never as markup. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var ORIGINS = ["state", "agency", "own"];
  var PALETTE = ["#1f5fa8", "#c2452d", "#2e8b57", "#8a5cc2", "#d08b00", "#1a9aa0",
                 "#a83e74", "#5b6b2f", "#6d4c41", "#3f51b5", "#b0592c", "#007f6e"];
  var LIST_LIMIT = 500;
  var WEEKLY_OUTLETS = 6;
  var FLOW_EDGES = 80;

  var source = document.getElementById("wiretrace-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var articles = data.articles;

  function node(name, attrs, text) {
    var element = document.createElement(name);
    setAll(element, attrs);
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    return element;
  }

  function shape(name, attrs, text) {
    var element = document.createElementNS(SVG_NS, name);
    setAll(element, attrs);
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    return element;
  }

  function setAll(element, attrs) {
    if (!attrs) { return; }
    Object.keys(attrs).forEach(function (key) { element.setAttribute(key, String(attrs[key])); });
  }

  function titled(element, text) {
    element.appendChild(shape("title", null, text));
    return element;
  }

  function clear(element) {
    while (element.firstChild) { element.removeChild(element.firstChild); }
  }

  function name(id) {
    return Object.prototype.hasOwnProperty.call(data.names, id) ? data.names[id] : id;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function percent(part, whole) {
    return whole ? Math.round(1000 * part / whole) / 10 + "%" : "–";
  }

  /* ---------------------------------------------------------------- filters */

  var form = document.getElementById("filters");
  var FIELDS = ["outlet", "agency", "from", "to", "basis"];

  function readFilters() {
    var chosen = {};
    FIELDS.forEach(function (field) {
      var input = form ? form.elements.namedItem(field) : null;
      chosen[field] = input ? input.value : "";
    });
    return chosen;
  }

  function keeps(article, chosen) {
    if (chosen.outlet && article.o !== chosen.outlet) { return false; }
    if (chosen.basis && article.b !== chosen.basis) { return false; }
    if (chosen.agency && article.a.indexOf(chosen.agency) < 0) { return false; }
    if (chosen.from && (!article.d || article.d < chosen.from)) { return false; }
    if (chosen.to && (!article.d || article.d > chosen.to)) { return false; }
    return true;
  }

  function fromHash() {
    if (!form) { return; }
    var params = new URLSearchParams(window.location.hash.slice(1));
    FIELDS.forEach(function (field) {
      var input = form.elements.namedItem(field);
      if (input && params.has(field)) { input.value = params.get(field); }
    });
  }

  function toHash(chosen) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (field) { if (chosen[field]) { params.set(field, chosen[field]); } });
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : window.location.pathname);
    /* The other filtered pages open with the same selection. */
    Array.prototype.forEach.call(document.querySelectorAll("a[data-keeps-filters]"), function (link) {
      link.setAttribute("href", link.getAttribute("data-keeps-filters") + (hash ? "#" + hash : ""));
    });
  }

  /* ---------------------------------------------------------------- overview */

  function originCounts(kept) {
    var byOutlet = {};
    kept.forEach(function (article) {
      var row = byOutlet[article.o] || (byOutlet[article.o] = {state: 0, agency: 0, own: 0, total: 0});
      row[article.g] += 1;
      row.total += 1;
    });
    return Object.keys(byOutlet).sort(function (a, b) {
      return byOutlet[b].total - byOutlet[a].total || (a < b ? -1 : 1);
    }).map(function (outlet) { return {outlet: outlet, counts: byOutlet[outlet]}; });
  }

  function drawOrigins(kept) {
    var chart = document.getElementById("origin-chart");
    var table = document.getElementById("origin-rows");
    var rows = originCounts(kept);
    var labelWidth = 200, barWidth = 520, rowHeight = 26, top = 8;
    var height = top + rows.length * rowHeight + 8;
    var most = rows.reduce(function (m, row) { return Math.max(m, row.counts.total); }, 0) || 1;
    clear(chart);
    chart.setAttribute("viewBox", "0 0 " + (labelWidth + barWidth + 60) + " " + height);
    chart.setAttribute("width", String(labelWidth + barWidth + 60));
    chart.setAttribute("height", String(height));
    chart.setAttribute("data-outlets", String(rows.length));
    rows.forEach(function (row, index) {
      var y = top + index * rowHeight;
      var group = shape("g", {"class": "bar", "data-outlet": row.outlet, "data-total": row.counts.total});
      group.appendChild(shape("text", {x: labelWidth - 8, y: y + 16, "class": "label end"}, name(row.outlet)));
      var x = labelWidth;
      ORIGINS.forEach(function (origin) {
        var count = row.counts[origin];
        var width = barWidth * count / most;
        var rect = shape("rect", {
          x: x, y: y + 3, width: width, height: rowHeight - 8, "class": "seg seg-" + origin,
          "data-outlet": row.outlet, "data-origin": origin, "data-count": count
        });
        titled(rect, name(row.outlet) + ": " + plural(count, "article") + " (" + data.labels[origin] + ")");
        group.appendChild(rect);
        x += width;
      });
      group.appendChild(shape("text", {x: x + 6, y: y + 16, "class": "label"}, row.counts.total));
      chart.appendChild(group);
    });
    if (!table) { return; }
    clear(table);
    rows.forEach(function (row) {
      var counts = row.counts;
      var tr = node("tr", {"data-outlet": row.outlet});
      tr.appendChild(node("th", {scope: "row"}, name(row.outlet)));
      ORIGINS.forEach(function (origin) {
        tr.appendChild(node("td", {"class": "num", "data-origin": origin}, counts[origin]));
      });
      tr.appendChild(node("td", {"class": "num", "data-origin": "total"}, counts.total));
      tr.appendChild(node("td", {"class": "num"}, percent(counts.state + counts.agency, counts.total)));
      table.appendChild(tr);
    });
  }

  function mondays(first, last) {
    var weeks = [], day = new Date(first + "T00:00:00Z"), end = new Date(last + "T00:00:00Z");
    while (day <= end && weeks.length < 1000) {
      weeks.push(day.toISOString().slice(0, 10));
      day = new Date(day.getTime() + 7 * 86400000);
    }
    return weeks;
  }

  function drawWeekly(kept) {
    var chart = document.getElementById("weekly-chart");
    var legend = document.getElementById("weekly-legend");
    var byOutlet = {}, volume = {}, seen = [];
    kept.forEach(function (article) {
      if (!article.w) { return; }
      var weeks = byOutlet[article.o] || (byOutlet[article.o] = {});
      var cell = weeks[article.w] || (weeks[article.w] = {total: 0, agency: 0, state: 0});
      cell.total += 1;
      if (article.g !== "own") { cell.agency += 1; }
      if (article.g === "state") { cell.state += 1; }
      volume[article.o] = (volume[article.o] || 0) + 1;
      seen.push(article.w);
    });
    clear(chart);
    clear(legend);
    seen.sort();
    var weeks = seen.length ? mondays(seen[0], seen[seen.length - 1]) : [];
    var outlets = Object.keys(byOutlet).sort(function (a, b) {
      return volume[b] - volume[a] || (a < b ? -1 : 1);
    });
    var shown = outlets.slice(0, WEEKLY_OUTLETS);
    var left = 48, right = 16, top = 12, plotHeight = 220, bottom = 40;
    var plotWidth = 840;
    chart.setAttribute("viewBox", "0 0 " + (left + plotWidth + right) + " " + (top + plotHeight + bottom));
    chart.setAttribute("width", String(left + plotWidth + right));
    chart.setAttribute("height", String(top + plotHeight + bottom));
    chart.setAttribute("data-weeks", String(weeks.length));
    chart.setAttribute("data-outlets", String(shown.length));
    [0, 0.25, 0.5, 0.75, 1].forEach(function (share) {
      var y = top + plotHeight * (1 - share);
      chart.appendChild(shape("line", {x1: left, x2: left + plotWidth, y1: y, y2: y, "class": "grid"}));
      chart.appendChild(shape("text", {x: left - 6, y: y + 4, "class": "label end"}, share * 100 + "%"));
    });
    function xOf(index) {
      return left + (weeks.length > 1 ? plotWidth * index / (weeks.length - 1) : plotWidth / 2);
    }
    var every = Math.max(1, Math.ceil(weeks.length / 10));
    weeks.forEach(function (week, index) {
      if (index % every === 0) {
        chart.appendChild(shape("text", {x: xOf(index), y: top + plotHeight + 18, "class": "label middle"}, week));
      }
    });
    var taken = {};  /* outlets with the same share in the same week: drawn side by side */
    shown.forEach(function (outlet, number) {
      var colour = PALETTE[number % PALETTE.length];
      var group = shape("g", {"class": "series", "data-outlet": outlet});
      var points = [];
      weeks.forEach(function (week, index) {
        var cell = byOutlet[outlet][week];
        if (!cell) { return; }
        var share = cell.agency / cell.total;
        var spot = index + "|" + share.toFixed(3);
        var nudge = weeks.length <= 4 ? taken[spot] || 0 : 0;
        taken[spot] = nudge + 1;
        var point = {x: xOf(index) + 9 * nudge, y: top + plotHeight * (1 - share)};
        points.push(point);
        var dot = shape("circle", {
          cx: point.x, cy: point.y, r: 4, fill: colour, "class": "point",
          "data-outlet": outlet, "data-week": week, "data-agency": cell.agency,
          "data-state": cell.state, "data-total": cell.total, "data-share": share.toFixed(4)
        });
        titled(dot, name(outlet) + ", week of " + week + ": " + cell.agency + " of " +
          plural(cell.total, "article") + " agency copy (" + percent(cell.agency, cell.total) +
          "), " + cell.state + " from state-owned agencies");
        group.appendChild(dot);
      });
      if (points.length > 1) {
        group.insertBefore(shape("polyline", {
          points: points.map(function (p) { return p.x + "," + p.y; }).join(" "),
          stroke: colour, "class": "line"
        }), group.firstChild);
      }
      chart.appendChild(group);
      var item = node("li", {"data-outlet": outlet});
      var swatch = node("span", {"class": "swatch swatch-" + (number % PALETTE.length)});
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(name(outlet)));
      legend.appendChild(item);
    });
    if (outlets.length > shown.length) {
      legend.appendChild(node("li", {"class": "note"},
        (outlets.length - shown.length) + " smaller outlets not drawn: pick one with the outlet filter"));
    }
  }

  /* ---------------------------------------------------------------- flow */

  function flowCounts(kept) {
    var counts = {};
    kept.forEach(function (article) {
      article.e.forEach(function (edge) { counts[edge] = (counts[edge] || 0) + 1; });
    });
    return Object.keys(counts).map(function (key) {
      var ends = key.split("\t");
      return {key: key, from: ends[0], to: ends[1], count: counts[key]};
    }).sort(function (a, b) { return b.count - a.count || (a.key < b.key ? -1 : 1); });
  }

  function layers(edges) {
    /* Columns by longest path from an origin: agencies left, their relays next, outlets right.
     * Copy can go round (A relays B's copy, B relays A's): such back edges, found by a
     * depth-first walk from the origins, are drawn but do not push columns apart. */
    var ids = [], outgoing = {}, incoming = {};
    edges.forEach(function (edge) {
      [edge.from, edge.to].forEach(function (id) {
        if (!(id in outgoing)) { outgoing[id] = []; incoming[id] = 0; ids.push(id); }
      });
      outgoing[edge.from].push(edge);
      incoming[edge.to] += 1;
    });
    var roots = ids.filter(function (id) { return incoming[id] === 0; });
    var state = {}, forward = [];
    function walk(id) {
      state[id] = 1;
      outgoing[id].forEach(function (edge) {
        if (state[edge.to] === 1) { return; }  /* back to a node on the path: a cycle */
        forward.push(edge);
        if (!state[edge.to]) { walk(edge.to); }
      });
      state[id] = 2;
    }
    roots.concat(ids).forEach(function (id) { if (!state[id]) { walk(id); } });
    var depth = {}, waiting = {}, next = {}, queue = [];
    ids.forEach(function (id) { depth[id] = 0; waiting[id] = 0; next[id] = []; });
    forward.forEach(function (edge) { waiting[edge.to] += 1; next[edge.from].push(edge.to); });
    ids.forEach(function (id) { if (waiting[id] === 0) { queue.push(id); } });
    while (queue.length) {
      var id = queue.shift();
      next[id].forEach(function (to) {
        depth[to] = Math.max(depth[to], depth[id] + 1);
        waiting[to] -= 1;
        if (waiting[to] === 0) { queue.push(to); }
      });
    }
    /* Publishers (no copy goes on from them) share the last column. */
    var last = ids.reduce(function (m, id) { return Math.max(m, depth[id]); }, 0);
    ids.forEach(function (id) { if (!outgoing[id].length) { depth[id] = last; } });
    return {depth: depth, ids: ids};
  }

  function drawFlow(kept) {
    var chart = document.getElementById("flow-graph");
    var table = document.getElementById("flow-rows");
    var all = flowCounts(kept);
    var edges = all.slice(0, FLOW_EDGES);
    var shown = document.getElementById("flow-shown");
    if (shown) {
      shown.setAttribute("data-shown", String(edges.length));
      shown.setAttribute("data-edges", String(all.length));
      document.getElementById("flow-shown-text").textContent = all.length > edges.length
        ? edges.length + " of " + plural(all.length, "edge") + " shown, the busiest."
        : "All " + plural(all.length, "edge") + " shown.";
    }
    var placed = layers(edges);
    var through = {};
    edges.forEach(function (edge) {
      through[edge.from] = (through[edge.from] || 0) + edge.count;
      through[edge.to] = (through[edge.to] || 0) + edge.count;
    });
    var columns = [];
    placed.ids.forEach(function (id) {
      (columns[placed.depth[id]] = columns[placed.depth[id]] || []).push(id);
    });
    var nodeWidth = 170, gap = 150, rowHeight = 44, top = 16;
    var position = {}, tallest = 0;
    columns.forEach(function (column, depth) {
      column.sort(function (a, b) { return through[b] - through[a] || (a < b ? -1 : 1); });
      column.forEach(function (id, row) {
        position[id] = {x: 16 + depth * (nodeWidth + gap), y: top + row * rowHeight};
      });
      tallest = Math.max(tallest, column.length);
    });
    var width = 32 + Math.max(1, columns.length) * (nodeWidth + gap) - gap;
    var height = top * 2 + Math.max(1, tallest) * rowHeight;
    clear(chart);
    chart.setAttribute("viewBox", "0 0 " + width + " " + height);
    chart.setAttribute("width", String(width));
    chart.setAttribute("height", String(height));
    chart.setAttribute("data-edges", String(edges.length));
    chart.setAttribute("data-nodes", String(placed.ids.length));
    var most = edges.reduce(function (m, edge) { return Math.max(m, edge.count); }, 0) || 1;
    var edgeLayer = shape("g", {"class": "edges"});
    edges.forEach(function (edge) {
      var a = position[edge.from], b = position[edge.to];
      var x1 = a.x + nodeWidth, y1 = a.y + 13, x2 = b.x, y2 = b.y + 13;
      var bend = Math.max(60, Math.abs(x2 - x1) / 2);
      var link = shape("a", {href: data.edges[edge.key], "class": "edge-link"});
      var path = shape("path", {
        d: "M" + x1 + "," + y1 + " C" + (x1 + bend) + "," + y1 + " " + (x2 - bend) + "," + y2 + " " + x2 + "," + y2,
        "class": "edge", "stroke-width": (1.5 + 14 * edge.count / most).toFixed(2),
        "data-from": edge.from, "data-to": edge.to, "data-count": edge.count
      });
      titled(path, name(edge.from) + " → " + name(edge.to) + ": " + plural(edge.count, "article"));
      link.appendChild(path);
      if (edges.length <= 20 || edge.count * 4 >= most) {  /* label the edges that matter */
        link.appendChild(shape("text", {x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, "class": "label middle edge-count"}, edge.count));
      }
      edgeLayer.appendChild(link);
    });
    chart.appendChild(edgeLayer);
    placed.ids.forEach(function (id) {
      var at = position[id];
      var group = shape("g", {"class": "node", "data-id": id, "data-count": through[id]});
      group.appendChild(titled(shape("rect", {x: at.x, y: at.y, width: nodeWidth, height: 26, rx: 5}), name(id)));
      var label = name(id);
      if (label.length > 24) { label = label.slice(0, 23) + "…"; }
      group.appendChild(shape("text", {x: at.x + 8, y: at.y + 17, "class": "label"}, label));
      chart.appendChild(group);
    });
    if (!table) { return; }
    clear(table);
    all.forEach(function (edge) {
      var tr = node("tr", {"data-from": edge.from, "data-to": edge.to});
      tr.appendChild(node("td", null, name(edge.from)));
      tr.appendChild(node("td", null, name(edge.to)));
      var cell = node("td", {"class": "num"});
      cell.appendChild(node("a", {href: data.edges[edge.key]}, plural(edge.count, "article")));
      tr.appendChild(cell);
      table.appendChild(tr);
    });
  }

  /* ---------------------------------------------------------------- article list */

  function drawList(kept) {
    var table = document.getElementById("article-rows");
    var note = document.getElementById("article-note");
    clear(table);
    var sorted = kept.slice().sort(function (a, b) {
      return (b.d || "").localeCompare(a.d || "") || a.t.localeCompare(b.t);
    });
    sorted.slice(0, LIST_LIMIT).forEach(function (article) {
      var tr = node("tr", {"data-outlet": article.o});
      tr.appendChild(node("td", {"class": "nowrap"}, article.d || "–"));
      tr.appendChild(node("td", null, name(article.o)));
      tr.appendChild(node("td", null, article.c));
      tr.appendChild(node("td", null, article.b));
      var cell = node("td");
      cell.appendChild(node("a", {href: article.p}, article.t));
      tr.appendChild(cell);
      table.appendChild(tr);
    });
    note.textContent = sorted.length > LIST_LIMIT
      ? "The " + LIST_LIMIT + " latest of " + plural(sorted.length, "article") + " shown: narrow the filters to see others."
      : "";
  }

  /* ---------------------------------------------------------------- wiring */

  function update() {
    var chosen = readFilters();
    var kept = articles.filter(function (article) { return keeps(article, chosen); });
    var count = document.getElementById("kept");
    if (count) {
      count.textContent = plural(kept.length, "article") + " of " + articles.length + " match the filters";
      count.setAttribute("data-kept", String(kept.length));
    }
    if (document.getElementById("origin-chart")) { drawOrigins(kept); }
    if (document.getElementById("weekly-chart")) { drawWeekly(kept); }
    if (document.getElementById("flow-graph")) { drawFlow(kept); }
    if (document.getElementById("article-rows")) { drawList(kept); }
    toHash(chosen);
    document.body.setAttribute("data-drawn", "true");
  }

  fromHash();
  var toEdgeList = document.querySelector("#flow-shown a[href='#edge-list']");
  if (toEdgeList) {  /* scroll there, keeping the filters in the address */
    toEdgeList.addEventListener("click", function (event) {
      event.preventDefault();
      document.getElementById("edge-list").scrollIntoView();
    });
  }
  if (form) {
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  }
  update();
}());
