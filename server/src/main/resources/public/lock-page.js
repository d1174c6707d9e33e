// The lock page (#lock/<serial>): one lock's state now, its operations and "Sync now"; its history over 24 h,
// 7 d or 30 d is lock-history.js. Both use lock-shared.js (loaded before them, like charts.js).
//
// Hooks: the dashboard (app.js) calls window.tedeeLockPage.show(serial) on #lock/<serial> and hide() when
// leaving; this page uses window.tedeeDashboard.api(path, options) -> Promise<Response> (with the API
// token), .onEvent(listener) (every event of the stream, parsed) and .config() (the /api/config object).
// On an event of this lock it fetches the lock and its history again, debounced.
'use strict';

(() => {
  const DEBOUNCE_MS = 300;        // a burst of events (an operation: state, door, battery) makes one refetch
  const MAX_WAIT_MS = 2000;       // ... and a steady stream still one every 2 s
  const STATE_EVERY_MS = 30000;   // "stale" and "ago" change without any event
  const SYNC_FLOOR_MS = 10000;    // Tedee allows one sync of a lock every 10 s
  const OPERATIONS = {
    lock: { label: 'Lock', doing: 'Locking…', done: 'Locked.' },
    unlock: { label: 'Unlock', doing: 'Unlocking…', done: 'Unlocked.' },
    pull: { label: 'Pull', doing: 'Pulling…', done: 'Pulled.' },
  };
  const charts = window.tedeeCharts;
  const { view, $, root, board, path, call, reason, el, words, when, duration } = window.tedeeLockShared;
  const { rangeButtons, figure, observe, loadHistory } = window.tedeeLockHistory;

  // ---- showing and hiding

  function show(serial) {
    const section = root();
    if (view.serial !== serial) {
      view.serial = serial;
      view.lock = null;
      view.history = null;
      view.problem = null;
      view.allowedAt = 0;
      view.retryAt = 0;
      view.busy = null;
      build(section);
    }
    section.dataset.serial = serial;
    section.hidden = false;
    // Back to the fleet as the user left it (its filters are in the fleet tab's address).
    const back = section.querySelector('.lp-back a');
    back.setAttribute('href', board().fleetHref ? board().fleetHref() : '#locks');
    subscribe();
    observe();
    clearInterval(view.stateTimer);
    view.stateTimer = setInterval(() => !document.hidden && loadState(), STATE_EVERY_MS);
    refresh();
    $('#lock-page-title').focus({ preventScroll: false });
  }

  function hide() {
    const section = root();
    if (section) {
      section.hidden = true;
    }
    clearInterval(view.stateTimer);
    clearInterval(view.countdown);
    clearTimeout(view.debounce);
    view.countdown = null;
    view.debounce = null;
    view.serial = null;
    if (view.unsubscribe) {
      view.unsubscribe();
      view.unsubscribe = null;
    }
    if (view.observer) {
      view.observer.disconnect();
      view.observer = null;
    }
  }

  function subscribe() {
    if (view.unsubscribe || !board().onEvent) {
      return;
    }
    view.unsubscribe = board().onEvent((event) => {
      if (view.serial && event && event.serialNumber === view.serial) {
        refreshSoon();
      }
    });
  }

  function refreshSoon() {
    const now = Date.now();
    if (!view.debounce) {
      view.firstWaiting = now;
    }
    clearTimeout(view.debounce);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, view.firstWaiting + MAX_WAIT_MS - now));
    view.debounce = setTimeout(() => {
      view.debounce = null;
      refresh();
    }, wait);
  }

  /** Both again; nothing once the page was left (an operation or a sync may end after that). */
  function refresh() {
    if (!view.serial) {
      return Promise.resolve();
    }
    return Promise.all([loadState(), loadHistory()]);
  }

  async function loadState() {
    const serial = view.serial;
    if (!serial) {
      return;
    }
    const request = ++view.stateRequest;
    let answer;
    try {
      answer = await call(path());
    } catch (error) {
      answer = { status: 0, ok: false, body: { message: 'the service did not answer (' + error.message + ')' } };
    }
    if (serial !== view.serial || request !== view.stateRequest) {
      return; // another lock, or a newer answer is coming
    }
    if (answer.ok) {
      view.problem = null;
      applyLock(answer.body, true);
    } else {
      view.problem = answer.status === 404 ? 'There is no lock ' + serial + ' on this service (any more).' : 'Cannot load this lock: ' + reason(answer) + '.';
      if (answer.status === 404) {
        view.lock = null;
      }
    }
    drawState();
  }

  /** Takes a lock view; only GET /api/locks/{serial} carries nextSyncAllowedAt, so only its answer moves it. */
  function applyLock(lock, withFloor) {
    view.lock = lock;
    if (withFloor) {
      view.allowedAt = lock.nextSyncAllowedAt ? Date.parse(lock.nextSyncAllowedAt) : 0;
    }
  }

  // ---- the skeleton, built once per lock

  function build(section) {
    section.textContent = '';
    const ranges = rangeButtons();
    section.append(
      el('p', { class: 'lp-back' }, el('a', { href: '#locks' }, '← All locks')),
      el('header', { class: 'lp-head' },
        el('h2', { id: 'lock-page-title', tabindex: '-1' }, view.serial),
        el('p', { id: 'lp-subtitle', class: 'lp-subtitle' }, view.serial)),
      el('p', { id: 'lp-problem', class: 'problem', role: 'alert', hidden: '' }),
      el('div', { class: 'lp-grid' },
        el('section', { class: 'lp-card lp-now', 'aria-labelledby': 'lp-now-title' },
          el('h3', { id: 'lp-now-title' }, 'Now'),
          el('dl', { id: 'lp-facts', class: 'lp-facts' }),
          el('div', { id: 'lp-actions', class: 'lp-actions' }),
          el('div', { class: 'lp-sync-row' },
            el('button', { type: 'button', id: 'lp-sync', 'aria-describedby': 'lp-sync-wait' }, 'Sync now'),
            el('span', { id: 'lp-sync-wait', class: 'lp-wait' })),
          el('p', { id: 'lp-status', class: 'lp-status', role: 'status', 'aria-live': 'polite' })),
        el('section', { class: 'lp-card lp-history', 'aria-labelledby': 'lp-history-title' },
          el('div', { class: 'lp-history-head' }, el('h3', { id: 'lp-history-title' }, 'History'), ranges),
          el('p', { id: 'lp-range-text', class: 'muted lp-range-text' }, 'Loading…'),
          figure('timeline', 'States'),
          figure('battery', 'Battery'),
          figure('door', 'Door openings')),
        el('section', { class: 'lp-card lp-events', 'aria-labelledby': 'lp-events-title' },
          el('h3', { id: 'lp-events-title' }, 'Events in this range'),
          el('ol', { id: 'lp-events', class: 'event-list' }),
          el('p', { id: 'lp-events-note', class: 'muted' }))));
    $('#lp-sync').addEventListener('click', syncNow);
  }

  // ---- drawing: the state now

  function drawState() {
    const lock = view.lock;
    const problem = $('#lp-problem');
    problem.textContent = view.problem || '';
    problem.hidden = !view.problem;
    if (!lock) {
      drawSync();
      return;
    }
    const shown = look(lock);
    $('#lock-page-title').textContent = lock.name || lock.serialNumber;
    const subtitle = $('#lp-subtitle');
    subtitle.textContent = '';
    subtitle.append(el('span', { class: 'serial' }, lock.serialNumber), lock.account ? ' · account ' + lock.account : '',
      el('span', { class: 'lp-state', 'data-kind': shown.kind, 'data-state': lock.state || '' }, shown.label),
      lock.stale ? el('span', { class: 'badge stale', title: 'Not confirmed by Tedee for longer than the staleness threshold' }, 'Stale') : '');
    const facts = $('#lp-facts');
    facts.textContent = '';
    facts.append(
      fact('State', shown.label + (!lock.isConnected && lock.lastKnownState ? ' (last known: ' + words(lock.lastKnownState) + ')' : ''), 'state'),
      fact('Connection', lock.isConnected ? 'Online' : 'Offline', 'connection'),
      fact('Battery', lock.batteryLevel === null || lock.batteryLevel === undefined ? 'unknown'
        : lock.batteryLevel + ' %' + (lock.isCharging ? ', charging' : ''), 'battery'),
      fact('Door', lock.doorState ? words(lock.doorState) : 'no sensor', 'door'),
      fact('Last change', lock.lastStateChangedDate ? timeText(lock.lastStateChangedDate) : 'unknown', 'last-change'),
      fact('Synced', lock.syncedAt ? timeText(lock.syncedAt) : 'never', 'synced'),
      fact('Stale', lock.stale ? 'Yes: shown as last known' : 'No', 'stale'));
    drawActions();
    drawSync();
  }

  function look(lock) {
    if (!lock.isConnected) return { kind: 'offline', label: 'Disconnected' };
    if (!lock.state) return { kind: 'unknown', label: 'Position unknown' };
    return { kind: charts.kindOf({ state: lock.state, connected: true }), label: lock.state === 'PULLED' ? 'Pulled (unlocked)' : words(lock.state) };
  }

  function validOperations(lock) {
    const config = board().config ? board().config() : null;
    if (!lock.isConnected || !config || !config.operationsAllowed) return [];
    return { UNLOCKED: ['lock', 'pull'], SEMI_LOCKED: ['lock', 'unlock'], LOCKED: ['unlock'] }[lock.state] || [];
  }

  function drawActions() {
    const box = $('#lp-actions');
    const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.dataset.op : null;
    box.textContent = '';
    const operations = validOperations(view.lock);
    if (OPERATIONS[view.busy] && !operations.includes(view.busy)) {
      operations.push(view.busy);
    }
    for (const operation of operations) {
      const button = el('button', { type: 'button', class: 'op lp-op', 'data-op': operation }, OPERATIONS[operation].label);
      button.disabled = Boolean(view.busy);
      button.addEventListener('click', () => operate(operation));
      box.append(button);
    }
    if (focused) {
      const again = box.querySelector('button[data-op="' + focused + '"]') || box.querySelector('button') || $('#lp-sync');
      again.focus();
    }
  }

  async function operate(operation) {
    if (view.busy) return;
    // A disabled button loses the focus; it comes back to the buttons when the operation ends.
    const hadFocus = $('#lp-actions').contains(document.activeElement);
    view.busy = operation;
    drawActions();
    say(OPERATIONS[operation].doing, 'busy');
    const serial = view.serial;
    try {
      // Through the dashboard, so the fleet knows it runs (its buttons for this lock wait) and takes the answer.
      const outcome = await board().operate(serial, operation);
      if (serial === view.serial) {
        const fresh = board().lock ? board().lock(serial) : null;
        if (fresh && outcome.status === 200) {
          applyLock({ ...view.lock, ...fresh }, false);
        }
        say(outcome.status === 202 ? OPERATIONS[operation].doing + ' still running; this page updates when it ends.' : outcome.text, outcome.kind);
      }
    } catch (error) {
      say(OPERATIONS[operation].label + ' failed: the service did not answer.', 'error');
    }
    view.busy = null;
    if (serial !== view.serial) {
      return; // the page was left meanwhile
    }
    drawState();
    if (hadFocus && (!document.activeElement || document.activeElement === document.body)) {
      ($('#lp-actions button') || $('#lp-sync')).focus();
    }
    refresh();
  }

  // ---- Sync now: enabled once the floor allows, with a countdown meanwhile

  /** Seconds until Sync now is allowed, on the server's clock (a browser's clock may be off by minutes). */
  function syncWait() {
    return Math.max(0, Math.ceil((Math.max(view.allowedAt, view.retryAt) - (Date.now() + view.skew)) / 1000));
  }

  function drawSync() {
    const button = $('#lp-sync');
    if (!button) return;
    const wait = syncWait();
    button.disabled = !view.lock || view.busy === 'sync' || wait > 0;
    button.dataset.wait = String(wait);
    $('#lp-sync-wait').textContent = view.busy === 'sync' ? 'Syncing…' : wait > 0 ? 'Allowed again in ' + wait + ' s' : '';
    if (wait > 0 && !view.countdown && !root().hidden) {
      view.countdown = setInterval(drawSync, 250);
    } else if (wait === 0 && view.countdown) {
      clearInterval(view.countdown);
      view.countdown = null;
    }
  }

  async function syncNow() {
    if (view.busy || syncWait() > 0) return;
    view.busy = 'sync';
    drawSync();
    say('Syncing with Tedee…', 'busy');
    try {
      const answer = await call(path('/sync'), { method: 'POST' });
      if (answer.status === 200) {
        applyLock(answer.body, false);
        view.allowedAt = Date.now() + view.skew + SYNC_FLOOR_MS; // until the lock view says when exactly
        say('Synced with Tedee.', 'ok');
      } else if (answer.status === 429) {
        const seconds = Number(answer.retryAfter) || 10;
        view.retryAt = Date.now() + view.skew + seconds * 1000;
        say('Too soon: Tedee allows one sync of a lock every 10 s. Try again in ' + seconds + ' s.', 'error');
      } else {
        say({ 202: 'Sync queued; this page updates when it ends.', 404: 'This lock is no longer on the account.' }[answer.status]
          || 'Sync failed' + detail(answer), answer.status === 202 ? 'busy' : 'error');
      }
    } catch (error) {
      say('Sync failed: the service did not answer.', 'error');
    }
    view.busy = null;
    if (!view.serial) {
      return; // the page was left meanwhile
    }
    drawSync();
    await refresh();
    if (document.activeElement === document.body) {
      $('#lp-sync').focus();
    }
  }

  function say(text, kind) {
    const status = $('#lp-status');
    status.textContent = text || '';
    status.dataset.kind = kind || '';
  }

  function detail(answer) {
    return answer.body && answer.body.message ? ': ' + answer.body.message : '.';
  }

  // ---- small helpers

  function fact(term, value, field) {
    return el('div', {}, el('dt', {}, term), el('dd', { 'data-field': field }, value));
  }

  function timeText(iso) {
    const elapsed = Math.max(0, Date.now() - Date.parse(iso));
    return el('time', { datetime: iso, title: new Date(iso).toLocaleString() }, when(iso) + ' (' + (elapsed < 10000 ? 'just now' : duration(elapsed) + ' ago') + ')');
  }

  window.tedeeLockPage = { show, hide };
})();
