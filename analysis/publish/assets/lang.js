/* Netralitas: one language at a time (analysis/publish/language_switch.py).
 *
 * window.netralitasSay(parent, idText, enText) writes a phrase the scripts make (a filter's
 * label, a row count, a chart's readout) in the page's language: English on an English page
 * or inside an English part; elsewhere the Indonesian, then the English marked as a
 * translation, which a report page hides until its switch asks for it. Text only
 * (textContent): nothing is parsed as HTML.
 *
 * The switch itself works without JavaScript (a checkbox and CSS); this script only carries the
 * reader's choice from page to page (localStorage).
 */
(function () {
  "use strict";

  window.netralitasSay = function (parent, idText, enText) {
    parent.textContent = "";
    if (document.documentElement.lang === "en" || (parent.closest && parent.closest("[lang=en]"))) {
      parent.appendChild(document.createTextNode(enText));
      return;
    }
    parent.appendChild(document.createTextNode(idText));
    if (!enText) return;
    var sep = document.createElement("span");
    sep.className = "lang-sep";
    sep.textContent = " / ";
    parent.appendChild(sep);
    var en = document.createElement("span");
    en.lang = "en";
    en.setAttribute("data-translation", "");
    en.textContent = enText;
    parent.appendChild(en);
  };

  function rememberLanguage() {
    var box = document.getElementById("show-en");
    if (!box) return;
    try {
      if (window.localStorage.getItem("netralitas-show-en") === "1") box.checked = true;
      box.addEventListener("change", function () {
        window.localStorage.setItem("netralitas-show-en", box.checked ? "1" : "0");
      });
    } catch (e) { /* storage refused (private mode, file:// policy): the switch still works */ }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", rememberLanguage);
  } else {
    rememberLanguage();
  }
}());
