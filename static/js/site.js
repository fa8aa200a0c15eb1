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
      var submitter = event.submitter || null;
      // The question sits on the form, or on one of its buttons when only that one needs it.
      var source = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
      if (!source.hasAttribute("data-confirm") || form.dataset.confirmed === "yes") {
        delete form.dataset.confirmed;
        return;
      }
      if (typeof HTMLDialogElement !== "function") {
        if (!window.confirm(source.dataset.confirm)) {
          event.preventDefault();
          event.stopPropagation();
        }
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      var dialog = document.createElement("dialog");
      dialog.className = "confirm";
      var text = document.createElement("p");
      text.textContent = source.dataset.confirm;
      var actions = document.createElement("div");
      actions.className = "dialog-actions";
      var no = document.createElement("button");
      no.type = "button";
      no.className = "button secondary";
      no.textContent = source.dataset.confirmNo || "Cancel";
      var yes = document.createElement("button");
      yes.type = "button";
      yes.className = "button danger";
      yes.textContent = source.dataset.confirmYes || "OK";
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
