// Opens each <dialog data-open-on-load> as a modal once the page loads (e.g. the joint-punishment warning).
window.addEventListener('DOMContentLoaded', function () {
  var dialogs = document.querySelectorAll('dialog[data-open-on-load]');
  if (dialogs.length > 0 && typeof dialogs[0].showModal === 'function') dialogs[0].showModal();
});
