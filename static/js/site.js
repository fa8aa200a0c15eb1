// Behaviour of every page, kept out of the HTML so that the Content-Security-Policy can refuse
// inline scripts: the menu that folds on phones, selects that submit their form on change
// (data-autosubmit), and print buttons (data-print).
(function () {
  "use strict";

  // On wide screens the menu is a bar, always open; on phones it folds behind its button.
  var menu = document.querySelector("details.menu");
  var wide = window.matchMedia("(min-width: 56rem)");
  function sync() {
    if (menu) {
      menu.open = wide.matches;
    }
  }
  sync();
  wide.addEventListener("change", sync);

  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
