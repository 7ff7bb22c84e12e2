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

  // The page's one review, or null. Every listener below is bound once, to the document or
  // to a video element, and reads this at event time: an htmx swap (a saved comment, the
  // athlete's player arriving) never leaves a listener holding elements or state that are gone.
  var review = null;

  function statusText(text) {
    var status = $("[data-draw-status]");
    if (status) status.textContent = text;
  }
  function describe(points) {
    if (!points || !review) return "";
    return points.length === 3
      ? "Angle " + angleAt(points, review.main.aspect) + "° — saved with the next comment"
      : "Line saved with the next comment";
  }
  // The drawing that goes with the next comment lives in the form's hidden input.
  function setDrawing(points) {
    var input = $("[data-drawing-input]");
    if (input) input.value = points ? JSON.stringify(points) : "";
  }
  function pendingDrawing() {
    var input = $("[data-drawing-input]");
    if (!input || !input.value) return null;
    try { return JSON.parse(input.value); } catch (error) { return null; }
  }
  function resetDrawing() {
    if (!review) return;
    review.drawing = null;
    setDrawing(null);
    draw(review.main, null);
    statusText("");
  }

  function offset() {
    var input = $("[data-sync-offset]");
    return input ? parseFloat(input.value) || 0 : 0;
  }
  function follow() {
    if (!review || !review.compare) return;
    var main = review.main, compare = review.compare;
    var target = Math.max(0, main.video.currentTime + offset());
    if (Math.abs(compare.video.currentTime - target) > 0.5 / compare.fps) compare.video.currentTime = target;
  }
  function showTime() {
    if (!review) return;
    var video = review.main.video;
    var label = $("[data-time]");
    if (label) label.textContent = clock(video.currentTime);
    var at = $("[data-at]");
    if (at && video.paused) at.value = video.currentTime.toFixed(3);
  }
  function step(frames) {
    var main = review.main, compare = review.compare;
    main.video.pause();
    if (compare) compare.video.pause();
    var next = main.video.currentTime + frames / main.fps;
    main.video.currentTime = Math.max(0, Math.min(main.video.duration || next, next));
    follow();
  }
  function togglePlay() {
    var main = review.main, compare = review.compare;
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
    review.main.video.playbackRate = rate;
    if (review.compare) review.compare.video.playbackRate = rate;
    $all("[data-speed]").forEach(function (b) { b.setAttribute("aria-pressed", String(parseFloat(b.dataset.speed) === rate)); });
  }

  function onControl(button) {
    if (button.dataset.speed) setSpeed(parseFloat(button.dataset.speed));
    var action = button.dataset.action;
    if (action === "play") togglePlay();
    if (action === "back") step(-1);
    if (action === "forward") step(1);
    if (action === "clear") resetDrawing();
    var offsetInput = $("[data-sync-offset]");
    if (action === "sync-here" && review.compare && offsetInput) {
      offsetInput.value = (review.compare.video.currentTime - review.main.video.currentTime).toFixed(2);
    }
    if (button.dataset.draw) {
      review.main.video.pause();
      // A new drawing replaces one not yet saved, so the comment stores what the frame shows.
      resetDrawing();
      review.drawing = { wanted: parseInt(button.dataset.draw, 10), points: [] };
      statusText("Tap " + review.drawing.wanted + " points on the frame");
    }
  }

  function onTap(event) {
    var drawing = review.drawing;
    if (!drawing) return;
    var box = review.main.overlay.getBoundingClientRect();
    var x = Math.round(((event.clientX - box.left) / box.width) * 10000) / 10000;
    var y = Math.round(((event.clientY - box.top) / box.height) * 10000) / 10000;
    drawing.points.push([Math.max(0, Math.min(1, x)), Math.max(0, Math.min(1, y))]);
    draw(review.main, drawing.points);
    if (drawing.points.length === drawing.wanted) {
      setDrawing(drawing.points);
      statusText(describe(drawing.points));
      review.drawing = null;
    }
  }

  function init() {
    var main = player("main");
    if (!main) { review = null; return; }
    if (review && review.main.box === main.box) return;
    review = { main: main, compare: player("compare"), drawing: null };
    var controls = $("[data-controls]");
    if (controls) {
      controls.hidden = false;
      // The review tools replace the browser's own controls, which would fight the keys.
      main.video.controls = false;
      if (review.compare) review.compare.video.controls = false;
    }
    main.video.addEventListener("timeupdate", showTime);
    main.video.addEventListener("seeked", function () { showTime(); follow(); });
    main.video.addEventListener("pause", showTime);
    main.video.addEventListener("click", function () { if (review && review.main.video === main.video) togglePlay(); });
    showTime();
  }

  document.addEventListener("click", function (event) {
    if (!review) return;
    var target = event.target;
    var button = target.closest("[data-controls] button");
    if (button) { onControl(button); return; }
    if (target.closest('[data-overlay="main"]')) { onTap(event); return; }
    // Comments: a click seeks to the moment (and shows the drawing saved with it).
    var link = target.closest("[data-seek]");
    if (!link) return;
    event.preventDefault();
    review.drawing = null;
    review.main.video.pause();
    review.main.video.currentTime = parseFloat(link.dataset.seek) || 0;
    draw(review.main, link.dataset.drawing ? JSON.parse(link.dataset.drawing) : null);
  });
  document.addEventListener("keydown", function (event) {
    if (!review || !$("[data-controls]")) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    if (event.key === ",") { event.preventDefault(); step(-1); }
    if (event.key === ".") { event.preventDefault(); step(1); }
    if (event.key === " ") { event.preventDefault(); togglePlay(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest("[data-sync-offset]")) follow();
  });
  // A saved comment swaps the list and a fresh form in: the next drawing starts afresh. A form
  // sent back with an error keeps its drawing, so the frame shows it again.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!review || event.target.id !== "comments") return;
    var kept = pendingDrawing();
    review.drawing = null;
    draw(review.main, kept);
    statusText(describe(kept));
    showTime();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // The athlete's page swaps the player in when processing finishes.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "video-status") init();
  });
})();
