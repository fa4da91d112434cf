/* tenantsite — the site's only script, loaded with `defer` by every page (CSP: script-src 'self', nothing
   inline). Every page works without it; it adds the help search box in the header.

   The search index of a language is <lang>/search-index.js: the same data as <lang>/search-index.json,
   assigned to window.tenantsiteSearchIndex. It is loaded with a <script> element, not fetch(), because
   browsers refuse fetch() of local files when the site is opened from file://. Its URLs are relative to its
   own folder (<lang>/). It holds each article's title, summary, headings and text. On a tenant's pages a second
   index, <lang>/tenants/<slug>/search-index.js (window.tenantsiteTenantIndex, URLs relative to its own folder),
   adds the tenant's people and invoice numbers. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!box || !input || !list || !status || !window.URL || !String.prototype.normalize) return;

  var entries = null;
  var loading = false;
  var maxResults = 8;
  box.hidden = false;

  /* Case, Polish diacritics and ł folded, so "zrodlo" finds "Źródło". */
  function fold(text) {
    return text.toLowerCase().replace(/ł/g, "l").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function prepare(index, base) {
    return (index ? index.articles : []).map(function (article) {
      return {
        article: article,
        base: base,
        title: fold(article.title),
        summary: fold(article.summary),
        panel: fold(article.panel),
        text: fold(article.text || ""),
        headings: article.headings.map(function (heading) { return fold(heading.text); })
      };
    });
  }

  /* Loads a script; calls back with its folder (the base of its URLs), also when it fails. */
  function loadScript(src, then) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () { then(new URL(".", script.src)); };
    script.onerror = function () { then(null); };
    document.head.appendChild(script);
  }

  function load() {
    if (entries || loading) return;
    loading = true;
    loadScript(box.getAttribute("data-index"), function (base) {
      var found = base ? prepare(window.tenantsiteSearchIndex, base) : [];
      var tenant = box.getAttribute("data-tenant-index");
      if (!tenant) { entries = found; search(); return; }
      loadScript(tenant, function (tenantBase) {
        entries = (tenantBase ? prepare(window.tenantsiteTenantIndex, tenantBase) : []).concat(found);
        search();
      });
    });
  }

  /* Every word must occur somewhere; titles count most, then headings, summaries, the panel's name. */
  function score(entry, words) {
    var total = 0;
    var inTitle = 0;
    var headingHits = entry.headings.map(function () { return 0; });
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var points = 0;
      if (entry.title.indexOf(word) >= 0) {
        points += entry.title.indexOf(word) === 0 || entry.title.indexOf(" " + word) >= 0 ? 12 : 8;
        inTitle += 1;
      }
      if (entry.summary.indexOf(word) >= 0) points += 3;
      if (entry.panel.indexOf(word) >= 0) points += 2;
      var inHeading = false;
      for (var h = 0; h < entry.headings.length; h++) {
        if (entry.headings[h].indexOf(word) >= 0) { headingHits[h] += 1; inHeading = true; }
      }
      if (inHeading) points += 5;
      if (points === 0 && entry.text.indexOf(word) >= 0) points += 1;
      if (points === 0) return null;
      total += points;
    }
    /* Point at a heading only when the title alone does not explain the match. */
    var best = -1;
    for (var k = 0; inTitle < words.length && k < headingHits.length; k++) {
      if (headingHits[k] === words.length && best < 0) best = k;
    }
    return { entry: entry, score: total, heading: best };
  }

  function item(result) {
    var article = result.entry.article;
    var heading = result.heading >= 0 ? article.headings[result.heading] : null;
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = new URL(heading ? heading.url : article.url, result.entry.base).href;
    var title = document.createElement("span");
    title.className = "result-title";
    title.textContent = article.title;
    var meta = document.createElement("span");
    meta.className = "result-meta";
    meta.textContent = heading ? article.panel + " › " + heading.text : article.panel;
    a.appendChild(title);
    a.appendChild(meta);
    li.appendChild(a);
    return li;
  }

  /* A crude stem, so "faktura" finds "faktury" and "licence" finds "licences": Polish words change endings. */
  function stem(word) {
    if (word.length >= 7) return word.slice(0, -2);
    if (word.length >= 5) return word.slice(0, -1);
    return word;
  }

  function search() {
    var words = fold(input.value).split(/[\s,.;:!?()\u2013\u2014-]+/).filter(function (w) { return w.length > 0; }).map(stem);
    list.textContent = "";
    if (words.length === 0) { list.hidden = true; status.textContent = ""; return; }
    if (!entries) { load(); return; }
    var results = entries.map(function (entry) { return score(entry, words); })
      .filter(function (r) { return r !== null; })
      .sort(function (a, b) { return b.score - a.score || a.entry.title.localeCompare(b.entry.title); })
      .slice(0, maxResults);
    if (results.length === 0) {
      var empty = document.createElement("li");
      empty.className = "result-empty";
      empty.textContent = status.getAttribute("data-empty");
      list.appendChild(empty);
      status.textContent = status.getAttribute("data-empty");
    } else {
      results.forEach(function (r) { list.appendChild(item(r)); });
      status.textContent = status.getAttribute("data-count").replace("{n}", String(results.length));
    }
    list.hidden = false;
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  function close() { list.hidden = true; }

  input.addEventListener("focus", load);
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    var all = links();
    if (event.key === "ArrowDown" && all.length) { event.preventDefault(); all[0].focus(); }
    else if (event.key === "Enter" && all.length) { event.preventDefault(); window.location.href = all[0].href; }
    else if (event.key === "Escape") { input.value = ""; search(); }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); if (at > 0) all[at - 1].focus(); else input.focus(); }
    else if (event.key === "Escape") { event.preventDefault(); close(); input.focus(); }
  });
  document.addEventListener("click", function (event) { if (!box.contains(event.target)) close(); });
  input.addEventListener("click", function () { if (list.childNodes.length) list.hidden = false; });
})();
