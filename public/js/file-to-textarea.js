// Reads a chosen CSV file into the form's textarea, so the import posts as ordinary form text.
window.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[type="file"][data-target]').forEach(function (input) {
    input.addEventListener('change', function () {
      var target = document.getElementById(input.getAttribute('data-target'));
      var file = input.files && input.files[0];
      if (!target || !file) return;
      var reader = new FileReader();
      reader.onload = function () { target.value = String(reader.result); };
      reader.readAsText(file, 'utf-8');
    });
  });
});
