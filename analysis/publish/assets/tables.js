/* Netralitas: explorable tables, offline.
 *
 * Progressive enhancement of the plain tables the build writes (analysis/publish/reader_tables.py,
 * the ledger page, the researcher editions' tables): without JavaScript they stay complete,
 * plain tables. With it, every column header becomes a button that sorts the rows (Tablesort,
 * bundled from npm and copied beside this file by the build; it sets aria-sort on the header),
 * and tables with more than a few rows get a filter box (all words typed must appear in a row)
 * plus, for columns marked data-filter="select", a choice of the column's values. A status line
 * says how many rows are shown. Cells carry their raw value in data-sort (numbers, ISO dates),
 * so "1.116" and "72,8%" sort as numbers. Nothing is fetched; no text from the page is ever
 * parsed as HTML (textContent and option.text only).
 */
(function () {
  "use strict";
  var FILTER_FROM_ROWS = 6;
  var MINUS = /[\u2212\u2013]/g;

  function norm(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function bodyRows(table) {
    var rows = [];
    for (var b = 0; b < table.tBodies.length; b++) {
      rows = rows.concat(Array.prototype.slice.call(table.tBodies[b].rows));
    }
    return rows;
  }

  function headerRow(table) {
    return table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1]
      : null;
  }

  function asNumber(text) {
    var value = parseFloat(String(text).replace(MINUS, "-").replace(/[^0-9eE+\-.]/g, ""));
    return isNaN(value) ? -Number.MAX_VALUE : value; // a missing value sorts first
  }

  if (window.Tablesort) {
    // numbers from data-sort (raw values) or plain numbers (researcher tables); empty last
    window.Tablesort.extend("number", function (item) {
      return /^[\u2212\-+]?\d+(\.\d+)?([eE][\-+]?\d+)?$/.test(item.trim());
    }, function (a, b) {
      return asNumber(b) - asNumber(a);
    });
  }

  function makeSortable(table, id) {
    var head = headerRow(table);
    if (!window.Tablesort || !head || bodyRows(table).length < 2) return;
    Array.prototype.forEach.call(head.cells, function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      var mark = document.createElement("span");
      mark.className = "sort-mark";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      th.appendChild(button);
    });
    new window.Tablesort(table);
    Array.prototype.forEach.call(head.cells, function (th) {
      th.removeAttribute("tabindex"); // the button takes the focus, once
    });
    table.setAttribute("data-explorable", id);
  }

  function columnValues(table, index) {
    var seen = {};
    bodyRows(table).forEach(function (row) {
      var cell = row.cells[index];
      if (cell) seen[cell.textContent.trim()] = true;
    });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b, "id"); });
  }

  function headerTexts(th) {
    // ["Pemilihan", "Election"]: the header's words before its line break, and after it
    var parts = [[], []];
    var after = 0;
    (function walk(node) {
      Array.prototype.forEach.call(node.childNodes, function (child) {
        if (child.nodeType === 3) parts[after].push(child.nodeValue);
        else if (child.tagName === "BR") after = 1;
        else if (!child.classList.contains("sort-mark")) walk(child);
      });
    }(th));
    return parts.map(function (p) { return p.join("").replace(/\s+/g, " ").trim(); });
  }

  function bilingual(parent, idText, enText) {
    // in the page's language (lang.js); both, plainly, should lang.js be missing
    if (window.netralitasSay) window.netralitasSay(parent, idText, enText);
    else parent.textContent = enText ? idText + " / " + enText : idText;
  }

  function addLabel(parent, forId, idText, enText) {
    var label = document.createElement("label");
    label.htmlFor = forId;
    bilingual(label, idText, enText);
    parent.appendChild(label);
    return label;
  }

  function makeFilterable(table, id, region) {
    var rows = bodyRows(table);
    var head = headerRow(table);
    if (rows.length < FILTER_FROM_ROWS) return;
    var tools = document.createElement("div");
    tools.className = "table-tools";
    var box = document.createElement("div");
    box.className = "table-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id + "-filter";
    input.autocomplete = "off";
    addLabel(box, input.id, "Saring baris", "Filter rows");
    box.appendChild(input);
    tools.appendChild(box);
    var selects = [];
    var columns = document.createElement("details");
    columns.className = "table-columns";
    var summary = document.createElement("summary");
    bilingual(summary, "Saring menurut kolom", "Filter by column");
    columns.appendChild(summary);
    var columnFilters = document.createElement("div");
    columnFilters.className = "table-column-filters";
    columns.appendChild(columnFilters);
    if (head) {
      Array.prototype.forEach.call(head.cells, function (th, index) {
        if (th.getAttribute("data-filter") !== "select") return;
        var wrap = document.createElement("div");
        wrap.className = "table-filter";
        var select = document.createElement("select");
        select.id = id + "-col-" + index;
        var label = document.createElement("label");
        label.htmlFor = select.id;
        var texts = headerTexts(th);
        bilingual(label, texts[0], texts[1]);
        wrap.appendChild(label);
        var all = document.createElement("option");
        all.value = "";
        all.text = document.documentElement.lang === "en" ? "all" : "semua";
        select.appendChild(all);
        columnValues(table, index).forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.text = value;
          select.appendChild(option);
        });
        wrap.appendChild(select);
        columnFilters.appendChild(wrap);
        selects.push({ index: index, select: select });
      });
    }
    if (selects.length) {
      columns.open = window.matchMedia("(min-width: 700px)").matches;
      tools.appendChild(columns);
    }
    var status = document.createElement("p");
    status.className = "table-status";
    status.setAttribute("role", "status");
    tools.insertBefore(status, box.nextSibling);
    region.parentNode.insertBefore(tools, region);
    var texts = rows.map(function (row) { return norm(row.textContent); });

    function apply() {
      var words = norm(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        selects.forEach(function (s) {
          var cell = row.cells[s.index];
          if (ok && s.select.value && (!cell || cell.textContent.trim() !== s.select.value)) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = "";
      bilingual(status, shown + " dari " + rows.length + " baris",
                shown + " of " + rows.length + " rows");
    }
    input.addEventListener("input", apply);
    selects.forEach(function (s) { s.select.addEventListener("change", apply); });
    apply();
    table.netralitasClearFilters = function () {
      input.value = "";
      selects.forEach(function (s) { s.select.value = ""; });
      apply();
    };
  }

  function showTarget() {
    // a link to a row (ledger.html#nf-0542) always shows that row, whatever was filtered
    var id = decodeURIComponent(window.location.hash.slice(1));
    var row = id && document.getElementById(id);
    if (!row || row.tagName !== "TR" || !row.hidden) return;
    var table = row.closest("table");
    if (table && table.netralitasClearFilters) table.netralitasClearFilters();
    row.scrollIntoView();
  }

  function enhance() {
    var tables = document.querySelectorAll(
      "table.reader-table, table.ledger-table, table.dataframe");
    Array.prototype.forEach.call(tables, function (table, n) {
      var id = "tbl-" + (n + 1);
      var region = table.closest(".table-scroll") || table;
      makeSortable(table, id);
      makeFilterable(table, id, region);
    });
    window.addEventListener("hashchange", showTarget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
}());
