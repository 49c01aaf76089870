/* Filter the list of places by name, other name or code, offline (plain JavaScript). Forgiving:
   accents, case and punctuation do not count ("turkiye", "bosnia-herzegovina"); each word typed
   may be the start of any word of a name, in any order ("kirg", "macedonia north"); other
   names come from aliases.yml ("Turkey", "Kirghizia"); when nothing matches, names within one
   typing slip (two for longer words) are shown as close matches ("Kyrgystan"). */
(function () {
  var box = document.getElementById("filter");
  if (!box) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("#places li[data-name]"));
  var lists = Array.prototype.slice.call(document.querySelectorAll("#places .placelist"));
  var count = document.getElementById("count");
  var none = document.getElementById("nomatch");
  var LETTERS = { "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "đ": "d", "ł": "l",
                  "ə": "e", "þ": "th", "ð": "d" };
  function fold(s) {
    return (s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[øæœßıđłəþð]/g, function (c) { return LETTERS[c]; })
      .replace(/&/g, " and ").replace(/[^a-z0-9]+/g, " ").trim();
  }
  var names = items.map(function (li) {  // each place's names, folded once
    return [li.dataset.name].concat((li.dataset.alt || "").split("|")).map(fold).filter(Boolean);
  });
  var codes = items.map(function (li) { return fold(li.dataset.code); });
  function words(list) { return list.join(" ").split(" "); }
  function exact(q, list, code) {  // a code from its start; a name anywhere
    if (code.indexOf(q) === 0) return true;
    if (list.some(function (n) { return n.indexOf(q) >= 0; })) return true;
    var ws = words(list.concat([code]));
    return q.split(" ").every(function (t) {
      return ws.some(function (w) { return w.indexOf(t) === 0; });
    });
  }
  function slips(a, b) {  // edits (insert, delete, change, swap) from a to b
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }
  function close(q, list) {  // every word typed is near the start of a word of a name
    var ws = words(list);
    return q.split(" ").every(function (t) {
      if (t.length < 4) return ws.some(function (w) { return w.indexOf(t) === 0; });
      var allowed = t.length >= 7 ? 2 : 1;
      return ws.some(function (w) {
        for (var n = t.length - allowed; n <= t.length + allowed; n++) {
          if (n > 0 && n <= w.length && slips(t, w.slice(0, n)) <= allowed) return true;
        }
        return false;
      });
    });
  }
  function apply() {
    var q = fold(box.value), shown = 0, first = null;
    var hits = names.map(function (list, i) { return !q || exact(q, list, codes[i]); });
    var near = q && !hits.some(Boolean);
    if (near) { hits = names.map(function (list) { return close(q, list); }); }
    items.forEach(function (li, i) {
      li.hidden = !hits[i];
      if (hits[i]) { shown += 1; first = first || li; }
    });
    lists.forEach(function (group) {
      group.hidden = !group.querySelector("li[data-name]:not([hidden])");
    });
    count.textContent = !q ? items.length + " places"
      : near && shown ? shown + " close " + (shown === 1 ? "match" : "matches") + " of " + items.length
      : shown + " of " + items.length + " places";
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
