// The tedee-sync dashboard, last part: it starts the page, keeps it current and routes between views.
//
// How it stays current: it draws from GET /api/config, /health and /api/locks (once), then follows
// /api/events/stream. A lock event is applied to the copy in memory when it says enough (state, door,
// battery, connection, charging, name); otherwise only that lock is fetched again (at most 4 at once).
// Account events and a 10 s timer refresh /health. A check of the whole list every 60 s (conditional,
// a 304 when nothing changed) catches what no event says, such as a copy that turned stale.
//
// Views by the fragment: #locks (the fleet, default, with its filters: #locks?state=UNLOCKED&q=12),
// #accounts (with the accounts API), #lock/<serial> (the lock page, lock-page.js, when it is there).
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, model, page } = app;
  const TICK_MS = 5000;
  const HEALTH_EVERY_TICKS = 2;   // 10 s: requests used, last sync
  const CHECK_LOCKS_MS = 60000;   // a copy turns stale without any event saying so
  const REFETCH_AT_ONCE = 4;      // the stream holds one of the browser's six connections
  const REFETCH_QUEUE_MAX = 200;  // more locks to fetch than this: fetch the list instead

  const state = {
    ticks: 0,
    ticker: null,
    healthTimer: null,
    locksTag: null,            // the ETag of the last full list
    loading: null,             // the full-list request in flight
    touched: null,             // locks that events changed while that request ran
    listeners: new Set(),      // tedeeDashboard.onEvent
    route: null,
    lockPage: null,            // the serial the lock page shows
    lastLockPage: null,
  };
  const refetch = { waiting: new Set(), running: new Set(), again: new Set() };
  const timings = app.fleet.timings;

  // ---- accounts and focus, shared by the views

  /** The lock's account; with one account the API leaves it out, so it is that one. */
  function accountOf(lock) {
    return lock.account || (page.accounts[0] && page.accounts[0].name) || '';
  }

  function accountNames() {
    const names = new Set(page.accounts.map((account) => account.name));
    for (const entry of model.entries.values()) {
      names.add(accountOf(entry.lock));
    }
    names.delete('');
    return [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
  }

  /** Where the focus is inside root, by lock: {serial, op, link}, or null. */
  function rememberFocus(root) {
    const active = document.activeElement;
    if (!root || !active || active === document.body || !root.contains(active)) {
      return null;
    }
    const holder = active.closest('[data-serial]');
    return holder ? { serial: holder.dataset.serial, op: active.dataset.op || null, link: active.matches('a.lock-link') } : null;
  }

  /** Puts the focus back on the same lock's control after its node was drawn again or moved. */
  function restoreFocus(focus, fallback) {
    if (!focus || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    const holder = app.fleet.element(focus.serial);
    if (!holder) {
      if (fallback) {
        fallback.focus({ preventScroll: true });
      }
      return;
    }
    const target = (focus.link && holder.querySelector('a.lock-link'))
      || (focus.op && [...holder.querySelectorAll('button.op')].find((button) => button.dataset.op === focus.op && !button.disabled))
      || holder;
    target.focus({ preventScroll: true });
  }

  // ---- starting

  async function start() {
    app.stopStream();
    try {
      const config = await app.api('/api/config');
      if (!config.ok) {
        throw new Error(app.message(config));
      }
      page.config = config.body;
      const [health, locks] = await Promise.all([app.api('/health'), loadLocks(false)]);
      app.keepToken();
      page.accounts = (health.body && health.body.accounts) || [];
      page.liveFrom = page.config.lastEventId;
      page.lastEventId = Math.max(0, page.config.lastEventId - app.events.EVENTS_SHOWN);
      app.events.clear();
      app.showProblem(null);
      $('#token').hidden = true;
      $('#forget-token-wrap').hidden = !page.token;
      if (location.hash.startsWith('#locks')) {
        app.fleet.fromFragment(query(location.hash));
      }
      app.accountStrip.draw();
      app.fleet.load(locks);
      showView(false);
      app.openStream(page.lastEventId);
      startTicker();
    } catch (error) {
      app.handleFailure(error, start);
    }
  }

  function query(hash) {
    const at = hash.indexOf('?');
    return at < 0 ? '' : hash.slice(at + 1);
  }

  // ---- keeping current

  /** GET /api/locks, conditional once we have a copy: the array, or null when it did not change (304). */
  async function loadLocks(conditional) {
    timings.fullLoads += 1;
    timings.nextCheckAt = performance.now() + CHECK_LOCKS_MS;
    const headers = conditional && state.locksTag ? { 'If-None-Match': state.locksTag } : {};
    const response = await app.api('/api/locks', { headers });
    timings.nextCheckAt = performance.now() + CHECK_LOCKS_MS;
    if (response.status === 304) {
      return null;
    }
    if (!response.ok || !Array.isArray(response.body)) {
      throw new Error(app.message(response));
    }
    state.locksTag = response.etag;
    return response.body;
  }

  /** The whole list again, applied in place; what changed meanwhile by events is fetched once more. */
  async function refreshLocks() {
    if (state.loading) {
      return state.loading;
    }
    state.touched = new Set();
    state.loading = (async () => {
      try {
        const locks = await loadLocks(true);
        if (locks) {
          app.fleet.load(locks);
          app.accountStrip.draw();
          state.touched.forEach(refreshLock);
        }
      } catch (error) {
        app.handleFailure(error);
      } finally {
        state.loading = null;
        state.touched = null;
      }
    })();
    return state.loading;
  }

  async function refreshHealth() {
    try {
      const response = await app.api('/health');
      if (response.body && response.body.accounts) {
        page.accounts = response.body.accounts;
        app.accountStrip.draw();
      }
    } catch (ignored) {
      // the stream notice already says when the service is away
    }
  }

  function scheduleHealth() {
    clearTimeout(state.healthTimer);
    state.healthTimer = setTimeout(refreshHealth, 500);
  }

  /** The locks view after an account came or went: the strip follows /health, the locks /api/locks. */
  async function refreshLocksView() {
    await refreshHealth();
    await refreshLocks();
  }

  function refreshLock(serial) {
    if (refetch.running.has(serial)) {
      refetch.again.add(serial);
      return;
    }
    refetch.waiting.add(serial);
    if (refetch.waiting.size > REFETCH_QUEUE_MAX) {
      refetch.waiting.clear();
      refreshLocks();
      return;
    }
    pump();
  }

  function pump() {
    while (refetch.running.size < REFETCH_AT_ONCE && refetch.waiting.size) {
      const serial = refetch.waiting.values().next().value;
      refetch.waiting.delete(serial);
      fetchLock(serial);
    }
  }

  async function fetchLock(serial) {
    refetch.running.add(serial);
    try {
      const response = await app.api('/api/locks/' + encodeURIComponent(serial));
      if (response.status === 404) {
        if (model.remove(serial)) {
          app.fleet.changed(serial);
        }
      } else if (response.ok && response.body) {
        model.set(response.body);
        app.fleet.changed(serial);
      }
    } catch (error) {
      if (error instanceof app.Unauthorized) {
        app.handleFailure(error);
      }
    } finally {
      refetch.running.delete(serial);
      if (refetch.again.delete(serial)) {
        refetch.waiting.add(serial);
      }
      pump();
    }
  }

  /** Every new event of the stream (api.js); live: newer than the locks loaded. */
  function onStreamEvent(event, id, live) {
    app.events.add(event, id);
    state.listeners.forEach((listener) => {
      try {
        listener(event);
      } catch (error) {
        console.error('an onEvent listener failed', error);
      }
    });
    if (!live) {
      return;
    }
    const serial = event.serialNumber;
    if (serial) {
      const result = model.applyEvent(event);
      if (result !== 'none') {
        app.fleet.changed(serial);
      }
      if (result === 'refetch' || refetch.running.has(serial)) {
        refreshLock(serial);
      }
      if (state.touched) {
        state.touched.add(serial);
      }
    }
    scheduleHealth();
    app.scheduleAccounts();
  }

  function startTicker() {
    stopTicker();
    state.ticker = setInterval(() => {
      state.ticks += 1;
      app.updateTimes(document);
      if (document.hidden) {
        return;
      }
      if (state.ticks % HEALTH_EVERY_TICKS === 0) {
        refreshHealth();
      }
      if (performance.now() >= timings.nextCheckAt) {
        refreshLocks();
      }
    }, TICK_MS);
  }

  function stopTicker() {
    clearInterval(state.ticker);
  }

  // ---- views

  function currentRoute() {
    const hash = location.hash;
    if (hash === '#accounts' && page.config && page.config.accountsApi) {
      return 'accounts';
    }
    return hash.startsWith('#lock/') ? 'lock' : 'locks';
  }

  /** Shows the view the fragment names; moveFocus when the user switched views (not on load). */
  function showView(moveFocus) {
    const view = currentRoute();
    const before = state.route;
    state.route = view;
    $('#views').hidden = !(page.config && page.config.accountsApi);
    $('#dashboard').hidden = view !== 'locks';
    $('#accounts').hidden = view !== 'accounts';
    for (const tab of document.querySelectorAll('#views a')) {
      if (tab.id === 'tab-' + (view === 'accounts' ? 'accounts' : 'locks')) {
        tab.setAttribute('aria-current', 'page');
      } else {
        tab.removeAttribute('aria-current');
      }
    }
    $('.skip').textContent = view === 'accounts' ? 'Skip to accounts' : 'Skip to locks';
    if (view !== 'lock') {
      leaveLockPage();
    }
    if (view === 'accounts') {
      app.openAccounts(moveFocus);
      return;
    }
    app.closeAccounts();
    if (view === 'lock') {
      enterLockPage(lockSerial());
      return;
    }
    if (location.hash.startsWith('#locks')) {
      app.fleet.fromFragment(query(location.hash));
    }
    if (before === 'accounts') {
      refreshLocksView(); // accounts may have come or gone meanwhile; the stream says nothing of one removed
    }
    if (moveFocus) {
      const back = before === 'lock' && state.lastLockPage;
      if (!(back && app.fleet.focusLock(back))) {
        $('#fleet').focus({ preventScroll: true });
      }
    }
  }

  function lockSerial() {
    try {
      return decodeURIComponent(location.hash.slice('#lock/'.length));
    } catch (malformed) {
      return location.hash.slice('#lock/'.length);
    }
  }

  function enterLockPage(serial) {
    const lockPage = window.tedeeLockPage;
    if (!lockPage || typeof lockPage.show !== 'function') {
      // Without the lock page: the fleet, showing just this lock.
      history.replaceState(history.state, '', '#locks?q=' + encodeURIComponent(serial.slice(0, 100)));
      showView(true);
      return;
    }
    state.lockPage = serial;
    state.lastLockPage = serial;
    lockPage.show(serial);
  }

  function leaveLockPage() {
    if (state.lockPage === null) {
      return;
    }
    state.lockPage = null;
    try {
      window.tedeeLockPage.hide();
    } catch (error) {
      console.error('the lock page failed to hide', error);
    }
  }

  window.addEventListener('hashchange', () => {
    if (!page.config || !$('#token').hidden) {
      return;
    }
    const next = currentRoute();
    if (next === 'locks' && state.route === 'locks') {
      if (location.hash.startsWith('#locks')) {
        app.fleet.fromFragment(query(location.hash));
      }
      return;
    }
    showView(true);
  });

  // The skip link moves the focus without touching the fragment (which holds the filters).
  $('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    const target = state.route === 'accounts' ? $('#accounts-title') : state.route === 'lock' ? $('#lock-page') : $('#fleet');
    if (target) {
      target.focus();
    }
  });

  // ---- for the lock page and other scripts: the contract (fleet-design.md, section 5)

  /** fetch with the API token; a 401 also asks for a token (and is still returned). */
  async function publicApi(path, options = {}) {
    try {
      return await app.fetchWithToken(path, options);
    } catch (error) {
      if (error instanceof app.Unauthorized) {
        app.handleFailure(error);
        return new Response(null, { status: 401 });
      }
      throw error;
    }
  }

  window.tedeeDashboard = Object.freeze({
    api: publicApi,
    onEvent(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    config: () => page.config,
    operate: (serial, operation) => app.operate(serial, operation),
    words: app.words,
    timeAgo: app.timeAgo,
    ago: app.ago,
    lock: (serial) => model.lock(serial) || null,
  });

  Object.assign(app, {
    start, accountOf, accountNames, rememberFocus, restoreFocus, refreshLocks, refreshHealth, refreshLocksView,
    stopTicker, currentRoute, leaveLockPage, onStreamEvent,
  });

  start();
})();
