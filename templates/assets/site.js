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

/* Sortable tables: each header of a table with class "sortable" becomes a button; pressing it sorts the rows by
   that column, ascending, then descending. What a cell holds is read as a reader reads it: a date (2026-11-09,
   9.11.2026, 9 Nov 2026), a number or an amount (1 836,70 zł; PLN 22,040.40; 23%; −5), or text, compared in the
   page's language (Ł after L in Polish) with numbers inside names taken as numbers ("Kupujący 2" before
   "Kupujący 12"). A column is sorted as numbers or dates only when every filled cell is one; empty cells ("—") go
   last either way; equal rows keep their order. The header says how the table is sorted (aria-sort), and the
   live region under the page says it aloud in the template's words. */
(function () {
  "use strict";
  var status = document.getElementById("sort-status");
  var tables = document.querySelectorAll("table.sortable");
  if (!status || !tables.length || !window.Intl || !Intl.Collator) return;
  var language = document.documentElement.lang || "en";
  var collator = new Intl.Collator(language, { numeric: true, sensitivity: "base" });
  /* Months by their first three letters, in the page's language: "9 Nov 2026", "15 November 2026";
     "9 lis 2026", "15 września 2026" (the genitive of a long Polish date starts like its abbreviation). */
  var months = language === "pl"
    ? ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"]
    : ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

  function read(text) {
    text = text.trim();
    if (text === "" || text === "\u2014" || text === "\u2013" || text === "-") return { kind: "empty" };
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    if (m) return { kind: "date", value: +m[1] * 10000 + +m[2] * 100 + +m[3] };
    m = /^(\d{1,2})\.(\d{2})\.(\d{4})/.exec(text);
    if (m) return { kind: "date", value: +m[3] * 10000 + +m[2] * 100 + +m[1] };
    m = /^(\d{1,2}) (\S{3,}) (\d{4})/.exec(text);
    var month = m ? months.indexOf(m[2].slice(0, 3).toLowerCase()) : -1;
    if (month >= 0) return { kind: "date", value: +m[3] * 10000 + (month + 1) * 100 + +m[1] };
    var n = text.replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-")
      .replace(/^([+-]?)(zł|PLN|EUR|USD|GBP|US\$|€|£)/, "$1").replace(/(zł|PLN|EUR|USD|GBP|€|£|%)$/, "");
    n = language === "pl" ? n.replace(",", ".") : n.replace(/,/g, "");
    if (/^[+-]?\d+(\.\d+)?$/.test(n)) return { kind: "number", value: parseFloat(n) };
    return { kind: "text", value: text };
  }

  function sortBy(table, column, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var cells = rows.map(function (row, index) {
      var cell = row.cells[column];
      return { row: row, index: index, read: read(cell ? cell.textContent : "") };
    });
    var kinds = {};
    cells.forEach(function (c) { if (c.read.kind !== "empty") kinds[c.read.kind] = true; });
    var names = Object.keys(kinds);
    var asText = !(names.length === 1 && (kinds.number || kinds.date));
    cells.sort(function (a, b) {
      var aEmpty = a.read.kind === "empty", bEmpty = b.read.kind === "empty";
      if (aEmpty || bEmpty) return aEmpty === bEmpty ? a.index - b.index : (aEmpty ? 1 : -1);
      var order;
      if (asText) {
        var aText = a.row.cells[column].textContent.trim(), bText = b.row.cells[column].textContent.trim();
        order = collator.compare(aText, bText);
      } else {
        order = a.read.value < b.read.value ? -1 : a.read.value > b.read.value ? 1 : 0;
      }
      if (descending) order = -order;
      return order || a.index - b.index;
    });
    cells.forEach(function (c) { body.appendChild(c.row); });
  }

  Array.prototype.forEach.call(tables, function (table) {
    if (!table.tHead || !table.tBodies.length || !table.tHead.rows.length) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        var descending = header.getAttribute("aria-sort") === "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortBy(table, column, descending);
        var words = status.getAttribute(descending ? "data-descending" : "data-ascending") || "";
        status.textContent = words.replace("{column}", button.textContent.trim());
      });
    });
  });
})();
