// A scanner types the code and presses Enter: move on to the next field instead of submitting.
(function () {
  "use strict";
  var code = document.getElementById("id_code");
  var barcode = document.getElementById("id_barcode");
  if (!code) return;
  code.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && barcode) { e.preventDefault(); barcode.focus(); }
  });
  code.focus();
})();
