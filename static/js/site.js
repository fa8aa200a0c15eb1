// Behaviour of every page, kept out of the HTML so that the Content-Security-Policy can refuse
// inline scripts: the menu that folds on phones, selects that submit their form on change
// (data-autosubmit), print buttons (data-print), and forms that ask first (data-confirm: a
// native <dialog> saying what will happen, with data-confirm-yes / data-confirm-no buttons).
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

  // Filters fold behind their button on phones; on wide screens they are simply shown.
  var filters = document.querySelector("details.filters-panel");
  if (filters && wide.matches) {
    filters.open = true;
  }

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

  // Capture phase: runs before htmx's own submit handler on the form, so nothing is sent
  // until she says yes.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.hasAttribute("data-confirm") || form.dataset.confirmed === "yes") {
        delete form.dataset.confirmed;
        return;
      }
      if (typeof HTMLDialogElement !== "function") {
        if (!window.confirm(form.dataset.confirm)) {
          event.preventDefault();
          event.stopPropagation();
        }
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      var submitter = event.submitter || null;
      var dialog = document.createElement("dialog");
      dialog.className = "confirm";
      var text = document.createElement("p");
      text.textContent = form.dataset.confirm;
      var actions = document.createElement("div");
      actions.className = "dialog-actions";
      var no = document.createElement("button");
      no.type = "button";
      no.className = "button secondary";
      no.textContent = form.dataset.confirmNo || "Cancel";
      var yes = document.createElement("button");
      yes.type = "button";
      yes.className = "button danger";
      yes.textContent = form.dataset.confirmYes || "OK";
      actions.append(no, yes);
      dialog.append(text, actions);
      document.body.append(dialog);
      dialog.addEventListener("close", function () {
        dialog.remove();
      });
      no.addEventListener("click", function () {
        dialog.close();
      });
      yes.addEventListener("click", function () {
        dialog.close();
        form.dataset.confirmed = "yes";
        form.requestSubmit(submitter);
      });
      dialog.showModal();
      no.focus();
    },
    true
  );
})();
