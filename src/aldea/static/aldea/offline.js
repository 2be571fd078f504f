// Offline-first field capture (docs/decisions.md O13).
//
// Forms marked data-offline (an attendance row, the scores, the diagnostic, meeting notes, the
// monthly results) get an idempotency key: a UUID in a hidden field, and in the
// Idempotency-Key header of htmx requests. A write that cannot reach the server is kept in
// IndexedDB, shown as pending on its row and in a banner, and sent again when the connection
// returns (the "online" event) and on every page load. The server applies a key once
// (aldea.ops.idempotency), so sending again never duplicates. The service worker (sw.js) keeps
// the pages themselves.
(function () {
  "use strict";

  var DB_NAME = "aldea-offline";
  var STORE = "writes";
  var PAGES_CACHE = "aldea-pages-v1";
  var userMeta = document.querySelector('meta[name="aldea-user"]');
  var user = userMeta ? userMeta.content : "";
  var syncing = false;

  // --- the service worker, and the cache emptied on signing out ------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // The page that installed the worker was loaded without it: keep it now.
      if (user && registration.active) {
        registration.active.postMessage({ type: "keep-page", url: location.href });
      }
    }).catch(function () {});
  }
  if (!user && "caches" in window) {
    // No one is signed in (the page after signing out): another person may use this phone next.
    caches.delete(PAGES_CACHE);
  }

  // --- keys ------------------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function keyField(form) {
    var field = form.querySelector('input[name="idempotency_key"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "idempotency_key";
      field.value = newKey();
      form.appendChild(field);
    }
    return field;
  }

  function prepare(root) {
    (root || document).querySelectorAll("form[data-offline]").forEach(keyField);
    if (root && root.matches && root.matches("form[data-offline]")) { keyField(root); }
  }

  // --- the queue in IndexedDB ---------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && result.value); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function allWrites() {
    return withStore("readonly", function (store) {
      var out = { value: [] };
      store.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (cursor) { out.value.push(cursor.value); cursor.continue(); }
      };
      return out;
    }).then(function (writes) {
      return writes.filter(function (w) { return w.user === user; })
        .sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function putWrite(write) {
    // A newer tap on the same row replaces the one still waiting: only the last one counts.
    return allWrites().then(function (writes) {
      return withStore("readwrite", function (store) {
        writes.forEach(function (w) {
          if (w.state === "pending" && w.url === write.url && w.slot === write.slot) { store.delete(w.key); }
        });
        store.put(write);
      });
    });
  }

  function deleteWrite(key) {
    return withStore("readwrite", function (store) { store.delete(key); });
  }

  function encode(formData) {
    var parts = [];
    formData.forEach(function (value, name) {
      if (typeof value === "string") {
        parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
      }
    });
    return parts.join("&");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) { return ""; }
  }

  function queue(form, formData, url, isHtmx) {
    var key = keyField(form).value;
    formData.set("idempotency_key", key);
    var headers = { "Idempotency-Key": key, "X-CSRFToken": csrfToken() };
    if (isHtmx) {
      headers["HX-Request"] = "true";
      headers["HX-Target"] = form.id;
      headers["HX-Current-URL"] = location.href;
    }
    var write = {
      key: key, user: user, url: url, body: encode(formData), headers: headers, htmx: isHtmx,
      slot: isHtmx ? form.id : "form:" + new URL(url, location.href).pathname,
      page: location.pathname, label: form.getAttribute("data-offline-label") || document.title,
      status: formData.get("status") || "", createdAt: Date.now(), state: "pending",
    };
    // The next write from this form is another write: it gets a key of its own.
    keyField(form).value = newKey();
    return putWrite(write).then(show);
  }

  // --- what the page shows ------------------------------------------------------------------
  var banner = document.getElementById("offline-banner");

  function text(name) { return banner ? banner.getAttribute("data-" + name) || "" : ""; }

  function markRow(form, write) {
    form.classList.add("pending");
    var badge = form.querySelector(".badge.pending");
    if (badge) { badge.hidden = false; }
    form.querySelectorAll(".who .badge:not(.pending)").forEach(function (b) { b.hidden = true; });
    if (write.status) {
      form.querySelectorAll('.toggles button[name="status"]').forEach(function (button) {
        button.setAttribute("aria-pressed", button.value === write.status ? "true" : "false");
      });
    }
  }

  function markForm(form) {
    if (form.querySelector(".offline-note")) { return; }
    var note = document.createElement("p");
    note.className = "offline-note badge pending";
    note.setAttribute("role", "status");
    note.textContent = text("kept");
    form.insertBefore(note, form.firstChild);
  }

  function formFor(write) {
    if (write.htmx) { return document.getElementById(write.slot); }
    var path = write.slot.slice("form:".length);
    var forms = document.querySelectorAll("form[data-offline]");
    for (var i = 0; i < forms.length; i++) {
      if (new URL(forms[i].getAttribute("action") || location.href, location.href).pathname === path) { return forms[i]; }
    }
    return null;
  }

  function show() {
    if (!banner || !user) { return Promise.resolve(); }
    return allWrites().then(function (writes) {
      var pending = writes.filter(function (w) { return w.state === "pending"; });
      var rejected = writes.filter(function (w) { return w.state === "rejected"; });
      banner.querySelector(".count").textContent = pending.length === 1
        ? text("one") : text("other").replace("{n}", pending.length);
      banner.querySelector(".count").hidden = pending.length === 0;
      banner.querySelector(".offline").hidden = navigator.onLine;
      var list = banner.querySelector(".rejected");
      list.textContent = "";
      rejected.forEach(function (write) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = write.page;
        link.textContent = write.label;
        item.appendChild(document.createTextNode(text("rejected") + " "));
        item.appendChild(link);
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "secondary";
        dismiss.textContent = text("dismiss");
        dismiss.addEventListener("click", function () { deleteWrite(write.key).then(show); });
        item.appendChild(document.createTextNode(" "));
        item.appendChild(dismiss);
        list.appendChild(item);
      });
      banner.hidden = pending.length === 0 && rejected.length === 0 && navigator.onLine;
      pending.forEach(function (write) {
        if (write.page !== location.pathname) { return; }
        var form = formFor(write);
        if (form) { (write.htmx ? markRow : markForm)(form, write); }
      });
    }).catch(function () {});
  }

  function redraw(write, html) {
    var form = write.htmx && document.getElementById(write.slot);
    if (!form || !html) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    if (!fresh) { return; }
    form.replaceWith(fresh);
    if (window.htmx) { htmx.process(fresh); }
    prepare(fresh);
  }

  // --- sending again ------------------------------------------------------------------------
  function send(write) {
    var headers = Object.assign({}, write.headers, { "Content-Type": "application/x-www-form-urlencoded" });
    var token = csrfToken();
    if (token) { headers["X-CSRFToken"] = token; }
    return fetch(write.url, { method: "POST", body: write.body, headers: headers, credentials: "same-origin" });
  }

  function sync() {
    if (syncing || !user || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return allWrites().then(function (writes) {
      var pending = writes.filter(function (w) { return w.state === "pending"; });
      return pending.reduce(function (previous, write) {
        return previous.then(function (goOn) {
          if (!goOn) { return false; }
          return send(write).then(function (response) {
            var toLogin = response.redirected && new URL(response.url).pathname.indexOf("/accounts/login/") === 0;
            if (toLogin || response.status >= 500) { return false; }  // signed out, or the server is down: later
            return response.text().then(function (html) {
              if (response.ok || response.status === 409 || (write.htmx && response.status === 400)) {
                // Applied, or a conflict or an error that the row itself now shows.
                redraw(write, html);
                return deleteWrite(write.key).then(function () { return true; });
              }
              write.state = "rejected";
              return withStore("readwrite", function (store) { store.put(write); }).then(function () { return true; });
            });
          }, function () { return false; });  // still no network
        });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () {
      syncing = false;
      document.querySelectorAll(".offline-note").forEach(function (note) { note.remove(); });
      return show();
    });
  }

  // --- hooks ----------------------------------------------------------------------------------
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.matches && form.matches("form[data-offline]")) {
      event.detail.headers["Idempotency-Key"] = keyField(form).value;
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-offline]")) { return; }
    var config = event.detail.requestConfig;
    queue(form, config.formData, config.path, true);
  });

  document.addEventListener("htmx:load", function (event) { prepare(event.detail.elt); });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-offline]") || form.hasAttribute("hx-post") || navigator.onLine) { return; }
    event.preventDefault();
    var formData = new FormData(form, event.submitter || undefined);
    queue(form, formData, form.getAttribute("action") || location.pathname + location.search, false);
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-sign-out]") && navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
    }
  });

  window.addEventListener("online", sync);
  window.addEventListener("offline", show);
  document.addEventListener("DOMContentLoaded", function () {
    prepare(document);
    show().then(sync);
  });
})();
