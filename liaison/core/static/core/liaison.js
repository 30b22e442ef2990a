// The little behaviour staff pages have, without inline script (the Content-Security-Policy
// allows scripts from this site's static files only).
(function () {
  "use strict";
  // <input type="checkbox" data-check-all="input[name=arrival]">: ticks or clears them all.
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("input[data-check-all]")) return;
    document.querySelectorAll(box.getAttribute("data-check-all")).forEach(function (other) {
      other.checked = box.checked;
    });
  });
})();
