// The tedee-sync dashboard: keeping the locks current.
//
// The list is loaded once (GET /api/locks); then each event of /api/events/stream is applied to the copy
// in memory when it says enough (state, door, battery, connection, charging, name), and otherwise only
// that lock is fetched again (at most 4 at once; past 200 waiting, the list instead). Account events and
// a 10 s timer refresh /health. A check of the whole list every 60 s (conditional: 304 when nothing
// changed, once the route sends an ETag) catches what no event says, such as a copy that turned stale;
// locks that events changed while a list was on its way are fetched again after it.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { model, page } = app;
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
    queued: null,              // the one asked for meanwhile
    touched: null,             // locks that events changed while that request ran
    listeners: new Set(),      // tedeeDashboard.onEvent
  };
  const refetch = { waiting: new Set(), running: new Set(), again: new Set() };
  const timings = app.fleet.timings;

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

  /**
   * The whole list again, applied in place; what changed meanwhile by events is fetched once more. Asked
   * while a list is on its way (which may predate what made the caller ask): one more after it.
   */
  function refreshLocks() {
    if (state.loading) {
      state.queued = state.queued || state.loading.then(() => {
        state.queued = null;
        return refreshLocks();
      });
      return state.queued;
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

  Object.assign(app, {
    loadLocks, refreshLocks, refreshHealth, refreshLocksView, onStreamEvent, startTicker, stopTicker,
    eventListeners: state.listeners,
  });
})();
