// Form video review: speeds, frame stepping (buttons and the , and . keys), timestamped
// comments that seek, line/angle drawings over a paused frame, and a linked comparison clip.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds - minutes * 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest.toFixed(1);
  }

  function player(role) {
    var box = $('[data-player="' + role + '"]');
    if (!box) return null;
    var aspect = parseFloat(box.dataset.aspect) || 1;
    // The box takes the picture's own shape, so the drawing's 0..1 coordinates are the
    // picture's, never the letterbox bars'.
    box.style.aspectRatio = String(aspect);
    box.style.maxWidth = "calc(70vh * " + aspect + ")";
    return {
      box: box,
      video: $("video", box),
      overlay: $("svg", box),
      fps: parseFloat(box.dataset.fps) || 30,
      aspect: parseFloat(box.dataset.aspect) || 1,
    };
  }

  function angleAt(points, aspect) {
    var a = points[0], b = points[1], c = points[2];
    var v1 = [(a[0] - b[0]) * aspect, a[1] - b[1]];
    var v2 = [(c[0] - b[0]) * aspect, c[1] - b[1]];
    var norm = Math.hypot(v1[0], v1[1]) * Math.hypot(v2[0], v2[1]);
    if (!norm) return 0;
    var cosine = Math.max(-1, Math.min(1, (v1[0] * v2[0] + v1[1] * v2[1]) / norm));
    return Math.round((Math.acos(cosine) * 180) / Math.PI * 10) / 10;
  }

  function draw(p, points) {
    while (p.overlay.firstChild) p.overlay.removeChild(p.overlay.firstChild);
    if (!points || points.length < 1) return;
    if (points.length > 1) {
      var line = document.createElementNS(SVG, "polyline");
      line.setAttribute("points", points.map(function (pt) { return pt[0] + "," + pt[1]; }).join(" "));
      line.setAttribute("class", "overlay-line");
      line.setAttribute("vector-effect", "non-scaling-stroke");
      p.overlay.appendChild(line);
    }
    points.forEach(function (pt) {
      var dot = document.createElementNS(SVG, "ellipse");
      dot.setAttribute("cx", pt[0]);
      dot.setAttribute("cy", pt[1]);
      dot.setAttribute("rx", 0.012 / p.aspect);
      dot.setAttribute("ry", 0.012);
      dot.setAttribute("class", "overlay-dot");
      p.overlay.appendChild(dot);
    });
  }

  function init() {
    var main = player("main");
    if (!main) return;
    var compare = player("compare");
    var controls = $("[data-controls]");
    var timeLabel = $("[data-time]");
    var offsetInput = $("[data-sync-offset]");
    var drawStatus = $("[data-draw-status]");
    var drawing = null; // {wanted: 2|3, points: []}

    function offset() { return offsetInput ? parseFloat(offsetInput.value) || 0 : 0; }
    function follow() {
      if (!compare) return;
      var target = Math.max(0, main.video.currentTime + offset());
      if (Math.abs(compare.video.currentTime - target) > 0.5 / compare.fps) compare.video.currentTime = target;
    }
    function showTime() {
      if (timeLabel) timeLabel.textContent = clock(main.video.currentTime);
      var at = $("[data-at]");
      if (at && main.video.paused) at.value = main.video.currentTime.toFixed(3);
    }
    function step(frames) {
      main.video.pause();
      if (compare) compare.video.pause();
      var next = main.video.currentTime + frames / main.fps;
      main.video.currentTime = Math.max(0, Math.min(main.video.duration || next, next));
      follow();
    }
    function togglePlay() {
      if (main.video.paused) {
        draw(main, null);
        main.video.play();
        if (compare) { follow(); compare.video.play(); }
      } else {
        main.video.pause();
        if (compare) { compare.video.pause(); follow(); }
      }
    }
    function setSpeed(rate) {
      main.video.playbackRate = rate;
      if (compare) compare.video.playbackRate = rate;
      $all("[data-speed]").forEach(function (b) { b.setAttribute("aria-pressed", String(parseFloat(b.dataset.speed) === rate)); });
    }

    if (controls) {
      controls.hidden = false;
      // The review tools replace the browser's own controls, which would fight the keys.
      main.video.controls = false;
      if (compare) compare.video.controls = false;
      controls.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        if (button.dataset.speed) setSpeed(parseFloat(button.dataset.speed));
        var action = button.dataset.action;
        if (action === "play") togglePlay();
        if (action === "back") step(-1);
        if (action === "forward") step(1);
        if (action === "clear") { drawing = null; draw(main, null); setDrawing(null); }
        if (action === "sync-here" && compare && offsetInput) {
          offsetInput.value = (compare.video.currentTime - main.video.currentTime).toFixed(2);
        }
        if (button.dataset.draw) {
          main.video.pause();
          drawing = { wanted: parseInt(button.dataset.draw, 10), points: [] };
          draw(main, null);
          if (drawStatus) drawStatus.textContent = "Tap " + drawing.wanted + " points on the frame";
        }
      });
      document.addEventListener("keydown", function (event) {
        var tag = (event.target.tagName || "").toLowerCase();
        if (tag === "input" || tag === "textarea" || tag === "select") return;
        if (event.key === ",") { event.preventDefault(); step(-1); }
        if (event.key === ".") { event.preventDefault(); step(1); }
        if (event.key === " ") { event.preventDefault(); togglePlay(); }
      });
      if (offsetInput) offsetInput.addEventListener("change", follow);
    }

    function setDrawing(points) {
      var input = $("[data-drawing-input]");
      if (input) input.value = points ? JSON.stringify(points) : "";
    }

    main.overlay.addEventListener("click", function (event) {
      if (!drawing) return;
      var box = main.overlay.getBoundingClientRect();
      var x = Math.round(((event.clientX - box.left) / box.width) * 10000) / 10000;
      var y = Math.round(((event.clientY - box.top) / box.height) * 10000) / 10000;
      drawing.points.push([Math.max(0, Math.min(1, x)), Math.max(0, Math.min(1, y))]);
      draw(main, drawing.points);
      if (drawing.points.length === drawing.wanted) {
        setDrawing(drawing.points);
        if (drawStatus) {
          drawStatus.textContent = drawing.wanted === 3
            ? "Angle " + angleAt(drawing.points, main.aspect) + "° — saved with the next comment"
            : "Line saved with the next comment";
        }
        drawing = null;
      }
    });

    main.video.addEventListener("timeupdate", showTime);
    main.video.addEventListener("seeked", function () { showTime(); follow(); });
    main.video.addEventListener("pause", showTime);
    main.video.addEventListener("click", togglePlay);

    // Comments: a click seeks to the moment (and shows the drawing saved with it).
    document.addEventListener("click", function (event) {
      var link = event.target.closest("[data-seek]");
      if (!link) return;
      event.preventDefault();
      main.video.pause();
      main.video.currentTime = parseFloat(link.dataset.seek) || 0;
      draw(main, link.dataset.drawing ? JSON.parse(link.dataset.drawing) : null);
    });
    // After a comment is saved (htmx swaps the list in), the drawing starts afresh.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target.id !== "comments") return;
      draw(main, null);
      showTime();
    });
    showTime();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // The athlete's page swaps the player in when processing finishes.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "video-status") init();
  });
})();
