// Copy the summary sentences to the clipboard. The button shows only where the browser can copy.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      var text = Array.prototype.map.call(source.querySelectorAll("p"), function (p) {
        return p.textContent.trim();
      }).join("\n");
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
