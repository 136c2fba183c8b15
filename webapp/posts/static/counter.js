// Live character counter for the post body: "已輸入 N 字 / 上限 M".
// Characters are counted as a person sees them (grapheme clusters, UAX #29), the same rule the
// server applies with the `regex` package's \X, so the page and the server always agree.
(function () {
  "use strict";
  var segmenter = (typeof Intl !== "undefined" && Intl.Segmenter)
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  // Browsers without Intl.Segmenter (Firefox before 125): the common cases of UAX #29 by hand,
  // so an emoji family, a flag or an accented letter still counts as one.
  var EXTENDS = /^[\p{M}\u200d\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]$/u;
  var REGIONAL = /^[\u{1f1e6}-\u{1f1ff}]$/u;

  function approximate(text) {
    var n = 0, joined = false, flagHalf = false;
    Array.from(text).forEach(function (ch) {
      if (joined) { joined = false; return; }  // the character after a zero-width joiner
      if (ch === "\u200d") { joined = true; return; }
      if (EXTENDS.test(ch)) { return; }
      if (REGIONAL.test(ch)) {
        flagHalf = !flagHalf;
        if (!flagHalf) { return; }  // the second letter of a flag
      } else {
        flagHalf = false;
      }
      n += 1;
    });
    return n;
  }

  function count(text) {
    if (!segmenter) { return approximate(text); }
    var n = 0;
    for (var _ of segmenter.segment(text)) { n += 1; }
    return n;
  }

  document.querySelectorAll("textarea[data-max-chars]").forEach(function (area) {
    var output = document.getElementById(area.id + "-counter");
    if (!output) { return; }
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    var template = output.getAttribute("data-template");
    function update() {
      var n = count(area.value.trim());
      output.textContent = template.replace("{n}", n).replace("{max}", max);
      output.classList.toggle("counter--over", n > max);
    }
    area.addEventListener("input", update);
    update();
  });
})();
