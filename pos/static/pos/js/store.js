// CafePOS terminal: what must survive a reload — the outbox of orders and payments waiting for the server
// (IndexedDB, oldest first by its auto-increment id) and the cart being built (localStorage).
(function () {
  "use strict";

  var POS = window.CafePOS;
  var DB_NAME = "cafepos-pos";
  var STORE = "outbox";
  var CART_KEY = "cafepos-cart-" + POS.config.terminal.id;
  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  // Run `work(store)` in one transaction; resolves with what `work` returned once the transaction committed.
  function transact(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        var request = work(tx.objectStore(STORE));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  POS.store = {
    add: function (entry) {
      return transact("readwrite", function (store) { return store.add(entry); }).then(function (id) {
        entry.id = id;
        return entry;
      });
    },
    put: function (entry) { return transact("readwrite", function (store) { return store.put(entry); }); },
    remove: function (id) { return transact("readwrite", function (store) { return store.delete(id); }); },
    get: function (id) { return transact("readonly", function (store) { return store.get(id); }); },
    // Every entry, oldest first (ids only grow).
    all: function () { return transact("readonly", function (store) { return store.getAll(); }); },

    cartLoad: function () {
      try {
        return JSON.parse(window.localStorage.getItem(CART_KEY) || "null");
      } catch (error) {
        return null;
      }
    },
    cartSave: function (cart) { window.localStorage.setItem(CART_KEY, JSON.stringify(cart)); },
  };
})();
