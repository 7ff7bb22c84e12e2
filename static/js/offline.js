// Offline set logging: every set the athlete logs is kept on the phone (IndexedDB)
// until the server confirms it, so a double tap, a retry, a dead zone in the gym or an
// expired login all end with exactly one stored set.
//
// - Takes over the submit of the set forms (capture phase, before htmx sees it); without
//   this script the forms still post through htmx, and without htmx as plain forms.
// - A logged set is stored under its client id (the same id twice is one item), its row
//   shows "Waiting for signal" at once, and the whole queue is sent in one POST to the
//   sync endpoint. Saved items leave the queue and their rows become the server's HTML;
//   rejected ones stay, with the reason on their row, and are not sent again until the
//   athlete corrects and logs them again (which replaces the item).
// - Sending is retried on the `online` event, on page load, when the page is shown
//   again and on a timer with backoff. A 401 asks the athlete to log in again.
// - Registers the service worker (/sw.js) so the page opens with no signal.
// - Editing or undoing a saved set is not queued: it goes straight to the server through
//   htmx, and with no signal the row says so and nothing changes. Both are safe to send
//   again (an edit writes the same values, an undo of an undone set changes nothing), so
//   flaky signal still ends with one row per set. A set still waiting on the phone is
//   corrected by changing it and tapping Log again: the same client id, one item.
// - The copy of the page kept for offline use can predate the last save, edit or undo:
//   every row the server sends back is kept too (localStorage), and a page older than
//   the row shows the kept row, so a page opened offline shows the queue's truth.
//
// runstrong:set-saved (bubbles; detail: {clientId, confirmed}) fires once per set tapped
// on this page: when the server confirms it, or, with no signal, as soon as it is kept on
// the phone, so the rest timer starts when the athlete rests, not when the signal returns.
(function () {
  "use strict";

  var banner = document.getElementById("offline-banner");
  if (!banner || !window.indexedDB || !window.fetch || !window.Promise) return;

  var config = banner.dataset;
  var DB_NAME = "runstrong";
  var STORE = "sets";
  var BATCH = 50; // the server takes up to 100 a request
  var FIRST_RETRY = 2000;
  var LAST_RETRY = 60000;
  var REFRESH_AFTER = 5000;

  var syncing = null; // the sync in progress, if any
  var again = false; // asked to sync while one was in progress
  var retryTimer = null;
  var retryDelay = 0;
  var problem = null; // null | "offline" | "logged-out" | "forbidden" | "server"
  var tappedHere = {}; // client ids logged on this page
  var signalled = {}; // client ids whose rest timer was started
  var runs = 0; // sync passes finished (data-sync-runs)
  var NEEDS_SIGNAL =
    "No signal: editing or undoing a saved set needs a connection. Try again when you're " +
    "back online; sets you log now are kept on this phone.";
  var copies = 0; // offline copies of this page stored on request (data-page-copies)

  // --- The queue: IndexedDB; items it refuses (private mode, full disk) wait in memory --

  var memory = {};
  var opening = null;

  function database() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "client_id" });
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          reject(request.error);
        };
      });
    }
    return opening;
  }

  // Runs work(store) in one transaction; resolves once it is committed, with the
  // result of the request work returned.
  function transact(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode, { durability: "strict" });
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          resolve(request ? request.result : undefined);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function allItems() {
    return transact("readonly", function (store) {
      return store.getAll();
    })
      .catch(function () {
        return [];
      })
      .then(function (stored) {
        var byId = {};
        (stored || []).forEach(function (item) {
          byId[item.client_id] = item;
        });
        Object.keys(memory).forEach(function (id) {
          byId[id] = memory[id];
        });
        // A shared phone: another athlete's sets wait for them, untouched.
        return Object.keys(byId)
          .map(function (id) {
            return byId[id];
          })
          .filter(function (item) {
            return item.owner === config.owner;
          });
      });
  }

  function putItem(item) {
    return transact("readwrite", function (store) {
      store.put(item);
    }).then(
      function () {
        delete memory[item.client_id];
      },
      function () {
        memory[item.client_id] = item; // kept in this page at least
      }
    );
  }

  function deleteItem(id) {
    delete memory[id];
    return transact("readwrite", function (store) {
      store.delete(id);
    }).catch(function () {});
  }

  // Marks an item rejected, unless the athlete logged it again since it was sent;
  // resolves with the item when it did.
  function rejectItem(sent, errors) {
    var changed = null;
    function update(current) {
      if (!current || current.rev !== sent.rev) return;
      current.state = "rejected";
      current.errors = errors;
      changed = current;
    }
    if (memory[sent.client_id]) {
      update(memory[sent.client_id]);
      return Promise.resolve(changed);
    }
    return transact("readwrite", function (store) {
      var request = store.get(sent.client_id);
      request.onsuccess = function () {
        update(request.result);
        if (changed) store.put(changed);
      };
    })
      .catch(function () {})
      .then(function () {
        return changed;
      });
  }

  // --- Rows ---------------------------------------------------------------------------

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function rowOf(item) {
    var row = item.slot ? document.getElementById(item.slot) : null;
    return row && row.querySelector(".set-form") ? row : null;
  }

  function showState(row, item) {
    if (!row) return;
    var form = row.querySelector(".set-form");
    var rejected = item.state === "rejected";
    row.classList.toggle("set-pending", !rejected);
    row.classList.toggle("set-rejected", rejected);
    var status = form.querySelector("[data-offline-status]");
    if (!status) {
      status = document.createElement("div");
      status.className = "set-sync";
      status.setAttribute("data-offline-status", "");
      form.insertBefore(status, form.querySelector(".set-more"));
    }
    status.textContent = "";
    var badge = document.createElement("span");
    badge.className = rejected ? "badge badge-rejected" : "badge badge-pending";
    badge.textContent = rejected ? "Not saved" : "Waiting for signal";
    status.appendChild(badge);
    if (rejected) {
      var list = document.createElement("ul");
      list.className = "set-errors";
      list.setAttribute("role", "alert");
      (item.errors || []).forEach(function (message) {
        var li = document.createElement("li");
        li.textContent = message;
        list.appendChild(li);
      });
      status.appendChild(list);
    }
  }

  // A reload (online or not) shows each queued set on its row, as typed.
  function reapply(row, item) {
    var fields = row.querySelector(".set-form").elements;
    fields.client_id.value = item.client_id;
    fields.reps.value = item.reps;
    fields.load_kg.value = item.load;
    fields.rpe.value = item.rpe;
    if (fields.note) fields.note.value = item.note;
    showState(row, item);
  }

  // A copy of the page older than the last undo shows the slot as saved while the phone
  // holds a set for it (kept rows normally prevent that; storage can refuse them). The
  // queue is the truth: the row shows the set waiting, as typed, until the server answers.
  function showWaitingOver(row, item) {
    row.classList.remove("set-done");
    row.classList.add("set-pending");
    var result = row.querySelector(".set-result strong");
    if (result) result.textContent = item.reps + " × " + item.load + " " + (item.unit || "");
    var badge = row.querySelector(".badge-ok");
    if (badge) {
      badge.className = "badge badge-pending";
      badge.textContent = "Waiting for signal";
    }
    var actions = row.querySelector(".set-actions");
    if (actions) actions.remove(); // they would act on the set taken back
  }

  function replaceRow(item, html) {
    keepRow(html);
    var row = item.slot ? document.getElementById(item.slot) : null;
    if (!row || !html) return null;
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (!fresh) return null;
    row.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    return fresh;
  }

  function startRest(row, item, confirmed) {
    if (!row || !tappedHere[item.client_id] || signalled[item.client_id]) return;
    signalled[item.client_id] = true;
    row.dispatchEvent(
      new CustomEvent("runstrong:set-saved", {
        bubbles: true,
        detail: { clientId: item.client_id, confirmed: confirmed },
      })
    );
  }

  // --- Rows the server sent since the page was rendered ----------------------------------

  var ROWS_KEY = "runstrong.rows." + config.owner;
  var KEEP_ROWS_FOR = 7 * 24 * 3600 * 1e6; // µs, the unit of data-rendered-at

  function keptRows() {
    try {
      return JSON.parse(localStorage.getItem(ROWS_KEY) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function storeRows(rows) {
    try {
      if (Object.keys(rows).length) localStorage.setItem(ROWS_KEY, JSON.stringify(rows));
      else localStorage.removeItem(ROWS_KEY);
    } catch (error) {
      /* private mode or a full disk: the page copy is all there is */
    }
  }

  function parseRow(html) {
    var template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    var row = template.content.firstElementChild;
    return row && row.matches("li.set[id]") ? row : null;
  }

  // A row as the server rendered it (saved, or back to be logged after an undo); never
  // an edit form, which is a moment's state, not the set's.
  function keepRow(html) {
    var row = parseRow(html);
    if (!row || !row.dataset.renderedAt || row.classList.contains("set-editing")) return;
    var rows = keptRows();
    rows[row.id] = { html: html, at: row.dataset.renderedAt };
    storeRows(rows);
  }

  // Each row of this page older than the one kept for it is replaced; kept rows the page
  // is newer than are dropped, and so are week-old ones of pages never opened again.
  function applyKeptRows() {
    var rows = keptRows();
    var stale = Date.now() * 1000 - KEEP_ROWS_FOR;
    Object.keys(rows).forEach(function (id) {
      var kept = rows[id];
      var current = document.getElementById(id);
      if (!current) {
        if (Number(kept.at) < stale) delete rows[id];
        return;
      }
      if (Number(kept.at) <= Number(current.dataset.renderedAt || 0)) {
        delete rows[id];
        return;
      }
      var fresh = parseRow(kept.html);
      if (!fresh) return;
      current.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
    });
    storeRows(rows);
  }

  // --- The banner ---------------------------------------------------------------------

  function sets(count) {
    return count + (count === 1 ? " set" : " sets");
  }

  function say(text, link, href, urgent) {
    banner.textContent = "";
    var p = document.createElement("p");
    if (urgent) p.setAttribute("role", "alert");
    p.textContent = text + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = link;
      p.appendChild(a);
    }
    banner.appendChild(p);
    banner.classList.toggle("offline-banner-urgent", Boolean(urgent));
    banner.hidden = false;
  }

  function renderBanner() {
    return allItems().then(function (items) {
      var waiting = items.filter(function (item) {
        return item.state === "pending";
      }).length;
      banner.dataset.queued = String(waiting);
      if (!waiting) {
        banner.hidden = true;
        banner.textContent = "";
      } else if (problem === "logged-out") {
        var here = location.pathname + location.search;
        say(
          "You were logged out — log in again; your " +
            sets(waiting) +
            (waiting === 1 ? " is" : " are") +
            " kept on this phone.",
          "Log in",
          config.loginUrl + "?next=" + encodeURIComponent(here).replace(/%2F/g, "/"),
          true
        );
      } else if (problem === "forbidden") {
        say(
          "Your " +
            sets(waiting) +
            (waiting === 1 ? " is" : " are") +
            " kept on this phone. Reload the page to send " +
            (waiting === 1 ? "it." : "them."),
          "Reload",
          location.pathname + location.search,
          true
        );
      } else if (problem) {
        say(
          sets(waiting) + " waiting for signal: kept on this phone and sent when you're back online."
        );
      } else {
        banner.hidden = true;
      }
    });
  }

  // --- Sending ------------------------------------------------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function wire(item) {
    return {
      client_id: item.client_id,
      session: item.session,
      prescription: item.prescription,
      kind: item.kind,
      set_number: item.set_number,
      side: item.side,
      reps: item.reps,
      load: item.load,
      rpe: item.rpe,
      note: item.note,
      unit: item.unit,
      logged_at: item.logged_at,
    };
  }

  function failed(reason, batch) {
    problem = reason;
    batch.forEach(function (item) {
      startRest(rowOf(item), item, false);
    });
    return false;
  }

  function applyResults(results, batch) {
    if (results.some(function (result) {
      return result.status === "saved";
    })) {
      refreshCopyLater(batch.map(function (item) {
        return item.slot;
      }));
    }
    var byId = {};
    batch.forEach(function (item) {
      byId[item.client_id] = item;
    });
    problem = null;
    return Promise.all(
      results.map(function (result) {
        var item = byId[result.client_id];
        if (!item) return null;
        if (result.status === "saved") {
          return deleteItem(item.client_id).then(function () {
            startRest(replaceRow(item, result.html), item, true);
          });
        }
        return rejectItem(item, result.errors || []).then(function (rejected) {
          if (rejected) showState(rowOf(rejected), rejected);
        });
      })
    ).then(function () {
      return true;
    });
  }

  function send(batch) {
    // A phone that knows it has no signal doesn't try (and logs no failed request).
    if (navigator.onLine === false) return Promise.resolve(failed("offline", batch));
    return fetch(config.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify({ sets: batch.map(wire) }),
    }).then(
      function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status === 401) return failed("logged-out", batch);
        if (response.status === 403) return failed("forbidden", batch);
        if (!response.ok || type.indexOf("application/json") !== 0) {
          // A login page behind a redirect means the session is gone.
          var toLogin = response.redirected && response.url.indexOf(config.loginUrl) !== -1;
          return failed(toLogin ? "logged-out" : "server", batch);
        }
        return response.json().then(function (data) {
          return applyResults(data.results || [], batch);
        });
      },
      function () {
        return failed("offline", batch);
      }
    );
  }

  function sendAll(pending) {
    var batches = [];
    for (var i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH));
    return batches.reduce(function (previous, batch) {
      return previous.then(function (ok) {
        return ok ? send(batch) : false;
      });
    }, Promise.resolve(true));
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryDelay = retryDelay ? Math.min(retryDelay * 2, LAST_RETRY) : FIRST_RETRY;
    retryTimer = setTimeout(sync, retryDelay);
  }

  function sync() {
    if (syncing) {
      again = true;
      return syncing;
    }
    clearTimeout(retryTimer);
    retryTimer = null;
    syncing = allItems()
      .then(function (items) {
        var pending = items.filter(function (item) {
          return item.state === "pending";
        });
        return pending.length ? sendAll(pending) : true;
      })
      .then(
        function (ok) {
          if (ok) retryDelay = 0;
          else retryLater();
        },
        function () {
          retryLater();
        }
      )
      .then(renderBanner)
      .then(null, function () {})
      .then(function () {
        syncing = null;
        runs += 1;
        banner.dataset.syncRuns = String(runs);
        if (again) {
          again = false;
          return sync();
        }
      });
    return syncing;
  }

  // --- Logging a set ------------------------------------------------------------------

  function queue(form) {
    var row = form.closest("li[id]");
    var fields = form.elements;
    if (!fields.client_id) return Promise.resolve(); // not a set to log
    var item = {
      client_id: fields.client_id.value,
      session: form.dataset.session,
      prescription: fields.prescription.value,
      kind: fields.kind.value,
      set_number: fields.set_number.value,
      side: fields.side.value,
      reps: fields.reps.value,
      load: fields.load_kg.value,
      rpe: fields.rpe.value,
      note: fields.note ? fields.note.value : "",
      unit: config.unit,
      owner: config.owner,
      slot: row ? row.id : null,
      page: location.pathname,
      logged_at: new Date().toISOString(),
      rev: Date.now() + ":" + Math.random(),
      state: "pending",
      errors: [],
    };
    tappedHere[item.client_id] = true;
    // "Waiting for signal" promises the set is kept on the phone: say it once it is, so a
    // reload straight after the tap can't lose a set the row already called kept.
    return putItem(item)
      .then(function () {
        showState(row, item);
      })
      .then(sync);
  }

  function forgetPages() {
    if (!window.caches) return Promise.resolve();
    return caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("runstrong-pages-") === 0;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .catch(function () {});
  }

  function logOut(form) {
    allItems()
      .catch(function () {
        return [];
      })
      .then(function (items) {
        var waiting = items.filter(function (item) {
          return item.state === "pending";
        }).length;
        var question =
          sets(waiting) +
          " not sent yet: kept on this phone and sent when you log in again. Log out anyway?";
        if (waiting && !window.confirm(question)) return;
        // Nothing private stays in the page cache of a shared phone.
        storeRows({});
        return forgetPages().then(function () {
          form.submit();
        });
      });
  }

  function isLogout(form) {
    var action = new URL(form.getAttribute("action") || "", location.href);
    return action.pathname === config.logoutUrl;
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (form.classList.contains("set-form") && form.elements.client_id) {
        // Ours alone: htmx, listening on the form itself, never hears of it.
        event.preventDefault();
        event.stopPropagation();
        queue(form);
      } else if (isLogout(form)) {
        event.preventDefault();
        logOut(form);
      }
    },
    true
  );

  // --- Offline page (service worker) --------------------------------------------------

  function markCached() {
    if (!window.caches) return Promise.resolve(false);
    return caches
      .match(location.href, { ignoreVary: true })
      .then(function (found) {
        if (found) banner.dataset.pageCached = "true";
        return Boolean(found);
      })
      .catch(function () {
        return false;
      });
  }

  function askToKeepThisPage(registration) {
    if (registration.active) {
      registration.active.postMessage({ type: "cache-page", url: location.href });
    }
  }

  // The rows the page was served with. A row saved since is kept on the phone and laid
  // over the offline copy on a reload (keepRow), so the copy is not fetched again for it:
  // that would render the page on the server a second time per visit.
  var rowsServed = {};
  Array.prototype.forEach.call(document.querySelectorAll("li.set[id]"), function (row) {
    rowsServed[row.id] = true;
  });

  // Only a row the copy lacks (an extra set added since the page was opened) needs the
  // copy refreshed, once saving goes quiet, so that a reload with no signal shows it.
  var refreshTimer = null;
  function refreshCopyLater(rowIds) {
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return;
    var missing = rowIds.some(function (id) {
      return !id || !rowsServed[id];
    });
    if (!missing) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      navigator.serviceWorker.ready.then(askToKeepThisPage);
    }, REFRESH_AFTER);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !config.swUrl) return;
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "page-cached") return;
      copies += 1;
      banner.dataset.pageCopies = String(copies);
      markCached();
    });
    navigator.serviceWorker
      .register(config.swUrl)
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        // A page the worker served is cached as it loads; give that a moment first.
        var wait = navigator.serviceWorker.controller ? 1000 : 0;
        return markCached().then(function (cached) {
          if (cached) return;
          setTimeout(function () {
            markCached().then(function (cachedSince) {
              if (!cachedSince) askToKeepThisPage(registration);
            });
          }, wait);
        });
      })
      .catch(function () {
        /* no worker: the page still logs sets, it just doesn't open offline */
      });
  }

  // --- Start --------------------------------------------------------------------------

  applyKeptRows();

  // A page served from the offline cache carries the client ids of the day it was saved:
  // fresh ones make sure a set logged now can't be mistaken for one sent back then.
  Array.prototype.forEach.call(document.querySelectorAll(".set-form"), function (form) {
    if (form.elements.client_id) form.elements.client_id.value = newClientId();
  });

  allItems()
    .then(function (items) {
      var stale = [];
      items.forEach(function (item) {
        var row = item.slot ? document.getElementById(item.slot) : null;
        if (row && row.querySelector(".set-form")) {
          reapply(row, item);
        } else if (row && item.state === "pending") {
          showWaitingOver(row, item);
        } else if (row && item.state === "rejected") {
          stale.push(deleteItem(item.client_id)); // the slot was logged since
        }
      });
      return Promise.all(stale);
    })
    .catch(function () {})
    .then(sync);

  window.addEventListener("online", sync);
  window.addEventListener("offline", function () {
    problem = problem || "offline";
    renderBanner();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) sync();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") sync();
  });

  // Undo and edit go through htmx: the offline copy follows them too.
  document.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail && event.detail.elt;
    if (!row || !row.matches || !row.matches("li.set")) return;
    if (event.detail.xhr) keepRow(event.detail.xhr.responseText);
    refreshCopyLater([row.id]);
  });

  // --- Edits and undos need signal ------------------------------------------------------

  function sayNeedsSignal(elt) {
    var row = elt && elt.closest && elt.closest("li.set");
    if (!row) return;
    var note = row.querySelector("[data-needs-signal]");
    if (!note) {
      note = document.createElement("p");
      note.className = "set-notice set-notice-alert";
      note.setAttribute("role", "alert");
      note.setAttribute("data-needs-signal", "");
      row.appendChild(note);
    }
    note.textContent = NEEDS_SIGNAL;
  }

  function isOnlineOnly(event) {
    var elt = event.detail && event.detail.elt;
    return Boolean(elt && elt.closest && elt.closest("[data-online-only]"));
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isOnlineOnly(event) && navigator.onLine === false) {
      event.preventDefault();
      sayNeedsSignal(event.detail.elt);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isOnlineOnly(event)) sayNeedsSignal(event.detail.elt);
  });

  registerWorker();
})();
