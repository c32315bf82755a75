// Small behaviours that need no inline script (the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", function () {
  // Buttons marked data-print open the browser's print dialogue.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  // Forms marked data-busy show that the server is working and cannot be sent twice.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      // A disabled button is not sent with the form: keep the name and value of the one pressed.
      var pressed = event.submitter;
      if (pressed && pressed.name) {
        var keep = document.createElement("input");
        keep.type = "hidden";
        keep.name = pressed.name;
        keep.value = pressed.value;
        form.appendChild(keep);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.textContent = form.getAttribute("data-busy");
      });
      var bar = form.querySelector(".progress");
      if (bar) { bar.hidden = false; }
    });
  });
});
