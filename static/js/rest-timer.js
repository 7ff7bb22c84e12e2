// Rest timer: starts when a set is saved, counts down from the exercise's rest.
// It keeps the end time as a timestamp (also in sessionStorage), so a locked
// screen, a sleeping tab or a reload never makes it drift.
(function () {
  "use strict";
  var KEY = "runstrong.restEndsAt";
  var box = document.getElementById("rest-timer");
  if (!box) return;
  var remaining = box.querySelector("[data-rest-remaining]");
  var ticker = null;

  function format(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function signalEnd() {
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    try {
      var AudioContext = window.AudioContext || window.webkitAudioContext;
      var ctx = new AudioContext();
      var beep = ctx.createOscillator();
      beep.frequency.value = 880;
      beep.connect(ctx.destination);
      beep.start();
      beep.stop(ctx.currentTime + 0.25);
    } catch (e) {
      /* sound is a bonus; some browsers refuse it */
    }
  }

  function render() {
    var endsAt = Number(sessionStorage.getItem(KEY) || 0);
    if (!endsAt) return stop();
    var left = endsAt - Date.now();
    box.hidden = false;
    remaining.textContent = format(left);
    box.classList.toggle("rest-over", left <= 0);
    if (left <= 0 && box.dataset.signalled !== String(endsAt)) {
      box.dataset.signalled = String(endsAt);
      signalEnd();
    }
  }

  function start(seconds) {
    sessionStorage.setItem(KEY, String(Date.now() + seconds * 1000));
    if (!ticker) ticker = setInterval(render, 250);
    render();
  }

  function stop() {
    sessionStorage.removeItem(KEY);
    clearInterval(ticker);
    ticker = null;
    box.hidden = true;
  }

  box.querySelector("[data-rest-dismiss]").addEventListener("click", stop);
  document.addEventListener("visibilitychange", render);

  // A set row swapped in as saved starts the rest of its exercise, when the athlete
  // logged it: correcting a set (its edit form answers with the same saved row) is no
  // new set, so no new rest.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.elt;
    if (!row || !row.classList || !row.classList.contains("set-done")) return;
    var config = event.detail.requestConfig;
    var sender = config && config.elt;
    if (!sender || !sender.classList || !sender.classList.contains("set-form")) return;
    var card = row.closest("[data-rest-seconds]");
    if (card) start(Number(card.dataset.restSeconds));
  });
  document.addEventListener("runstrong:set-saved", function (event) {
    var card = event.target.closest && event.target.closest("[data-rest-seconds]");
    if (card) start(Number(card.dataset.restSeconds));
  });

  if (sessionStorage.getItem(KEY)) {
    ticker = setInterval(render, 250);
    render();
  }
})();
