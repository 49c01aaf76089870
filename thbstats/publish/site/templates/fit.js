/* Size the embedded brief to its content (the frame shares the page's origin: srcdoc). */
(function () {
  Array.prototype.forEach.call(document.querySelectorAll("iframe.brief"), function (frame) {
    function fit() {
      var doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      frame.style.minHeight = "0";
      frame.style.height = "8px"; // measure the content, not the frame
      frame.style.height = doc.documentElement.scrollHeight + 24 + "px";
    }
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    fit();
  });
})();
