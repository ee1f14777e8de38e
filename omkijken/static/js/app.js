/* On every page (base.html): registers the service worker, empties its cache of pages on logout,
   says so when a page comes from that cache without a connection, and offers the browser's own
   "install" button on the page "Zet Omkijken op je telefoon" where the browser has one. */
(function () {
  "use strict";
  var script = document.currentScript;
  var swUrl = script && script.dataset.sw;

  if ("serviceWorker" in navigator && swUrl) {
    navigator.serviceWorker.register(swUrl, {scope: "/"}).catch(function () { /* the site works without it */ });
  }

  // A shared phone at the desk: what one person saw must be gone when they log out.
  function forgetPages() {
    var done = [];
    if (window.caches) {
      done.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("omkijken-paginas-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) {
      done.push(new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = resolve;
        worker.postMessage({type: "uitloggen"}, [channel.port2]);
      }));
    }
    // Never keep someone waiting at the door: log out after at most a second anyway.
    return Promise.race([Promise.all(done), new Promise(function (resolve) { setTimeout(resolve, 1000); })]);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-uitloggen], form[action$='/uitloggen']") || form.dataset.klaar) return;
    event.preventDefault();
    form.dataset.klaar = "1";
    forgetPages().then(function () { form.submit(); });
  });

  // A page read from the cache without a connection says so at the top.
  if (!navigator.onLine && script && script.dataset.offline) {
    var main = document.getElementById("inhoud");
    if (main) {
      var note = document.createElement("p");
      note.className = "flash flash-info offline-melding";
      note.setAttribute("role", "status");
      note.textContent = script.dataset.offline;
      main.insertBefore(note, main.firstChild);
    }
  }

  // Chrome on Android (and Edge) offer their own install dialog; Safari on an iPhone does not.
  var install = document.getElementById("installeer-knop");
  if (install) {
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      install.hidden = false;
      install.addEventListener("click", function () {
        install.hidden = true;
        event.prompt();
      }, {once: true});
    });
    window.addEventListener("appinstalled", function () {
      install.hidden = true;
      var done = document.getElementById("installeer-klaar");
      if (done) done.hidden = false;
    });
  }
})();
