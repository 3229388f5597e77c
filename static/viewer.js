// Show or hide the recognised words over the page image; search hits stay marked.
(function () {
  "use strict";
  const toggle = document.getElementById("show-words");
  const viewer = document.getElementById("viewer");
  if (!toggle || !viewer) return;
  toggle.addEventListener("change", () => viewer.classList.toggle("hide-words", !toggle.checked));
})();
