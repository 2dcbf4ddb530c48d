
(function () {
  "use strict";
  var FONT = "#17202a";
  var HINT = "Click a document to see its details and highlight its chain.";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function norm(s) { return String(s == null ? "" : s).normalize("NFC").toLowerCase().replace(/\s+/g, ""); }
  function edgeColor(c, strong) { return {color: c, highlight: c, hover: c, opacity: strong ? 1 : 0.45}; }
  function push(map, k, v) { var a = map.get(k); if (a) a.push(v); else map.set(k, [v]); }
  function relName(r) { return r.replace("_", " "); }

  function setup(section) {
    var timing = {start: performance.now()};
    var data = JSON.parse(section.querySelector("script.cm-data").textContent);
    timing.parsed = performance.now();
    var stage = section.querySelector(".cm-stage"), box = section.querySelector(".cm-canvas");
    var tip = section.querySelector(".cm-tip"), details = section.querySelector(".cm-details");
    var results = section.querySelector(".cm-results"), legend = section.querySelector(".cm-legend");
    var count = section.querySelector(".cm-count"), search = section.querySelector(".cm-search");
    var provinceSelect = section.querySelector(".cm-province");
    var rels = data.styles.relations, levels = data.styles.levels, cascade = new Set(data.cascade);
    var byId = new Map(), outs = new Map(), ins = new Map(), up = new Map(), down = new Map();

    data.nodes.forEach(function (n) { n.base = n.color; byId.set(n.id, n); });
    data.edges.forEach(function (e, i) {
      var st = rels[e.rel] || {color: "#999999", width: 1, dashes: false};
      e.id = i; e.base = st.color; e.color = edgeColor(st.color, !data.big);
      e.width = st.width; e.dashes = st.dashes;
      push(outs, e.from, e); push(ins, e.to, e);
      if (cascade.has(e.rel)) { push(up, e.from, e.to); push(down, e.to, e.from); }
    });

    var shownRels = Object.keys(rels).filter(function (r) { return data.hidden.indexOf(r) < 0; });
    var state = {province: "", levels: new Set(Object.keys(levels)), rels: new Set(shownRels)};
    function visible(n) {
      return state.levels.has(n.lv) && (!state.province || !n.pv || n.pv === state.province);
    }
    var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
    var nodeView = new vis.DataView(nodes, {filter: visible});
    var edgeView = new vis.DataView(edges, {filter: function (e) { return state.rels.has(e.rel); }});
    var network = new vis.Network(box, {nodes: nodeView, edges: edgeView}, data.options);
    timing.network = performance.now();

    // one box per province (and one for the central documents) behind the nodes
    network.on("beforeDrawing", function (ctx) {
      var scale = network.getScale();
      ctx.save();
      data.frames.forEach(function (f) {
        var key = f[0], label = f[1], x = f[2], y = f[3], w = f[4], h = f[5];
        if (state.province && key !== state.province && key !== data.central) return;
        ctx.fillStyle = key === data.central ? "rgba(176,58,46,0.05)" : "rgba(31,111,178,0.05)";
        ctx.strokeStyle = "#d5dbdb"; ctx.lineWidth = 2;
        ctx.fillRect(x, y, w, h); ctx.strokeRect(x, y, w, h);
        var size = Math.round(Math.min(w / 6, Math.max(22, 14 / scale)));
        ctx.fillStyle = "#34495e"; ctx.textBaseline = "bottom";
        ctx.font = "bold " + size + "px DejaVu Sans, Arial, sans-serif";
        ctx.fillText(label, x + 10, size <= 56 ? y + 12 + size : y - 4, Math.max(40, w - 20));
      });
      ctx.restore();
    });

    // tooltips: built from text nodes only, never from markup
    var pointer = null;
    box.addEventListener("mousemove", function (ev) {
      var r = stage.getBoundingClientRect();
      pointer = {x: ev.clientX - r.left, y: ev.clientY - r.top};
    });
    function firstEvidence(id) {
      var list = outs.get(id) || [], best = null;
      list.forEach(function (e) { if (!best && cascade.has(e.rel) && e.ev) best = e; });
      list.forEach(function (e) { if (!best && e.ev) best = e; });
      return best;
    }
    function nodeLines(n) {
      var i = n.info, lines = [["b", i.number || i.label || n.id]];
      var head = [i.type, i.date].filter(Boolean).join(" · ");
      if (head) lines.push(["div", head]);
      if (i.issuer) lines.push(["div", i.issuer]);
      if (i.name && i.name !== i.label) lines.push(["div", i.name]);
      if (i.title) lines.push(["div", i.title]);
      if (i.text) lines.push(["div", i.text]);
      if (i.deadline_text) lines.push(["div", "Deadline: " + i.deadline_text]);
      if (i.implementers) lines.push(["div", "Implemented by " + i.implementers + " document(s)"]);
      var e = firstEvidence(n.id);
      if (e) lines.push(["ev", "“" + e.ev + "”"]);
      var src = i.source || (e && e.es) || i.evidence_source;
      if (src) lines.push(["src", "Source: " + src]);
      else if (i.in_corpus === false) lines.push(["src", "Cited only (not in the corpus)"]);
      return lines;
    }
    function edgeLines(e) {
      var a = byId.get(e.from), b = byId.get(e.to);
      var lines = [["b", (a ? a.label : e.from) + " " + relName(e.rel) + " " + (b ? b.label : e.to)]];
      if (e.ev) lines.push(["ev", "“" + e.ev + "”"]);
      if (e.es) lines.push(["src", "Source: " + e.es + (e.sp ? " [" + e.sp + "]" : "")]);
      if (e.n > 1) lines.push(["src", "Stated in " + e.n + " files"]);
      if (e.deadline_text) lines.push(["div", "Deadline: " + e.deadline_text]);
      return lines;
    }
    function showTip(lines, at) {
      tip.replaceChildren();
      lines.forEach(function (l) {
        tip.appendChild(l[0] === "b" ? el("b", "", l[1]) : el("div", l[0], l[1]));
      });
      tip.hidden = false;
      var x = Math.min(Math.max(4, at.x + 14), Math.max(4, stage.clientWidth - tip.offsetWidth - 4));
      var y = Math.min(Math.max(4, at.y + 14), Math.max(4, stage.clientHeight - tip.offsetHeight - 4));
      tip.style.left = x + "px"; tip.style.top = y + "px";
    }
    function nodePoint(id) { return network.canvasToDOM(network.getPosition(id)); }
    network.on("hoverNode", function (p) {
      var n = byId.get(p.node);
      if (n) showTip(nodeLines(n), pointer || nodePoint(n.id));
    });
    network.on("hoverEdge", function (p) {
      var e = edges.get(p.edge);
      if (e) showTip(edgeLines(e), pointer || {x: 10, y: 10});
    });
    ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) {
      network.on(ev, function () { tip.hidden = true; });
    });

    // a document's chain: what it carries out, up to the directive, and what carries it out
    function walk(adj, start, seen) {
      var stack = [start];
      while (stack.length) {
        var n = stack.pop();
        (adj.get(n) || []).forEach(function (m) { if (!seen.has(m)) { seen.add(m); stack.push(m); } });
      }
    }
    // Drawn over the map rather than by restyling nodes: on a large map any DataSet update costs
    // vis-network a pass over every node and edge (over a second at 6,000 nodes); this costs one frame.
    var chain = null, selected = null;
    function highlight(id) {
      chain = null;
      if (id !== null && byId.has(id)) {
        var keep = new Set([id]), links = [];
        walk(up, id, keep); walk(down, id, keep);
        keep.forEach(function (n) {
          (outs.get(n) || []).forEach(function (e) {
            if (cascade.has(e.rel) && keep.has(e.to)) links.push(e);
          });
        });
        chain = {nodes: keep, edges: links};
      }
      network.redraw();
      return chain ? chain.nodes.size : 0;
    }
    function shapePath(ctx, shape, x, y, r) {
      ctx.beginPath();
      if (shape === "diamond") {
        ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y);
      } else if (shape === "square") {
        ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      } else if (shape === "triangleDown") {
        ctx.moveTo(x - r, y - r * 0.6); ctx.lineTo(x + r, y - r * 0.6); ctx.lineTo(x, y + r);
      } else if (shape === "star") {
        for (var k = 0; k < 10; k++) {
          var a = -Math.PI / 2 + k * Math.PI / 5, q = k % 2 ? r * 0.45 : r;
          ctx.lineTo(x + q * Math.cos(a), y + q * Math.sin(a));
        }
      } else {
        ctx.arc(x, y, r * 0.8, 0, 2 * Math.PI);
      }
      ctx.closePath();
    }
    network.on("afterDrawing", function (ctx) {
      if (!chain) return;
      var a = network.DOMtoCanvas({x: 0, y: 0});
      var b = network.DOMtoCanvas({x: box.clientWidth, y: box.clientHeight});
      var scale = network.getScale(), ids = Array.from(chain.nodes).filter(function (id) {
        return visible(byId.get(id));
      });
      var pos = network.getPositions(ids);
      ctx.save();
      ctx.fillStyle = "rgba(255,255,255,0.8)";
      ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
      chain.edges.forEach(function (e) {
        var p = pos[e.from], q = pos[e.to];
        if (!p || !q || !state.rels.has(e.rel)) return;
        var st = rels[e.rel] || {color: "#999999", width: 1};
        var ang = Math.atan2(q.y - p.y, q.x - p.x), r = (byId.get(e.to).size || 12) * 0.9;
        var tx = q.x - r * Math.cos(ang), ty = q.y - r * Math.sin(ang);
        var h = Math.max(8, 10 / Math.sqrt(scale));
        ctx.strokeStyle = ctx.fillStyle = st.color;
        ctx.lineWidth = Math.max(2.5, st.width * 1.8);
        ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(tx, ty); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(tx, ty);
        ctx.lineTo(tx - h * Math.cos(ang - 0.45), ty - h * Math.sin(ang - 0.45));
        ctx.lineTo(tx - h * Math.cos(ang + 0.45), ty - h * Math.sin(ang + 0.45));
        ctx.closePath(); ctx.fill();
      });
      var font = Math.max(14, 13 / scale);
      ctx.font = "bold " + font + "px DejaVu Sans, Arial, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ids.forEach(function (id) {
        var n = byId.get(id), p = pos[id];
        shapePath(ctx, n.shape, p.x, p.y, n.size);
        ctx.fillStyle = n.base; ctx.fill();
        ctx.lineWidth = id === selected ? 4 : 1.5; ctx.strokeStyle = id === selected ? "#f1c40f" : "#2c3e50";
        ctx.stroke();
        ctx.lineWidth = 4; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = FONT;
        ctx.strokeText(n.label, p.x, p.y + n.size + 3); ctx.fillText(n.label, p.x, p.y + n.size + 3);
      });
      ctx.restore();
    });

    // the details panel
    function dl(pairs) {
      var d = el("dl");
      pairs.forEach(function (p) {
        if (p[1] === undefined || p[1] === null || p[1] === "") return;
        d.appendChild(el("dt", "", p[0])); d.appendChild(el("dd", "", p[1]));
      });
      return d;
    }
    function linkList(title, list, other) {
      if (!list.length) return null;
      var wrap = el("div"), ul = el("ul"), shown = list.slice().sort(function (a, b) {
        return (cascade.has(b.rel) ? 1 : 0) - (cascade.has(a.rel) ? 1 : 0);
      }).slice(0, 30);
      wrap.appendChild(el("h3", "", title + " (" + list.length + ")"));
      shown.forEach(function (e) {
        var li = el("li"), id = other(e), m = byId.get(id);
        var b = el("button", "cm-link", m ? m.label : id);
        b.type = "button";
        b.addEventListener("click", function () { focus(id); });
        li.appendChild(el("span", "", relName(e.rel) + " "));
        li.appendChild(b);
        if (e.ev) { li.appendChild(el("br")); li.appendChild(el("q", "", e.ev)); }
        if (e.es) li.appendChild(el("div", "hint", e.es + (e.sp ? " [" + e.sp + "]" : "")));
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
      var more = list.length - shown.length;
      if (more > 0) wrap.appendChild(el("p", "hint", "and " + more + " more"));
      return wrap;
    }
    function select(id) {
      var n = byId.get(id);
      if (!n) return false;
      var i = n.info, corpus = i.in_corpus === undefined ? "" : (i.in_corpus ? "yes" : "no, cited only");
      details.replaceChildren(el("h3", "", i.number || i.label || n.id));
      details.appendChild(dl([
        ["type", i.type], ["date", i.date], ["issuer", i.issuer], ["branch", i.branch],
        ["level", (levels[n.lv] || {}).name], ["province", i.province], ["district", i.district],
        ["title", i.title], ["text", i.text], ["deadline", i.deadline_text], ["name", i.name],
        ["source", i.source], ["also in", i.sources], ["implemented by", i.implementers],
        ["in corpus", corpus], ["id", n.id]]));
      [linkList("Relations", outs.get(id) || [], function (e) { return e.to; }),
       linkList("Cited or implemented by", ins.get(id) || [], function (e) { return e.from; })]
        .forEach(function (x) { if (x) details.appendChild(x); });
      selected = id;
      var size = highlight(id);
      count.textContent = shownText() + " · chain of " + (size - 1) + " document(s) highlighted";
      return true;
    }
    function focus(id) {
      var n = byId.get(id);
      if (!n) return false;
      if (!visible(n)) {
        state.province = ""; provinceSelect.value = ""; state.levels.add(n.lv);
        syncLegend(); refresh();
      }
      select(id);
      network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: {duration: 300}});
      return true;
    }
    function clear() {
      selected = null;
      highlight(null);
      details.replaceChildren(el("p", "hint", HINT));
      count.textContent = shownText();
    }
    network.on("click", function (p) {
      if (p.nodes.length) select(p.nodes[0]);
      else if (!p.edges.length) clear();
    });

    // search by number first, then by any words of the label, title or issuer
    var keys = data.nodes.map(function (n) {
      var i = n.info;
      return [n.id, norm(i.number), norm([i.number, n.label, n.id, i.title, i.issuer, i.name].join(" "))];
    });
    function find(q) {
      var k = norm(q), exact = [], part = [];
      if (!k) return [];
      keys.forEach(function (t) {
        if (t[1] === k || norm(t[0]) === k) exact.push(t[0]);
        else if (t[2].indexOf(k) >= 0) part.push(t[0]);
      });
      return exact.concat(part);
    }
    function showResults(q) {
      results.replaceChildren();
      if (!norm(q)) return [];
      var ids = find(q), ol = el("ol");
      results.appendChild(el("h3", "", ids.length ? ids.length + " match(es)" : "No document matches"));
      ids.slice(0, 40).forEach(function (id) {
        var n = byId.get(id), li = el("li"), b = el("button", "", n.label);
        b.type = "button";
        b.addEventListener("click", function () { focus(id); });
        li.appendChild(b);
        var extra = [n.info.province, n.info.title || n.info.text || n.info.name].filter(Boolean).join(" · ");
        if (extra) li.appendChild(el("div", "hint", extra));
        ol.appendChild(li);
      });
      results.appendChild(ol);
      return ids;
    }
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { showResults(search.value); }, 150);
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      var ids = showResults(search.value);
      if (ids.length) focus(ids[0]);
    });

    // filters: the province list, and the legend, whose entries are checkboxes
    var provinces = Array.from(new Set(data.nodes.map(function (n) { return n.pv; }).filter(Boolean)))
      .sort(function (a, b) { return a.localeCompare(b, "vi"); });
    provinces.forEach(function (p) {
      var o = el("option", "", p);
      o.value = p;
      provinceSelect.appendChild(o);
    });
    if (!provinces.length) provinceSelect.hidden = true;
    provinceSelect.addEventListener("change", function () {
      state.province = provinceSelect.value; refresh(); fitAll();
    });
    function tally(items, key) {
      var c = {};
      items.forEach(function (x) { c[x[key]] = (c[x[key]] || 0) + 1; });
      return c;
    }
    var levelCount = tally(data.nodes, "lv"), relCount = tally(data.edges, "rel"), boxes = [];
    function setOf(kind) { return kind === "level" ? state.levels : state.rels; }
    function checkRow(kind, key, name, n, sample) {
      var label = el("label"), cb = el("input");
      cb.type = "checkbox"; cb.checked = setOf(kind).has(key); cb.dataset.kind = kind; cb.dataset.key = key;
      cb.addEventListener("change", function () {
        if (cb.checked) setOf(kind).add(key); else setOf(kind).delete(key);
        refresh();
      });
      boxes.push(cb);
      [cb, sample, el("span", "", name), el("span", "n", n)].forEach(function (x) { label.appendChild(x); });
      return label;
    }
    function syncLegend() {
      boxes.forEach(function (cb) { cb.checked = setOf(cb.dataset.kind).has(cb.dataset.key); });
    }
    function svgLine(style) {
      var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
      var line = document.createElementNS(ns, "line");
      svg.setAttribute("width", "34"); svg.setAttribute("height", "10");
      [["x1", "1"], ["y1", "5"], ["x2", "33"], ["y2", "5"], ["stroke", style.color],
       ["stroke-width", String(style.width + 0.5)]].forEach(function (a) { line.setAttribute(a[0], a[1]); });
      if (style.dashes) line.setAttribute("stroke-dasharray", style.dashes.join(" "));
      svg.appendChild(line);
      return svg;
    }
    legend.appendChild(el("h3", "", "Levels"));
    Object.keys(levels).forEach(function (k) {
      if (!levelCount[k]) return;
      var sw = el("span", "sw");
      sw.style.background = levels[k].color;
      legend.appendChild(checkRow("level", k, levels[k].name, levelCount[k], sw));
    });
    legend.appendChild(el("h3", "", "Relations"));
    Object.keys(rels).forEach(function (k) {
      if (relCount[k]) legend.appendChild(checkRow("rel", k, relName(k), relCount[k], svgLine(rels[k])));
    });
    legend.appendChild(el("h3", "", "Shapes"));
    [["◆", "Party document"], ["●", "state document"], ["■", "branch unknown"], ["▼", "task"],
     ["★", "agency"]].forEach(function (s) {
        var p = el("div");
        p.appendChild(el("span", "shape", s[0])); p.appendChild(el("span", "", s[1]));
        legend.appendChild(p);
      });
    legend.appendChild(el("p", "hint", "Size: the number of documents that implement it. Arrows point from " +
                                       "the implementing document to the implemented one."));
    if (data.big) {
      legend.appendChild(el("p", "hint", "A large map: relations differ by colour only, and citations " +
                                         "start hidden (tick them to show)."));
    }

    function fitAll() {
      var fs = data.frames.filter(function (f) {
        return !state.province || f[0] === state.province || f[0] === data.central;
      });
      if (!fs.length || !box.clientWidth) { network.fit(); return; }
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      fs.forEach(function (f) {
        x0 = Math.min(x0, f[2]); y0 = Math.min(y0, f[3]);
        x1 = Math.max(x1, f[2] + f[4]); y1 = Math.max(y1, f[3] + f[5]);
      });
      var scale = Math.min(box.clientWidth / (x1 - x0), box.clientHeight / (y1 - y0)) * 0.96;
      network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: Math.min(scale, 1.5)});
    }
    function shown() { return [nodeView.length, edgeView.length]; }
    function shownText() {
      var s = shown();
      return s[0] + " of " + data.nodes.length + " nodes · " + s[1] + " links";
    }
    function refresh() { nodeView.refresh(); edgeView.refresh(); count.textContent = shownText(); }

    section.querySelector(".cm-fit").addEventListener("click", fitAll);
    section.querySelector(".cm-clear").addEventListener("click", clear);
    count.textContent = shownText();

    var api = {network: network, nodes: nodes, edges: edges, data: data, find: find, search: showResults,
               focus: focus, select: select, clear: clear, fit: fitAll, highlight: highlight, shown: shown,
               chain: function () { return chain ? Array.from(chain.nodes) : []; },
               count: function () { return data.nodes.length; }, ready: false, timing: timing};
    timing.setup = performance.now();
    network.once("afterDrawing", function () {
      timing.drawn = performance.now();
      api.ready = true;
      section.dataset.ready = "1";
      window.cascadeReady = window.cascadeMaps.every(function (m) { return m.ready; });
    });
    window.cascadeMaps.push(api);
    if (!window.cascadeMap) window.cascadeMap = api;
    fitAll();
  }

  window.cascadeMaps = window.cascadeMaps || [];
  document.querySelectorAll("section.cascade-map").forEach(setup);
})();
