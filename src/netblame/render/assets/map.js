/* netblame map: draws the views embedded as JSON in this page with cytoscape.js.
   Every name shown comes from a snapshot and is untrusted: it is only ever set with textContent or drawn by
   cytoscape on its canvas, never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("nb-data").textContent);
  var chunks = {};
  var cy = null;
  var current = null;
  var currentChunk = data.chunkOf0;
  var activeTrace = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function loadChunk(i) {
    if (!chunks[i]) {
      chunks[i] = (async function () {
        var b64 = document.getElementById("nb-chunk-" + i).textContent.trim();
        var bin = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
        var stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"));
        return await new Response(stream).json();
      })();
    }
    return chunks[i];
  }

  async function getView(name, chunk) {
    if (data.views[name]) return data.views[name];
    var c = await loadChunk(chunk);
    return c.views[name];
  }

  var style = [
    { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "center", "text-halign": "center",
      "shape": "round-rectangle", "width": 110, "height": 34, "background-color": "#dfe9f3", "border-width": 1,
      "border-color": "#7b8fa3", "text-wrap": "ellipsis", "text-max-width": 104, "color": "#14202c" } },
    { selector: ":parent", style: { "text-valign": "top", "text-halign": "center", "font-size": 13, "font-weight": 600,
      "background-opacity": 0.35, "padding": 14, "text-margin-y": -4, "text-max-width": 600 } },
    { selector: "node[k = 'node']", style: { "background-color": "#c9d3dd", "border-width": 2, "border-color": "#405568" } },
    { selector: "node[k = 'fabric']", style: { "background-color": "#f6dcb9", "border-color": "#a86a1c" } },
    { selector: "node[k = 'namespace'][r = 'pod']", style: { "background-color": "#d5ecd7", "border-color": "#4f8a55" } },
    { selector: "node[k = 'pods']", style: { "background-color": "#d5ecd7", "border-color": "#4f8a55", "shape": "barrel" } },
    { selector: "node[r = 'bridge']", style: { "background-color": "#fff2b3", "border-color": "#a08a00" } },
    { selector: "node[r = 'vxlan'], node[r = 'geneve'], node[r = 'ipip'], node[r = 'wireguard']",
      style: { "background-color": "#d6e4ff", "border-color": "#2a5bd7" } },
    { selector: "node[r = 'group']", style: { "width": 170, "height": 50 } },
    { selector: "node.nb-finding", style: { "border-color": "#c62828", "border-width": 4, "color": "#8e0000" } },
    { selector: "node.nb-hop", style: { "background-color": "#ffe082", "border-color": "#e65100", "border-width": 4 } },
    { selector: "node.nb-drop", style: { "background-color": "#ef9a9a", "border-color": "#b71c1c", "border-width": 5 } },
    { selector: "node:selected", style: { "border-color": "#6a1b9a", "border-width": 5 } },
    { selector: "edge", style: { "width": 2, "line-color": "#8996a3", "curve-style": "bezier" } },
    { selector: "edge[k = 'port']", style: { "line-style": "dotted", "line-color": "#a08a00" } },
    { selector: "edge[k = 'tunnel']", style: { "line-style": "dashed", "line-color": "#2a5bd7", "width": 3 } },
    { selector: "edge[k = 'bgp']", style: { "line-style": "dashed", "line-color": "#2e7d32", "width": 3, "label": "BGP",
      "font-size": 10 } },
    { selector: "edge[k = 'lan']", style: { "line-color": "#a86a1c", "width": 3 } },
    { selector: "edge.nb-hop", style: { "line-color": "#e65100", "width": 6 } }
  ];

  function elements(view) {
    var out = [];
    view.v.forEach(function (v) {
      var d = { id: v.i, label: v.l, k: v.k, r: v.r };
      if (v.p) d.parent = v.p;
      var item = { data: d };
      if (v.x !== undefined) item.position = { x: v.x, y: v.y };
      out.push(item);
    });
    view.e.forEach(function (e) {
      out.push({ data: { id: "E" + e.i, source: e.s, target: e.t, k: e.k, label: e.l } });
    });
    return out;
  }

  function markClasses() {
    Object.keys(data.marks).forEach(function (vid) {
      var n = cy.getElementById(vid);
      if (n.nonempty()) n.addClass("nb-finding");
    });
    if (activeTrace !== null) highlight(activeTrace);
  }

  function highlight(t) {
    cy.elements().removeClass("nb-hop nb-drop");
    var trace = data.traces[t];
    trace.hops.forEach(function (h) {
      h.v.forEach(function (vid) {
        var n = cy.getElementById(vid);
        // a pod's device folded into its node's pods box (the cluster view): the box is what was crossed
        if (n.empty()) n = cy.getElementById("pods:" + h.node);
        n.addClass("nb-hop");
      });
    });
    trace.edges.forEach(function (eid) { cy.getElementById("E" + eid).addClass("nb-hop"); });
    if (!trace.delivered) {
      var last = trace.hops.length ? trace.hops[trace.hops.length - 1] : null;
      // a packet filter stops it inside the namespace (FILTERED): no device of that hop, so mark the namespace
      if (last && last.v.length) cy.getElementById(last.v[last.v.length - 1]).addClass("nb-drop");
      else if (last && last.ns) cy.getElementById(last.ns).addClass("nb-drop");
    }
  }

  async function show(name, chunk, select) {
    var view = await getView(name, chunk);
    if (!view) return;
    current = view;
    if (view.c !== undefined && view.c !== null) currentChunk = view.c;
    var els = elements(view);
    if (cy) cy.destroy();
    cy = cytoscape({ container: document.getElementById("nb-cy"), elements: els, style: style,
      layout: { name: "preset", fit: true, padding: 30 }, wheelSensitivity: 0.3, minZoom: 0.02, maxZoom: 4 });
    window.nbCy = cy;  // for tests and the curious: the live cytoscape instance
    markClasses();
    document.getElementById("nb-crumb").textContent = view.title;
    document.getElementById("nb-up").hidden = name === "cluster";
    cy.on("tap", "node", function (ev) { details(ev.target.id()); });
    cy.on("dbltap", "node", function (ev) { drill(ev.target.id()); });
    if (select) {
      var n = cy.getElementById(select);
      if (n.nonempty()) { n.select(); cy.animate({ center: { eles: n }, zoom: 1.2 }, { duration: 0 }); details(select); }
    }
    document.body.setAttribute("data-view", name);
    document.body.setAttribute("data-ready", "1");
    window.nbReady = window.nbReady || performance.now();
  }

  function drill(vid) {
    var target = current.drill[vid];
    if (target) show(target[0], target[1]);
  }

  function details(vid) {
    var box = document.getElementById("nb-details");
    box.replaceChildren();
    var info = current.d[vid];
    var node = cy.getElementById(vid);
    box.appendChild(el("h2", node.nonempty() ? node.data("label") : vid));
    var table = el("table");
    (info || []).forEach(function (kv) {
      var tr = el("tr");
      tr.appendChild(el("td", kv[0]));
      tr.appendChild(el("td", kv[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    (data.marks[vid] || []).forEach(function (mi) { box.appendChild(markBlock(data.findings[mi])); });
    if (current.drill[vid]) {
      var b = el("button", "open " + current.drill[vid][0]);
      b.addEventListener("click", function () { drill(vid); });
      box.appendChild(b);
    }
  }

  function markBlock(f) {
    var div = el("div");
    div.appendChild(el("div", f.severity + " " + f.rule + ": " + f.title, "nb-sev-" + f.severity));
    div.appendChild(el("div", f.message));
    div.appendChild(el("div", "fix: " + f.fix));
    return div;
  }

  function listFindings() {
    var box = document.getElementById("nb-findings");
    data.findings.forEach(function (f) {
      var b = el("button");
      b.appendChild(el("span", f.severity + " " + f.rule + " ", "nb-sev-" + f.severity));
      b.appendChild(el("span", f.where));
      b.addEventListener("click", function () {
        if (f.vertex) show(f.view, f.chunk, f.vertex);
      });
      box.appendChild(b);
    });
    if (!data.findings.length) box.appendChild(el("div", "none"));
  }

  function listTraces() {
    var sel = document.getElementById("nb-trace");
    data.traces.forEach(function (t, i) {
      var o = el("option", t.src + " -> " + t.dst + ": " + t.disposition);
      o.value = String(i);
      sel.appendChild(o);
    });
    sel.hidden = !data.traces.length;
    sel.addEventListener("change", function () {
      if (sel.value === "") { activeTrace = null; cy.elements().removeClass("nb-hop nb-drop"); return; }
      activeTrace = Number(sel.value);
      var t = data.traces[activeTrace];
      show("path:" + t.name, null).then(function () { traceDetails(t); });
    });
  }

  function traceDetails(t) {
    var box = document.getElementById("nb-details");
    box.replaceChildren();
    box.appendChild(el("h2", "trace " + t.src + " -> " + t.dst));
    box.appendChild(el("div", t.disposition + ": " + t.explanation, "nb-verdict" + (t.delivered ? "" : " nb-bad")));
    var ol = el("ol", null, "nb-hops");
    t.hops.forEach(function (h) {
      var li = el("li", h.label + " [" + h.node + "]: " + h.d.join(" -> ") + (h.drop ? "  (dropped here)" : ""));
      (h.nat || []).forEach(function (n) { li.appendChild(el("div", "NAT: " + n, "nb-nat")); });
      if (h.stop) li.appendChild(el("div", (t.disposition === "FILTERED" ? "filtered: " : "stops: ") + h.stop,
                                    "nb-stop"));
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }

  async function search(q) {
    var box = document.getElementById("nb-results");
    box.replaceChildren();
    q = q.trim().toLowerCase();
    if (!q) return;
    var found = 0;
    for (var i = 0; i < data.chunks && found < 50; i++) {
      var c = await loadChunk(i);
      for (var j = 0; j < c.search.length && found < 50; j++) {
        var s = c.search[j];
        if (s[0].toLowerCase().indexOf(q) < 0) continue;
        found++;
        (function (s, i) {
          var b = el("button", s[1]);
          b.addEventListener("click", function () { show(s[2], i, s[3]); });
          box.appendChild(b);
        })(s, i);
      }
    }
    if (!found) box.appendChild(el("div", "no match"));
    box.setAttribute("data-done", "1");
  }

  document.getElementById("nb-up").addEventListener("click", function () { show("cluster", null); });
  document.getElementById("nb-fit").addEventListener("click", function () { if (cy) cy.fit(undefined, 30); });
  document.getElementById("nb-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") search(ev.target.value);
  });
  listFindings();
  listTraces();
  show("cluster", null);
})();
