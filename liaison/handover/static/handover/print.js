// The manifest page's print button (no inline script: the content security policy refuses it).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
