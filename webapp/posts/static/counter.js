// Live character counter for the post body: "已輸入 N 字 / 上限 M".
// Characters are counted as a person sees them (grapheme clusters, UAX #29), the same rule the
// server applies with the `regex` package's \X, so the page and the server always agree.
(function () {
  "use strict";
  var segmenter = (typeof Intl !== "undefined" && Intl.Segmenter)
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  function count(text) {
    if (!segmenter) { return Array.from(text).length; }
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
