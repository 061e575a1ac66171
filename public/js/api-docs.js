// Starts Swagger UI from the locally served swagger-ui-dist (no CDN, no inline script).
window.addEventListener('DOMContentLoaded', function () {
  var element = document.getElementById('swagger-ui');
  if (!element || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({ url: element.getAttribute('data-spec-url'), domNode: element });
});
