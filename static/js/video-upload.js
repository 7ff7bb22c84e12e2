// Resumable video upload (tus) from an exercise card, with a progress bar.
// Loaded with the film form only when the athlete asks for it (the card swaps it in).
// Without this script (or without tus) the form posts the file as a plain multipart upload.
(function () {
  "use strict";
  if (window.__runstrongFilm) return; // the partial is included once per card
  window.__runstrongFilm = true;

  function start(form) {
    var input = form.querySelector("input[type=file]");
    var file = input.files && input.files[0];
    if (!file) return;
    var bar = form.querySelector(".film-progress");
    var status = form.querySelector(".film-status");
    var button = form.querySelector("button");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var setNumber = form.querySelector("select[name=set_number]").value;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading…";
    var upload = new window.tus.Upload(file, {
      endpoint: form.dataset.tusEndpoint,
      chunkSize: 8 * 1024 * 1024,
      // Weak gym signal: keep trying, each time from where the server got to.
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000],
      headers: { "X-CSRFToken": token },
      metadata: {
        filename: file.name,
        filetype: file.type,
        session: form.dataset.session,
        prescription: form.dataset.prescription,
        set_number: setNumber,
      },
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        bar.value = total ? Math.floor((sent / total) * 100) : 0;
        status.textContent = "Uploading… " + bar.value + " %";
      },
      onError: function (error) {
        var response = error.originalResponse;
        var message = response && response.getBody() ? response.getBody() : "The upload stopped. Choose the video again to resume.";
        status.textContent = message;
        button.disabled = false;
      },
      onSuccess: function (payload) {
        bar.value = 100;
        status.textContent = "Uploaded. Your coach will see it once it's processed.";
        var response = payload && payload.lastResponse;
        var where = response && response.getHeader("Video-Location");
        window.location.assign(where || window.location.href);
      },
    });
    // Resume an upload of the same file that an earlier page lost (closed tab, lost signal).
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("film-form") || !window.tus || !window.tus.isSupported) return;
    event.preventDefault();
    start(form);
  });
})();
