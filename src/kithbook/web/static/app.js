// Kithbook page glue. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  // every htmx request carries the form token, like the forms do
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRF-Token"] = token;
  });
})();
