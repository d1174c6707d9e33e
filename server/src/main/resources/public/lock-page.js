// The lock page (#lock/<serial>): one lock's state now, its operations and "Sync now", and its history
// over 24 h, 7 d or 30 d from GET /api/locks/{serial}/history, drawn by charts.js.
//
// Hooks: the dashboard (app.js) calls window.tedeeLockPage.show(serial) on #lock/<serial> and hide() when
// leaving; this page uses window.tedeeDashboard.api(path, options) -> Promise<Response> (with the API
// token), .onEvent(listener) (every event of the stream, parsed) and .config() (the /api/config object).
// On an event of this lock it fetches the lock and its history again, debounced.
'use strict';

(() => {
  const HOUR = 3600000;
  const RANGES = { '24h': { ms: 24 * HOUR, label: '24 h' }, '7d': { ms: 7 * 24 * HOUR, label: '7 d' }, '30d': { ms: 30 * 24 * HOUR, label: '30 d' } };
  const RANGE_KEY = 'tedee-sync.lock-range';
  const DEBOUNCE_MS = 300;        // a burst of events (an operation: state, door, battery) makes one refetch
  const MAX_WAIT_MS = 2000;       // ... and a steady stream still one every 2 s
  const STATE_EVERY_MS = 30000;   // "stale" and "ago" change without any event
  const SYNC_FLOOR_MS = 10000;    // Tedee allows one sync of a lock every 10 s
  const TABLE_ROWS = 1000;        // the newest intervals the table lists; the chart has them all
  const OPERATIONS = {
    lock: { label: 'Lock', doing: 'Locking…', done: 'Locked.' },
    unlock: { label: 'Unlock', doing: 'Unlocking…', done: 'Unlocked.' },
    pull: { label: 'Pull', doing: 'Pulling…', done: 'Pulled.' },
  };
  const charts = window.tedeeCharts;

  const view = {
    serial: null, lock: null, history: null, problem: null, historyProblem: null,
    range: storedRange(),
    stateRequest: 0, historyRequest: 0,
    allowedAt: 0, retryAt: 0,        // when "Sync now" is allowed: by the lock view, by a 429's Retry-After
    busy: null,                      // 'sync' or an operation in flight
    debounce: null, firstWaiting: 0, stateTimer: null, countdown: null,
    unsubscribe: null, observer: null, width: 0, draws: 0,
    skew: 0,                         // the server's clock minus the browser's (from the answers' Date header)
    historyTags: {},                 // range -> {serial, etag}: the last history drawn, for If-None-Match
  };

  /** The range chosen last time; storage may be blocked (a SecurityError), which leaves the default. */
  function storedRange() {
    try {
      const stored = localStorage.getItem(RANGE_KEY);
      return RANGES[stored] ? stored : '24h';
    } catch (blocked) {
      return '24h';
    }
  }

  const $ = (selector) => document.querySelector(selector);
  const root = () => document.getElementById('lock-page');
  const board = () => window.tedeeDashboard || {};
  const path = (suffix) => '/api/locks/' + encodeURIComponent(view.serial) + (suffix || '');

  // ---- talking to the service

  /** {status, ok, body, retryAfter} from the dashboard's api hook (a fetch Response). */
  async function call(url, options) {
    if (!board().api) {
      throw new Error('the dashboard is not loaded');
    }
    const answer = await board().api(url, options || {});
    if (!answer || typeof answer.json !== 'function') {
      return { status: answer.status, ok: answer.ok, body: answer.body, retryAfter: null }; // an already parsed answer
    }
    const serverNow = answer.headers ? Date.parse(answer.headers.get('Date') || '') : NaN;
    if (Number.isFinite(serverNow)) {
      // The Date header has whole seconds: a difference within 2 s is the header's rounding, not a skew.
      const skew = serverNow - Date.now();
      view.skew = Math.abs(skew) > 2000 ? skew : 0;
    }
    let body = null;
    if (answer.status !== 304) {
      try {
        body = await answer.json();
      } catch (notJson) {
        body = null;
      }
    }
    return { status: answer.status, ok: answer.ok, body, retryAfter: answer.headers ? answer.headers.get('Retry-After') : null,
      etag: answer.headers ? answer.headers.get('ETag') : null };
  }

  function reason(answer) {
    return answer.status === 401 ? 'the API token is missing or refused (enter it on the fleet view)'
      : (answer.body && answer.body.message) || 'HTTP ' + answer.status;
  }

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

  /** Redraws the charts when their width changes; one observer, while the page is shown. */
  function observe() {
    if (view.observer) {
      view.observer.disconnect();
      view.observer = null;
    }
    const chart = $('#lp-timeline-chart');
    if (!window.ResizeObserver || !chart) {
      return;
    }
    view.observer = new ResizeObserver(() => {
      const width = chartWidth();
      if (width && width !== view.width) {
        drawHistory();
      }
    });
    view.observer.observe(chart);
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

  async function loadHistory() {
    const serial = view.serial;
    const range = view.range;
    const request = ++view.historyRequest;
    if (!serial) {
      return;
    }
    const from = new Date(Date.now() - RANGES[range].ms).toISOString();
    const last = view.historyTags[range];
    const headers = last && last.serial === serial && view.history && view.history.range === range ? { 'If-None-Match': last.etag } : {};
    let answer;
    try {
      answer = await call(path('/history?' + new URLSearchParams({ from })), { headers });
    } catch (error) {
      answer = { status: 0, ok: false, body: { message: 'the service did not answer (' + error.message + ')' } };
    }
    if (serial !== view.serial || request !== view.historyRequest) {
      return;
    }
    if (answer.status === 304 && headers['If-None-Match']) {
      return; // unchanged: the drawing stands
    }
    if (answer.ok && answer.body && Array.isArray(answer.body.states)) {
      view.history = { ...answer.body, range };
      view.historyProblem = null;
      view.historyTags[range] = answer.etag ? { serial, etag: answer.etag } : null;
    } else {
      view.history = null;
      view.historyProblem = answer.status === 404 ? 'No history for this lock on this service.' : 'Cannot load the history: ' + reason(answer) + '.';
    }
    drawHistory();
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
    const ranges = el('div', { class: 'lp-ranges', role: 'group', 'aria-label': 'Range' });
    for (const [key, range] of Object.entries(RANGES)) {
      const button = el('button', { type: 'button', 'data-range': key, 'aria-pressed': String(key === view.range) }, 'Last ' + range.label);
      button.addEventListener('click', () => chooseRange(key));
      ranges.append(button);
    }
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

  function figure(name, title) {
    const tableId = 'lp-' + name + '-table';
    const toggle = el('button', { type: 'button', class: 'link lp-toggle', 'aria-controls': tableId, 'aria-expanded': 'false' }, 'Show as table');
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? 'Hide table' : 'Show as table';
      // Hidden visually only: screen readers have the table either way. Focusable (to scroll it by keyboard)
      // only while it can be seen.
      const wrap = document.getElementById(tableId);
      wrap.classList.toggle('visually-hidden', !open);
      if (open) {
        wrap.setAttribute('tabindex', '0');
      } else {
        wrap.removeAttribute('tabindex');
      }
    });
    return el('figure', { class: 'lp-figure', id: 'lp-' + name },
      el('figcaption', {}, el('span', { class: 'lp-figure-title' }, title), el('span', { id: 'lp-' + name + '-summary', class: 'lp-summary' }), toggle),
      el('div', { class: 'lp-chart', id: 'lp-' + name + '-chart' }),
      el('div', { class: 'lp-legend-wrap', id: 'lp-' + name + '-legend' }),
      el('div', { class: 'table-wrap visually-hidden', id: tableId, role: 'region', 'aria-label': title + ' as a table' }));
  }

  function chooseRange(key) {
    view.range = key;
    try {
      localStorage.setItem(RANGE_KEY, key);
    } catch (blocked) {
      // not remembered where storage is blocked
    }
    document.querySelectorAll('#lock-page .lp-ranges button').forEach((button) => {
      button.setAttribute('aria-pressed', String(button.dataset.range === key));
    });
    $('#lp-range-text').textContent = 'Loading the last ' + RANGES[key].label + '…';
    loadHistory();
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

  // ---- drawing: the history

  function chartWidth() {
    const chart = $('#lp-timeline-chart');
    return chart ? Math.floor(chart.clientWidth) : 0;
  }

  function drawHistory() {
    const section = root();
    const history = view.history;
    const width = chartWidth();
    view.width = width;
    $('#lp-range-text').textContent = view.historyProblem || (!history ? 'Loading…'
      : 'From ' + when(history.from) + ' to ' + when(history.to) + (history.truncated ? ' (only the newest 50,000 events: the range starts later than asked)' : '') + '.');
    for (const name of ['timeline', 'battery', 'door']) {
      ['chart', 'legend', 'table', 'summary'].forEach((part) => { $('#lp-' + name + '-' + part).textContent = ''; });
    }
    $('#lp-events').textContent = '';
    $('#lp-events-note').textContent = '';
    if (!history || !width) {
      return;
    }
    const started = performance.now();
    drawTimeline(history, width);
    drawBattery(history, width);
    drawDoor(history, width);
    drawEvents(history);
    view.draws += 1;
    section.dataset.range = history.range;
    section.dataset.historyFrom = history.from;
    section.dataset.historyTo = history.to;
    section.dataset.draws = String(view.draws); // tests wait for a new drawing
    section.dataset.drawMs = String(Math.round(performance.now() - started)); // a figure for the benchmark notes
  }

  function drawTimeline(history, width) {
    const states = history.states;
    if (!states.length) {
      $('#lp-timeline-summary').textContent = 'Nothing known in this range.';
      return;
    }
    const drawn = charts.timeline({ states, from: history.from, to: history.to, width });
    const time = charts.shares(states);
    const total = [...time.values()].reduce((sum, ms) => sum + ms, 0) || 1;
    const parts = charts.KIND_ORDER.filter((kind) => time.has(kind))
      .map((kind) => charts.KIND_NAMES[kind] + ' ' + percent(time.get(kind) / total));
    const summary = states.length + (states.length === 1 ? ' period: ' : ' periods: ') + parts.join(', ') + '.';
    drawn.svg.setAttribute('aria-label', 'Timeline of states, ' + when(history.from) + ' to ' + when(history.to) + '. ' + summary);
    drawn.svg.id = 'lp-timeline-svg';
    // The intervals' times parsed once per drawing, not on every pointer move (30 d of a busy lock: 90,000 of them).
    const times = { from: Date.parse(history.from), to: Date.parse(history.to),
      starts: Float64Array.from(states, (interval) => Date.parse(interval.from)),
      ends: Float64Array.from(states, (interval) => Date.parse(interval.to)) };
    let pending = null;
    drawn.svg.addEventListener('pointermove', (event) => {
      if (pending === null) {
        const x = event.clientX;
        pending = requestAnimationFrame(() => {
          pending = null;
          readout(x, drawn.svg, states, times);
        });
      }
    });
    drawn.svg.addEventListener('pointerleave', () => {
      cancelAnimationFrame(pending);
      pending = null;
      $('#lp-timeline-readout').textContent = '';
    });
    $('#lp-timeline-chart').append(drawn.svg, el('p', { id: 'lp-timeline-readout', class: 'lp-readout', 'aria-hidden': 'true' }));
    $('#lp-timeline-summary').textContent = summary;
    const legend = el('ul', { class: 'lp-legend', 'aria-label': 'Legend' });
    const kinds = charts.KIND_ORDER.filter((kind) => time.has(kind) || (kind === 'dense' && drawn.dense));
    kinds.forEach((kind) => legend.append(el('li', {}, charts.swatch(kind), charts.KIND_NAMES[kind])));
    $('#lp-timeline-legend').append(legend);
    const newest = states.slice(-TABLE_ROWS);
    $('#lp-timeline-table').append(table(
      'States' + (newest.length < states.length ? ' (the newest ' + newest.length + ' of ' + states.length + ')' : ''),
      ['State', 'From', 'To', 'For', 'Source'],
      newest.map((interval) => [interval.connected === false ? 'Disconnected' : interval.state ? words(interval.state) : 'Position unknown',
        when(interval.from), when(interval.to), duration(Date.parse(interval.to) - Date.parse(interval.from)), words(interval.source || '')])));
  }

  /** Under the pointer: which interval, from when to when. */
  function readout(x, svg, states, times) {
    const line = $('#lp-timeline-readout');
    if (!line || !svg.isConnected) {
      return;
    }
    const box = svg.getBoundingClientRect();
    const at = times.from + (x - box.left) / box.width * (times.to - times.from);
    // The last interval starting at or before `at` (they are in order and do not overlap).
    let low = 0;
    let high = times.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (times.starts[middle] <= at) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    const interval = found >= 0 && at < times.ends[found] ? states[found] : null;
    line.textContent = interval ? (interval.connected === false ? 'Disconnected' : words(interval.state || 'POSITION_UNKNOWN'))
      + ': ' + when(interval.from) + ' – ' + when(interval.to) : '';
  }

  function drawBattery(history, width) {
    const readings = history.battery || [];
    const config = board().config ? board().config() : null;
    const svg = charts.battery({ readings, from: history.from, to: history.to, width, lowBelow: config && config.lowBatteryBelow });
    if (!svg) {
      $('#lp-battery-summary').textContent = 'No battery reading in this range.';
      return;
    }
    const levels = readings.map((reading) => reading.level);
    const summary = 'From ' + levels[0] + ' % to ' + levels[levels.length - 1] + ' %, lowest ' + Math.min(...levels) + ' %, '
      + readings.length + (readings.length === 1 ? ' reading.' : ' readings.');
    svg.id = 'lp-battery-svg';
    svg.setAttribute('aria-label', 'Battery level, ' + when(history.from) + ' to ' + when(history.to) + '. ' + summary);
    $('#lp-battery-chart').append(svg);
    $('#lp-battery-summary').textContent = summary;
    $('#lp-battery-table').append(table('Battery readings', ['At', 'Level'],
      readings.slice(-TABLE_ROWS).map((reading) => [when(reading.at), reading.level + ' %'])));
  }

  function drawDoor(history, width) {
    const readings = history.door || [];
    const openings = charts.openings(readings, history.from);
    $('#lp-door-summary').textContent = openings.length + (openings.length === 1 ? ' opening' : ' openings') + ' in this range'
      + (readings.length ? '.' : ' (no door sensor reading).');
    $('#lp-door-summary').dataset.count = String(openings.length);
    const svg = charts.doors({ readings, from: history.from, to: history.to, width });
    if (svg) {
      svg.id = 'lp-door-svg';
      svg.setAttribute('aria-label', 'Door, ' + when(history.from) + ' to ' + when(history.to) + ': ' + $('#lp-door-summary').textContent);
      $('#lp-door-chart').append(svg);
    }
    const list = el('ol', { id: 'lp-door-list', class: 'lp-door-list' });
    openings.slice().reverse().forEach((opening) => {
      const index = readings.indexOf(opening);
      const closed = readings.slice(index + 1).find((reading) => reading.state !== 'OPENED');
      list.append(el('li', { 'data-at': opening.at }, el('time', { datetime: opening.at }, when(opening.at)),
        closed ? ' · open for ' + duration(Date.parse(closed.at) - Date.parse(opening.at)) : ' · still open'));
    });
    $('#lp-door-legend').append(list);
    $('#lp-door-table').append(table('Door readings', ['At', 'Door'], readings.slice(-TABLE_ROWS).map((reading) => [when(reading.at), words(reading.state)])));
  }

  function drawEvents(history) {
    const events = history.events || [];
    const list = $('#lp-events');
    events.slice().reverse().forEach((event) => {
      list.append(el('li', { class: 'event', 'data-event-id': String(event.id || ''), 'data-type': event.type || '' },
        el('time', { datetime: event.occurredAt || '' }, event.occurredAt ? when(event.occurredAt) : ''),
        el('span', { class: 'event-what' }, describe(event)),
        el('span', { class: 'source' }, words(event.source || ''))));
    });
    $('#lp-events-note').textContent = !events.length ? 'No events in this range.'
      : events.length >= 100 ? 'The newest 100 events of the range.' : '';
  }

  function describe(event) {
    const state = (name) => (name ? words(name) : 'unknown');
    switch (event.type) {
      case 'Added': return 'Added' + (event.lock && event.lock.state ? ' (' + words(event.lock.state) + ')' : '');
      case 'Removed': return 'Removed from the account';
      case 'IdChanged': return 'Re-added (new id ' + event.lockId + ')';
      case 'StateChanged': return (event.from ? state(event.from) + ' → ' : '') + state(event.to);
      case 'DoorStateChanged': return 'Door ' + (event.from ? state(event.from) + ' → ' : '') + state(event.to);
      case 'ConnectionChanged': return event.connected ? 'Connected' : 'Disconnected';
      case 'BatteryChanged': return 'Battery ' + (event.from !== null && event.from !== undefined ? event.from + ' % → ' : '') + event.to + ' %';
      case 'ChargingChanged': return event.charging ? 'Started charging' : 'Stopped charging';
      case 'SettingsChanged': return event.previousName && event.previousName !== event.name ? 'Renamed from ' + event.previousName : 'Settings changed';
      case 'BellPressed': return 'Bell pressed';
      default: return words(event.type || 'event');
    }
  }

  // ---- small helpers

  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) {
        element.setAttribute(name, value);
      }
    }
    children.forEach((child) => child !== null && child !== undefined && child !== '' && element.append(child));
    return element;
  }

  function fact(term, value, field) {
    return el('div', {}, el('dt', {}, term), el('dd', { 'data-field': field }, value));
  }

  function table(caption, headers, rows) {
    return el('table', { class: 'lp-table' }, el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
      el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((cell) => el('td', {}, String(cell)))))));
  }

  function words(constant) {
    if (board().words) return board().words(constant);
    const special = { SEMI_LOCKED: 'Semi-locked', NOT_PAIRED: 'No sensor', POSITION_UNKNOWN: 'Position unknown' };
    if (special[constant]) return special[constant];
    const text = String(constant).replace(/_/g, ' ').toLowerCase();
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** "1 Dec, 14:03:07" in the browser's time zone. */
  function when(iso) {
    return new Date(iso).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  function timeText(iso) {
    const elapsed = Math.max(0, Date.now() - Date.parse(iso));
    return el('time', { datetime: iso, title: new Date(iso).toLocaleString() }, when(iso) + ' (' + (elapsed < 10000 ? 'just now' : duration(elapsed) + ' ago') + ')');
  }

  /** "12 %", never "0 %" for something that was there, nor "100 %" for what was not all. */
  function percent(share) {
    const rounded = Math.round(share * 100);
    return (share > 0 && rounded === 0 ? '< 1' : share < 1 && rounded === 100 ? '> 99' : String(rounded)) + ' %';
  }

  /** 45 s, 12 min, 3 h 20 min, 2 d 4 h. */
  function duration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60) return seconds + ' s';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' min';
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
    return Math.floor(hours / 24) + ' d' + (hours % 24 ? ' ' + (hours % 24) + ' h' : '');
  }

  window.tedeeLockPage = { show, hide };
})();
