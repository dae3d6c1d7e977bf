// Sign-up: pre-select the browser's time zone. Without JavaScript (or an unknown zone) the select stays on UTC.
// The form marks the select with data-timezone-default only when it is fresh, so a re-shown form keeps the choice.
(function () {
  "use strict";
  var select = document.querySelector("select[data-timezone-default]");
  if (!select) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();
