// The tedee-sync dashboard, last part: it starts the page and routes between its views, and gives other
// scripts (the lock page) window.tedeeDashboard.
//
// Views by the fragment: #locks (the fleet, default, with its filters: #locks?state=UNLOCKED&q=12),
// #accounts (with the accounts API), #lock/<serial> (the lock page, lock-page.js, when it is there:
// window.tedeeLockPage.show(serial) on the way in, hide() on the way out; without it, the fleet showing
// just that lock).
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, model, page } = app;

  const state = {
    route: null,
    lockPage: null,            // the serial the lock page shows
    lastLockPage: null,
  };
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
      const [health, locks] = await Promise.all([app.api('/health'), app.loadLocks(false)]);
      if (timings.listLoadedMs === null) {
        timings.listLoadedMs = Math.round(performance.now());
      }
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
      app.startTicker();
    } catch (error) {
      app.handleFailure(error, start);
    }
  }

  function query(hash) {
    const at = hash.indexOf('?');
    return at < 0 ? '' : hash.slice(at + 1);
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
      app.refreshLocksView(); // accounts may have come or gone meanwhile; the stream says nothing of one removed
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
      app.eventListeners.add(listener);
      return () => app.eventListeners.delete(listener);
    },
    config: () => page.config,
    operate: (serial, operation) => app.operate(serial, operation),
    words: app.words,
    timeAgo: app.timeAgo,
    ago: app.ago,
    lock: (serial) => model.lock(serial) || null,
    /** The fleet's address with the user's filters (#locks?...), for a way back to it. */
    fleetHref: () => app.fleet.fragment(),
  });

  Object.assign(app, { start, accountOf, accountNames, rememberFocus, restoreFocus, currentRoute, leaveLockPage });

  start();
})();
