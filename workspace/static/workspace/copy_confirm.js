// wagtail-modeltranslation's "Copy content from" buttons replace a whole field of one
// language with another's in one click: ask first. The listener runs in the capture
// phase on the document, so it answers before the button's own (jQuery) handler.
(function () {
  "use strict";
  var data = document.getElementById("copy-content-confirm");
  if (!data) {
    return;
  }
  var config = JSON.parse(data.textContent);

  function languageOf(fieldId) {
    fieldId = (fieldId || "").toLowerCase();
    for (var i = 0; i < config.languages.length; i++) {
      if (fieldId.endsWith("_" + config.languages[i])) {
        return config.languages[i];
      }
    }
    return "";
  }

  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest(".translation-field-copy");
      if (!button) {
        return;
      }
      // The button copies from its data-lang-code field into its current-lang-code field.
      var key =
        languageOf(button.getAttribute("data-lang-code")) +
        ">" +
        languageOf(button.getAttribute("current-lang-code"));
      var message = config.messages[key] || config.messages[""];
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
