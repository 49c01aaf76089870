/* Filter the list of places by English name or code, offline (plain JavaScript). */
(function () {
  var box = document.getElementById("filter");
  if (!box) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("#places li[data-name]"));
  var lists = Array.prototype.slice.call(document.querySelectorAll("#places .placelist"));
  var count = document.getElementById("count");
  var none = document.getElementById("nomatch");
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function apply() {
    var q = fold(box.value), shown = 0, first = null;
    items.forEach(function (li) {
      var hit = !q || fold(li.dataset.name).indexOf(q) >= 0 || fold(li.dataset.code).indexOf(q) === 0
        || fold(li.dataset.alt || "").indexOf(q) >= 0;
      li.hidden = !hit;
      if (hit) { shown += 1; first = first || li; }
    });
    lists.forEach(function (group) {
      group.hidden = !group.querySelector("li[data-name]:not([hidden])");
    });
    count.textContent = q ? shown + " of " + items.length + " places" : items.length + " places";
    none.hidden = shown > 0;
    return shown === 1 ? first : null;
  }
  box.addEventListener("input", apply);
  document.addEventListener("keydown", function (ev) {  // "/" jumps to the filter box
    if (ev.key === "/" && document.activeElement !== box) { ev.preventDefault(); box.focus(); }
  });
  box.addEventListener("keydown", function (ev) {
    var only = apply();
    if (ev.key === "Enter" && only) { window.location.href = only.querySelector("a").href; }
  });
  apply();
})();
