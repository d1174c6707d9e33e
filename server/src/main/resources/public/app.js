// The tedee-sync dashboard: plain DOM, no framework, no build step, nothing loaded from elsewhere.
//
// How it stays current: it draws from GET /api/config, /health and /api/locks, then follows
// /api/events/stream. Each lock event makes it fetch that one lock again (the server's view knows
// "stale", "last known" and the like, so the page never re-implements the merge rules); account
// events and a slow timer refresh /health. When the stream drops, the browser reconnects with
// Last-Event-ID and the server replays what was missed.
//
// With the accounts API on (an admin token), #accounts shows the accounts view: a table from
// /api/accounts, refreshed every 10 s while it is open, "Connect an account" (sign in with Tedee through
// /oauth/start) and "Remove". It asks for the admin token itself and keeps it apart from the API token.
'use strict';

(() => {
  const TOKEN_KEY = 'tedee-sync.api-token';
  const EVENTS_SHOWN = 50;
  const TICK_MS = 5000;
  const HEALTH_EVERY_TICKS = 2;   // 10 s: requests used, last sync
  const LOCKS_EVERY_TICKS = 6;    // 30 s: a copy turns stale without any event saying so
  const OUTCOME_SHOWN_MS = 30000;

  const page = {
    token: sessionStorage.getItem(TOKEN_KEY),
    config: null,
    accounts: [],            // from /health
    locks: new Map(),        // serial number -> the API's lock view
    pending: new Map(),      // serial number -> operation in flight
    outcomes: new Map(),     // serial number -> {text, kind, timer}
    refreshing: new Map(),   // serial number -> 'running' | 'again'
    lastEventId: 0,          // the newest event shown
    liveFrom: 0,             // events up to this id are already reflected in the locks drawn
    stream: null,
    streamDown: false,
    retryTimer: null,
    retryDelay: 1000,
    ticks: 0,
    ticker: null,
    healthTimer: null,
  };

  const $ = (selector, root = document) => root.querySelector(selector);

  // ---- talking to the service

  class Unauthorized extends Error {}

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json' };
    if (page.token) {
      headers.Authorization = 'Bearer ' + page.token;
    }
    const response = await fetch(path, { ...options, headers, cache: 'no-store' });
    if (response.status === 401) {
      throw new Unauthorized();
    }
    let body = null;
    try {
      body = await response.json();
    } catch (notJson) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body };
  }

  async function start() {
    stopStream();
    try {
      const config = await api('/api/config');
      if (!config.ok) {
        throw new Error(message(config));
      }
      page.config = config.body;
      const [health, locks] = await Promise.all([api('/health'), api('/api/locks')]);
      if (!locks.ok) {
        throw new Error(message(locks));
      }
      if (page.token) {
        sessionStorage.setItem(TOKEN_KEY, page.token);
      }
      page.accounts = (health.body && health.body.accounts) || [];
      page.locks = new Map(locks.body.map((lock) => [lock.serialNumber, lock]));
      page.liveFrom = page.config.lastEventId;
      page.lastEventId = Math.max(0, page.config.lastEventId - EVENTS_SHOWN);
      $('#event-list').textContent = '';
      showProblem(null);
      $('#token').hidden = true;
      showView(false);
      $('#forget-token-wrap').hidden = !page.token;
      drawAll();
      drawEventsEmpty();
      openStream(page.lastEventId);
      startTicker();
    } catch (error) {
      handleFailure(error, start);
    }
  }

  function handleFailure(error, retry) {
    if (error instanceof Unauthorized) {
      const refused = Boolean(page.token);
      page.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(refused ? 'That token was refused. Check it and try again.' : null);
      return;
    }
    showProblem('Cannot reach tedee-sync (' + error.message + '). Trying again…');
    clearTimeout(page.retryTimer);
    page.retryTimer = setTimeout(retry, 5000);
  }

  function message(response) {
    return (response.body && response.body.message) || 'HTTP ' + response.status;
  }

  // ---- the API token

  function askForToken(error) {
    stopStream();
    stopTicker();
    closeAccounts();
    $('#dashboard').hidden = true;
    $('#accounts').hidden = true;
    $('#views').hidden = true;
    $('#token').hidden = false;
    setConnection('offline', 'Not signed in');
    const text = $('#token-error');
    text.textContent = error || '';
    text.hidden = !error;
    const input = $('#token-input');
    input.value = '';
    input.focus();
  }

  $('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('#token-input').value.trim();
    if (token) {
      page.token = token;
      start();
    }
  });

  $('#forget-token').addEventListener('click', () => {
    page.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken(null);
  });

  // ---- the event stream

  function openStream(after) {
    stopStream();
    const query = new URLSearchParams({ after: String(after) });
    if (page.token) {
      query.set('access_token', page.token);
    }
    const stream = new EventSource('/api/events/stream?' + query);
    page.stream = stream;
    stream.onopen = () => {
      page.retryDelay = 1000;
      setConnection('live', 'Live');
      if (page.streamDown) {
        // The stream replays the missed events (Last-Event-ID); this also catches what no event says,
        // such as a copy that turned stale meanwhile.
        page.streamDown = false;
        refreshLocks();
        refreshHealth();
      }
    };
    stream.onmessage = receive;
    stream.onerror = () => {
      page.streamDown = true;
      setConnection('reconnecting', 'Reconnecting…');
      if (stream.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status rather than a dropped connection): retry ourselves,
        // from the last event shown, after checking that the token is still good.
        stream.close();
        clearTimeout(page.retryTimer);
        page.retryTimer = setTimeout(reopenStream, page.retryDelay);
        page.retryDelay = Math.min(page.retryDelay * 2, 30000);
      }
    };
  }

  async function reopenStream() {
    try {
      await api('/api/config');
      openStream(page.lastEventId);
    } catch (error) {
      if (error instanceof Unauthorized) {
        handleFailure(error);
        return;
      }
      // Still unreachable: the notice keeps saying "Reconnecting…"; try again a little later.
      page.retryTimer = setTimeout(reopenStream, page.retryDelay);
      page.retryDelay = Math.min(page.retryDelay * 2, 30000);
    }
  }

  function stopStream() {
    clearTimeout(page.retryTimer);
    if (page.stream) {
      page.stream.close();
      page.stream = null;
    }
  }

  function receive(message) {
    const id = Number(message.lastEventId);
    if (id && id <= page.lastEventId) {
      return;
    }
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (malformed) {
      return;
    }
    if (id) {
      page.lastEventId = id;
    }
    addEventRow(event, id);
    if (id > page.liveFrom) {
      if (event.serialNumber) {
        refreshLock(event.serialNumber);
      }
      scheduleHealth();
      scheduleAccounts();
    }
  }

  function setConnection(kind, text) {
    const notice = $('#connection');
    notice.dataset.connection = kind;
    notice.textContent = '';
    notice.append(icon(kind === 'live' ? 'live' : kind === 'reconnecting' ? 'moving' : 'unknown'), text);
  }

  // ---- refreshing

  async function refreshLock(serial) {
    if (page.refreshing.has(serial)) {
      page.refreshing.set(serial, 'again');
      return;
    }
    try {
      do {
        page.refreshing.set(serial, 'running');
        const response = await api('/api/locks/' + encodeURIComponent(serial));
        if (response.status === 404) {
          page.locks.delete(serial);
          drawLock(serial);
        } else if (response.ok) {
          upsert(response.body);
        }
      } while (page.refreshing.get(serial) === 'again');
    } catch (error) {
      if (error instanceof Unauthorized) {
        handleFailure(error);
      }
    } finally {
      page.refreshing.delete(serial);
    }
  }

  async function refreshLocks() {
    try {
      const response = await api('/api/locks');
      if (!response.ok) {
        return;
      }
      const seen = new Set();
      for (const lock of response.body) {
        seen.add(lock.serialNumber);
        page.locks.set(lock.serialNumber, lock);
      }
      for (const serial of [...page.locks.keys()]) {
        if (!seen.has(serial)) {
          page.locks.delete(serial);
        }
      }
      drawAll();
    } catch (error) {
      if (error instanceof Unauthorized) {
        handleFailure(error);
      }
    }
  }

  async function refreshHealth() {
    try {
      const response = await api('/health');
      if (response.body && response.body.accounts) {
        page.accounts = response.body.accounts;
        page.accounts.forEach(drawAccountHead);
      }
    } catch (ignored) {
      // the stream notice already says when the service is away
    }
  }

  function scheduleHealth() {
    clearTimeout(page.healthTimer);
    page.healthTimer = setTimeout(refreshHealth, 500);
  }

  function upsert(lock) {
    const before = page.locks.get(lock.serialNumber);
    page.locks.set(lock.serialNumber, lock);
    if (before && before.name !== lock.name) {
      drawAll();
    } else {
      drawLock(lock.serialNumber);
    }
  }

  function startTicker() {
    stopTicker();
    page.ticker = setInterval(() => {
      page.ticks += 1;
      updateTimes(document);
      if (document.hidden) {
        return;
      }
      if (page.ticks % HEALTH_EVERY_TICKS === 0) {
        refreshHealth();
      }
      if (page.ticks % LOCKS_EVERY_TICKS === 0) {
        refreshLocks();
      }
    }, TICK_MS);
  }

  function stopTicker() {
    clearInterval(page.ticker);
  }

  // ---- operations

  const OPERATIONS = {
    lock: { label: 'Lock', doing: 'Locking…', done: 'Locked' },
    unlock: { label: 'Unlock', doing: 'Unlocking…', done: 'Unlocked' },
    pull: { label: 'Pull', doing: 'Pulling…', done: 'Pulled' },
  };

  /** The operations that make sense now: never on a lock whose position is unknown. */
  function validOperations(lock) {
    if (!lock.isConnected) {
      return [];
    }
    switch (lock.state) {
      case 'UNLOCKED': return ['lock', 'pull'];
      case 'SEMI_LOCKED': return ['lock', 'unlock'];
      case 'LOCKED': return ['unlock'];
      default: return [];
    }
  }

  async function operate(serial, operation) {
    if (page.pending.has(serial)) {
      return;
    }
    const hadFocus = document.activeElement && document.activeElement.closest('.lock');
    page.pending.set(serial, operation);
    setOutcome(serial, OPERATIONS[operation].doing, 'busy');
    let outcome;
    try {
      const response = await api('/api/locks/' + encodeURIComponent(serial) + '/operations/' + operation, { method: 'POST' });
      if (response.body && response.body.lock) {
        page.locks.set(serial, response.body.lock);
      }
      outcome = describeOutcome(operation, response);
      if (response.status === 403) {
        page.config.operationsAllowed = false;
      }
    } catch (error) {
      if (error instanceof Unauthorized) {
        page.pending.delete(serial);
        handleFailure(error);
        return;
      }
      outcome = { text: OPERATIONS[operation].label + ' failed: the service did not answer.', kind: 'error' };
    }
    page.pending.delete(serial);
    setOutcome(serial, outcome.text, outcome.kind);
    if (!page.config.operationsAllowed) {
      drawAll();
    }
    if (hadFocus && (!document.activeElement || document.activeElement === document.body)) {
      const card = lockElement(serial);
      const target = card && (card.querySelector('.actions button') || card);
      if (target) {
        target.focus();
      }
    }
  }

  function describeOutcome(operation, response) {
    const names = OPERATIONS[operation];
    switch (response.status) {
      case 200: return { text: names.done + '.', kind: 'ok' };
      case 202: return { text: names.doing + ' still running; this card updates when it ends.', kind: 'busy' };
      case 409: return { text: names.label + ' refused by the lock' + detail(response), kind: 'error' };
      case 403: return { text: 'Operations are disabled on this service.', kind: 'error' };
      case 404: return { text: 'This lock is no longer on the account.', kind: 'error' };
      default: return { text: names.label + ' failed' + detail(response), kind: 'error' };
    }
  }

  function detail(response) {
    const text = response.body && response.body.message;
    return text ? ': ' + text : '.';
  }

  function setOutcome(serial, text, kind) {
    const previous = page.outcomes.get(serial);
    if (previous) {
      clearTimeout(previous.timer);
    }
    const timer = kind === 'busy' ? null : setTimeout(() => {
      page.outcomes.delete(serial);
      drawLock(serial);
    }, OUTCOME_SHOWN_MS);
    page.outcomes.set(serial, { text, kind, timer });
    drawLock(serial);
  }

  // ---- drawing: accounts and locks

  function accountOf(lock) {
    return lock.account || (page.accounts[0] && page.accounts[0].name) || '';
  }

  function accountNames() {
    const names = page.accounts.map((account) => account.name);
    for (const lock of page.locks.values()) {
      if (!names.includes(accountOf(lock))) {
        names.push(accountOf(lock));
      }
    }
    return names.sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
  }

  function byName(a, b) {
    return a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true })
      || a.serialNumber.localeCompare(b.serialNumber);
  }

  function drawAll() {
    const focus = rememberFocus(document);
    const root = $('#locks');
    root.textContent = '';
    for (const name of accountNames()) {
      const section = accountSection(name);
      root.append(section);
      drawAccountHead(page.accounts.find((account) => account.name === name) || { name });
      const list = $('.lock-list', section);
      const locks = [...page.locks.values()].filter((lock) => accountOf(lock) === name).sort(byName);
      locks.forEach((lock) => list.append(lockCard(lock)));
      $('.no-locks', section).hidden = locks.length > 0;
    }
    restoreFocus(focus);
  }

  function accountSection(name) {
    const id = 'account-' + slug(name);
    return el('section', { class: 'account', 'data-account': name, 'aria-labelledby': id },
      el('header', { class: 'account-head' }),
      el('ul', { class: 'lock-list', role: 'list' }),
      el('p', { class: 'no-locks muted' }, 'No locks on this account.'));
  }

  function accountElement(name) {
    return [...document.querySelectorAll('section.account')].find((section) => section.dataset.account === name);
  }

  function drawAccountHead(account) {
    const section = accountElement(account.name);
    if (!section) {
      return;
    }
    const status = account.status || 'unknown';
    const head = el('header', { class: 'account-head' },
      el('div', { class: 'account-title' },
        el('h2', { id: 'account-' + slug(account.name) }, account.name || 'Account'),
        el('span', { class: 'health', 'data-health': status },
          icon(status === 'ok' ? 'ok' : status === 'failed' ? 'failed' : 'warning'),
          { ok: 'Healthy', degraded: 'Degraded', failed: 'Failed' }[status] || 'Unknown')));
    if (account.reason && status !== 'ok') {
      head.append(el('p', { class: 'reason', 'data-health': status }, account.reason));
    }
    if (account.mode) {
      const used = account.requestsLastHour || 0;
      const limit = account.hourlyLimit || 700;
      const bar = el('span', { class: 'bar', role: 'presentation' }, el('span', { class: 'fill' }));
      const share = Math.min(1, used / limit);
      bar.firstChild.style.width = (share * 100).toFixed(1) + '%';
      bar.dataset.level = share >= 0.9 ? 'high' : share >= 0.6 ? 'mid' : 'low';
      const facts = el('dl', { class: 'account-facts' },
        fact('Mode', account.mode === 'webhooks'
          ? 'Webhooks, sync every ' + seconds(account.syncIntervalSeconds)
          : 'Polling every ' + seconds(account.syncIntervalSeconds)),
        fact('Requests, last hour', el('span', { class: 'budget' },
          el('span', { 'data-field': 'requests' }, used + ' / ' + limit), bar)),
        fact('Last sync', account.lastSuccessAt ? timeAgo(account.lastSuccessAt) : 'never'),
        fact('Locks', String(account.locks)));
      head.append(facts);
      const notes = [];
      if (account.budgetLimited) {
        notes.push('Holding calls back to stay inside the hourly budget.');
      }
      if (account.blockedUntil && Date.parse(account.blockedUntil) > Date.now()) {
        notes.push('No calls to Tedee until ' + clock(account.blockedUntil) + '.');
      }
      if (notes.length) {
        head.append(el('p', { class: 'note' }, notes.join(' ')));
      }
    }
    section.replaceChild(head, $('.account-head', section));
  }

  function lockElement(serial) {
    return [...document.querySelectorAll('li.lock')].find((card) => card.dataset.serial === serial);
  }

  /** Redraws one lock's card in place, or moves, adds or removes it. */
  function drawLock(serial) {
    const lock = page.locks.get(serial);
    const old = lockElement(serial);
    if (!lock) {
      if (old) {
        const section = old.closest('section.account');
        old.remove();
        $('.no-locks', section).hidden = $('.lock-list', section).children.length > 0;
      }
      return;
    }
    const section = accountElement(accountOf(lock));
    if (!section) {
      drawAll();
      return;
    }
    const focus = rememberFocus(old);
    const card = lockCard(lock);
    const list = $('.lock-list', section);
    if (old && old.parentElement === list) {
      list.replaceChild(card, old);
    } else {
      if (old) {
        old.remove();
      }
      const next = [...list.children].find((other) => byName(page.locks.get(other.dataset.serial) || lock, lock) > 0);
      list.insertBefore(card, next || null);
      $('.no-locks', section).hidden = true;
    }
    restoreFocus(focus);
  }

  /** What the card says the lock is: one of six looks, never "locked" or "unlocked" for an offline lock. */
  function look(lock) {
    if (!lock.isConnected) {
      return { kind: 'disconnected', label: 'Disconnected' };
    }
    switch (lock.state) {
      case 'LOCKED': return { kind: 'locked', label: 'Locked' };
      case 'UNLOCKED': return { kind: 'unlocked', label: 'Unlocked' };
      case 'PULLED': return { kind: 'unlocked', label: 'Pulled (unlocked)' };
      case 'SEMI_LOCKED': return { kind: 'semi-locked', label: 'Semi-locked' };
      case 'LOCKING': return { kind: 'moving', label: 'Locking…' };
      case 'UNLOCKING': return { kind: 'moving', label: 'Unlocking…' };
      case 'PULLING': return { kind: 'moving', label: 'Pulling…' };
      case 'UNCALIBRATED': return { kind: 'unknown', label: 'Uncalibrated' };
      case 'CALIBRATING': return { kind: 'unknown', label: 'Calibrating' };
      case 'UPDATING': return { kind: 'unknown', label: 'Updating' };
      case undefined:
      case null: return { kind: 'unknown', label: 'Position unknown' };
      default: return { kind: 'unknown', label: 'Unknown' + (lock.stateCode !== undefined && lock.stateCode !== 9 ? ' (code ' + lock.stateCode + ')' : '') };
    }
  }

  function lockCard(lock) {
    const shown = look(lock);
    const nameId = 'lock-' + slug(lock.serialNumber);
    const title = el('div', { class: 'lock-title' },
      el('h3', { class: 'lock-name', id: nameId }, lock.name || lock.serialNumber),
      el('p', { class: 'state-label' }, shown.label));
    const head = el('div', { class: 'lock-head' },
      el('span', { class: 'state-icon' }, icon(shown.kind)), title);
    if (lock.stale) {
      head.append(el('span', {
        class: 'badge stale',
        title: 'Not confirmed by Tedee for longer than the staleness threshold'
          + (lock.syncedAt ? '; last confirmed ' + ago(lock.syncedAt) : '') + '. Shown as last known.',
      }, icon('clock'), 'Stale'));
    }
    const card = el('li', {
      class: 'lock', 'data-serial': lock.serialNumber, 'data-state': shown.kind, tabindex: '-1', 'aria-labelledby': nameId,
    }, head, el('p', { class: 'serial' }, lock.serialNumber + (lock.type ? ' · ' + typeName(lock.type) : '')));
    if (!lock.isConnected && lock.lastKnownState) {
      card.append(el('p', { class: 'last-known' }, 'Last known position: ' + words(lock.lastKnownState)
        + '. Not current while the lock is offline.'));
    }
    const facts = el('dl', { class: 'facts' });
    if (lock.doorState && lock.doorState !== 'NOT_PAIRED') {
      facts.append(fact('Door', el('span', { 'data-field': 'door' }, icon(lock.doorState === 'OPENED' ? 'door-open' : 'door'), words(lock.doorState))));
    }
    if (lock.batteryLevel !== undefined && lock.batteryLevel !== null) {
      const low = lock.batteryLevel <= 15;
      facts.append(fact('Battery', el('span', { 'data-field': 'battery', class: low ? 'low' : '' },
        battery(lock.batteryLevel), lock.batteryLevel + ' %' + (low ? ' (low)' : ''),
        lock.isCharging ? el('span', { class: 'charging' }, icon('bolt'), 'charging') : '')));
    }
    facts.append(fact('Connection', el('span', { 'data-field': 'connection' },
      icon(lock.isConnected ? 'online' : 'disconnected'), lock.isConnected ? 'Online' : 'Offline')));
    if (lock.lastStateChangedDate) {
      facts.append(fact('Changed', timeAgo(lock.lastStateChangedDate)));
    }
    card.append(facts);
    const actions = actionsFor(lock);
    if (actions) {
      card.append(actions);
    }
    return card;
  }

  function actionsFor(lock) {
    const outcome = page.outcomes.get(lock.serialNumber);
    const allowed = page.config && page.config.operationsAllowed;
    const pending = page.pending.get(lock.serialNumber);
    const operations = allowed ? validOperations(lock) : [];
    if (allowed && pending && !operations.includes(pending)) {
      operations.push(pending);
    }
    if (!operations.length && !outcome) {
      return null;
    }
    const box = el('div', { class: 'actions' });
    for (const operation of operations) {
      const button = el('button', {
        type: 'button', class: 'op', 'data-op': operation, 'aria-describedby': 'lock-' + slug(lock.serialNumber),
      }, icon(operation === 'lock' ? 'locked' : operation === 'unlock' ? 'unlocked' : 'pull'), OPERATIONS[operation].label);
      button.disabled = Boolean(pending);
      button.addEventListener('click', () => operate(lock.serialNumber, operation));
      box.append(button);
    }
    if (outcome) {
      box.append(el('p', { class: 'outcome', 'data-kind': outcome.kind, role: 'status' },
        icon(outcome.kind === 'ok' ? 'ok' : outcome.kind === 'busy' ? 'moving' : 'failed'), outcome.text));
    }
    return box;
  }

  // ---- drawing: events

  function addEventRow(event, id) {
    const list = $('#event-list');
    const row = el('li', { class: 'event', 'data-event-id': String(id || ''), 'data-type': event.type || '' },
      el('time', { datetime: event.occurredAt || '' }, event.occurredAt ? clock(event.occurredAt) : ''),
      el('span', { class: 'event-what' }, el('strong', {}, subject(event)), ' ', describe(event)),
      el('span', { class: 'source' }, words(event.source || '')));
    if (event.serialNumber) {
      row.dataset.serial = event.serialNumber;
    }
    list.prepend(row);
    while (list.children.length > EVENTS_SHOWN) {
      list.lastElementChild.remove();
    }
    drawEventsEmpty();
  }

  function drawEventsEmpty() {
    $('#events-empty').hidden = $('#event-list').children.length > 0;
  }

  function subject(event) {
    if (!event.serialNumber) {
      return 'Account ' + (event.account || '');
    }
    const lock = page.locks.get(event.serialNumber);
    return (lock && lock.name) || (event.lock && event.lock.name) || event.serialNumber;
  }

  function describe(event) {
    const state = (name) => (name ? words(name) : 'unknown');
    switch (event.type) {
      case 'Added': return 'added' + (!event.lock ? '' : event.lock.isConnected === false ? ' (disconnected)'
        : event.lock.state ? ' (' + words(event.lock.state) + ')' : '');
      case 'Removed': return 'removed from the account';
      case 'IdChanged': return 're-added (new id ' + event.lockId + ')';
      case 'StateChanged': return (event.from ? state(event.from) + ' → ' : '') + state(event.to);
      case 'DoorStateChanged': return 'door ' + (event.from ? state(event.from) + ' → ' : '') + state(event.to);
      case 'ConnectionChanged': return event.connected ? 'connected' : 'disconnected';
      case 'BatteryChanged': return 'battery ' + (event.from !== null && event.from !== undefined ? event.from + ' % → ' : '') + event.to + ' %';
      case 'ChargingChanged': return event.charging ? 'started charging' : 'stopped charging';
      case 'SettingsChanged': return event.previousName && event.previousName !== event.name
        ? 'renamed from ' + event.previousName : 'settings changed';
      case 'BellPressed': return 'bell pressed';
      case 'AccountDegraded': return 'degraded: ' + (event.reason || 'no reason given');
      case 'AccountRecovered': return 'recovered';
      case 'AccountFailed': return 'failed: ' + (event.reason || 'no reason given');
      default: return words(event.type || 'event');
    }
  }

  // ---- views: the locks (the default) and, with the accounts API, the accounts (#accounts)

  function viewWanted() {
    return location.hash === '#accounts' && page.config && page.config.accountsApi ? 'accounts' : 'locks';
  }

  /** Shows the view the URL's fragment names; moveFocus when the user switched views (not on load). */
  function showView(moveFocus) {
    const view = viewWanted();
    $('#views').hidden = !(page.config && page.config.accountsApi);
    $('#dashboard').hidden = view !== 'locks';
    $('#accounts').hidden = view !== 'accounts';
    for (const tab of document.querySelectorAll('#views a')) {
      if (tab.id === 'tab-' + view) {
        tab.setAttribute('aria-current', 'page');
      } else {
        tab.removeAttribute('aria-current');
      }
    }
    const skip = $('.skip');
    skip.setAttribute('href', '#' + view);
    skip.textContent = view === 'accounts' ? 'Skip to accounts' : 'Skip to locks';
    if (view === 'accounts') {
      openAccounts(moveFocus);
      return;
    }
    closeAccounts();
    if (moveFocus) {
      // Accounts may have come or gone meanwhile; the stream says nothing of an account removed.
      refreshLocksView();
      $('#locks').focus({ preventScroll: true });
    }
  }

  window.addEventListener('hashchange', () => {
    if (page.config && $('#token').hidden) {
      showView(true);
    }
  });

  // ---- the accounts view
  //
  // It talks to /api/accounts and /oauth/start with the admin token, which is asked for here and kept
  // apart from the API token (in its own sessionStorage key, never in a URL). The list is redrawn row by
  // row, a row only when its account changed, so a refresh neither flickers nor takes the focus away.

  const ADMIN_TOKEN_KEY = 'tedee-sync.admin-token';
  const ACCOUNTS_EVERY_MS = 10000;
  // As the server checks it (AccountNames): it shows up in URLs, logs, metrics and topics.
  const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
  const ACCOUNT_NAME_RULE = "An account name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.";

  const admin = {
    token: sessionStorage.getItem(ADMIN_TOKEN_KEY),
    accounts: null,            // the last list the service gave, or null before the first
    request: 0,                // the newest list request; older answers are dropped
    timer: null,
    soon: null,                // a refresh asked for by the event stream
    trouble: false,            // the status line says that a refresh failed
    removing: null,            // the account the remove dialog is about
    rows: new WeakMap(),       // row -> the JSON it was drawn from
  };

  async function adminApi(path, options = {}) {
    const headers = { Accept: 'application/json', Authorization: 'Bearer ' + (admin.token || '') };
    const response = await fetch(path, { ...options, headers, cache: 'no-store' });
    let body = null;
    if (response.status !== 204) {
      try {
        body = await response.json();
      } catch (notJson) {
        body = null;
      }
    }
    return { status: response.status, ok: response.ok, body };
  }

  /** Whether the service refused the admin token; if so the view says so and asks again. */
  function refusedToken(response) {
    const code = response.body && response.body.error;
    if (response.status === 401) {
      forgetAdminToken('That admin token was refused. Check it and try again.');
      return true;
    }
    if (response.status === 403 && code === 'accounts_api_off') {
      sayTrouble(message(response));
      return true;
    }
    if (response.status === 403) {
      forgetAdminToken('That token may read the accounts but not change them. Enter the admin token.');
      return true;
    }
    return false;
  }

  function openAccounts(moveFocus) {
    drawConnect();
    if (!admin.token) {
      askForAdminToken(null);
      return;
    }
    showAccountsBody();
    loadAccounts();
    startAccountsTimer();
    if (moveFocus) {
      $('#accounts-title').focus({ preventScroll: true });
    }
  }

  function closeAccounts() {
    stopAccountsTimer();
    const dialog = $('#remove-dialog');
    if (dialog.open && !dialog.dataset.busy) {
      dialog.close();
    }
  }

  function startAccountsTimer() {
    stopAccountsTimer();
    admin.timer = setInterval(() => {
      if (!document.hidden) {
        loadAccounts();
      }
    }, ACCOUNTS_EVERY_MS);
  }

  function stopAccountsTimer() {
    clearInterval(admin.timer);
    admin.timer = null;
  }

  /** From the event stream: something happened, so health, locks or requests may have moved. At most one a second. */
  function scheduleAccounts() {
    if (!admin.timer || admin.soon) {
      return;
    }
    admin.soon = setTimeout(() => {
      admin.soon = null;
      if (admin.timer) {
        loadAccounts();
      }
    }, 1000);
  }

  function askForAdminToken(error) {
    stopAccountsTimer();
    $('#accounts-body').hidden = true;
    $('#forget-admin-token').hidden = true;
    $('#admin-token-form').hidden = false;
    const text = $('#admin-token-error');
    text.textContent = error || '';
    text.hidden = !error;
    const input = $('#admin-token-input');
    input.value = '';
    input.setAttribute('aria-invalid', error ? 'true' : 'false');
    if (!$('#accounts').hidden) {
      input.focus();
    }
  }

  function forgetAdminToken(error) {
    admin.token = null;
    sessionStorage.removeItem(ADMIN_TOKEN_KEY);
    const dialog = $('#remove-dialog');
    if (dialog.open) {
      dialog.close();
    }
    askForAdminToken(error);
  }

  function showAccountsBody() {
    $('#admin-token-form').hidden = true;
    $('#accounts-body').hidden = false;
    $('#forget-admin-token').hidden = false;
    drawAccounts();
  }

  $('#admin-token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = $('#admin-token-input').value.trim();
    if (!token) {
      return;
    }
    const submit = $('#admin-token-submit');
    submit.disabled = true;
    admin.token = token;
    try {
      const config = await adminApi('/api/config');
      if (config.ok && config.body && config.body.access === 'read') {
        forgetAdminToken('That is the API token: it can read accounts but not change them. Enter the admin token (--admin-token).');
        return;
      }
      if (await loadAccounts()) {
        sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
        showAccountsBody();
        startAccountsTimer();
        $('#accounts-title').focus({ preventScroll: true });
      }
    } finally {
      submit.disabled = false;
    }
  });

  $('#forget-admin-token').addEventListener('click', () => forgetAdminToken(null));

  /** Fetches the list and redraws it; true when the service gave it. On trouble the last list stays. */
  async function loadAccounts() {
    const mine = ++admin.request;
    let response;
    try {
      response = await adminApi('/api/accounts');
    } catch (error) {
      if (mine === admin.request) {
        sayTrouble('Cannot reach tedee-sync (' + error.message + '). The list shows what it last said; trying again.');
      }
      return false;
    }
    if (mine !== admin.request) {
      return response.ok; // a newer request draws
    }
    if (refusedToken(response)) {
      return false;
    }
    if (!response.ok || !Array.isArray(response.body)) {
      sayTrouble('Could not load the accounts: ' + message(response) + '. The list shows what it last said.');
      return false;
    }
    admin.accounts = response.body;
    if (admin.trouble) {
      say('', null);
    }
    drawAccounts();
    return true;
  }

  function accountRowElement(name) {
    return [...$('#account-rows').children].find((row) => row.dataset.account === name);
  }

  function drawAccounts() {
    const known = admin.accounts !== null;
    const accounts = [...(admin.accounts || [])]
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
    const body = $('#account-rows');
    const active = document.activeElement;
    const focusRow = active && active.closest && active.closest('#account-rows tr');
    const focus = focusRow ? { account: focusRow.dataset.account, action: active.dataset.action } : null;
    const old = new Map([...body.children].map((row) => [row.dataset.account, row]));
    accounts.forEach((account, index) => {
      const drawn = JSON.stringify(account);
      let row = old.get(account.name);
      old.delete(account.name);
      if (!row || admin.rows.get(row) !== drawn) {
        const fresh = accountRow(account);
        admin.rows.set(fresh, drawn);
        if (row) {
          row.replaceWith(fresh);
        }
        row = fresh;
      }
      if (body.children[index] !== row) {
        body.insertBefore(row, body.children[index] || null);
      }
    });
    old.forEach((row) => row.remove());
    $('#account-table-wrap').hidden = accounts.length === 0;
    const empty = $('#accounts-empty');
    empty.textContent = known ? 'No accounts yet.' : 'Loading the accounts…';
    empty.hidden = accounts.length > 0;
    if (focus && !body.contains(document.activeElement)) {
      const row = accountRowElement(focus.account);
      const target = row && focus.action && row.querySelector('[data-action="' + focus.action + '"]');
      if (target) {
        target.focus({ preventScroll: true });
      }
    }
  }

  const HEALTH_WORDS = { starting: 'Starting', ok: 'Healthy', degraded: 'Degraded', failed: 'Failed' };
  const CREDENTIAL_WORDS = { personalKey: 'Personal key', oauth: 'OAuth sign-in' };
  const SOURCE_WORDS = { api: 'API', declared: 'declared (flags or accounts file)' };

  function accountRow(account) {
    const health = account.health || 'starting';
    const nameId = 'account-row-' + slug(account.name);
    const cell = (field, ...content) => el('td', { 'data-field': field }, ...content);
    const row = el('tr', {
      'data-account': account.name, 'data-source': account.source, 'data-credentials': account.credentials, 'data-health': health,
    });
    row.append(
      el('th', { scope: 'row', id: nameId, 'data-field': 'name' }, account.name,
        account.userIdentity ? el('span', { class: 'sub' }, 'user ' + account.userIdentity) : null),
      cell('health', el('span', { class: 'health', 'data-health': health },
        icon(health === 'ok' ? 'ok' : health === 'failed' ? 'failed' : health === 'starting' ? 'moving' : 'warning'),
        HEALTH_WORDS[health] || words(health)),
        account.reason ? el('span', { class: 'reason', 'data-health': health }, account.reason) : null),
      cell('credentials', CREDENTIAL_WORDS[account.credentials] || account.credentials || '?'),
      cell('source', SOURCE_WORDS[account.source] || account.source || '?'),
      cell('mode', account.mode === 'webhooks' ? 'Webhooks' : account.mode === 'polling' ? 'Polling' : words(account.mode || '?')),
      cell('interval', interval(account)),
      cell('locks', String(account.locks ?? '?')),
      cell('requests', requests(account)),
      cell('forecast', forecast(account)),
      cell('last-sync', account.lastSuccessAt ? timeAgo(account.lastSuccessAt) : 'never'),
      cell('added', account.addedAt
        ? el('time', { datetime: account.addedAt, title: new Date(account.addedAt).toLocaleString() }, day(account.addedAt))
        : '?'),
      cell('actions', account.source === 'api'
        ? el('button', { type: 'button', class: 'remove', 'data-action': 'remove', 'aria-label': 'Remove ' + account.name }, 'Remove')
        : el('span', { class: 'muted' }, 'Change it in its file')));
    return row;
  }

  /** "Dec 1, 11:46" in the browser's time zone, with the year when it is not this one. */
  function day(iso) {
    const date = new Date(iso);
    const options = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (date.getFullYear() !== new Date().getFullYear()) {
      options.year = 'numeric';
    }
    return date.toLocaleString([], options);
  }

  function interval(account) {
    const set = account.syncIntervalSeconds;
    const now = account.effectiveIntervalSeconds;
    const text = 'every ' + seconds(set);
    return now && set && now !== set
      ? el('span', {}, text, el('span', { class: 'sub' }, 'now every ' + seconds(now)
          + (account.budgetLimited ? ', to stay in budget' : account.mode === 'webhooks' ? ', while webhooks flow' : '')))
      : text;
  }

  function requests(account) {
    const used = account.requestsLastHour || 0;
    const limit = account.hourlyLimit || 0;
    const share = limit ? Math.min(1, used / limit) : 0;
    const bar = el('span', { class: 'bar', role: 'presentation' }, el('span', { class: 'fill' }));
    bar.firstChild.style.width = (share * 100).toFixed(1) + '%';
    bar.dataset.level = share >= 0.9 ? 'high' : share >= 0.6 ? 'mid' : 'low';
    return el('span', { class: 'budget' }, el('span', {}, used + ' / ' + (limit || '?')), bar);
  }

  function forecast(account) {
    const value = account.forecastRequestsPerHour;
    const text = value === undefined || value === null ? '?' : '≈ ' + Math.round(value) + ' / h';
    const over = account.hourlyLimit && value > account.hourlyLimit;
    if (!account.budgetLimited && !over) {
      return text;
    }
    return el('span', {}, text, el('span', { class: 'sub warn' },
      account.budgetLimited ? 'held back to stay in budget' : 'more than the hourly limit'));
  }

  // -- connect an account (sign in with Tedee)

  function drawConnect() {
    const on = Boolean(page.config && page.config.signIn);
    $('#connect-on').hidden = !on;
    $('#connect-off').hidden = on;
  }

  function showConnectForm(open) {
    $('#connect-form').hidden = !open;
    $('#connect-open').setAttribute('aria-expanded', String(open));
    connectError(null);
    if (open) {
      $('#connect-name').focus();
    } else {
      $('#connect-open').focus();
    }
  }

  function connectError(text) {
    const box = $('#connect-error');
    box.textContent = text || '';
    box.hidden = !text;
    $('#connect-name').setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  function nameProblem(name) {
    if (!name) {
      return 'Enter a name for the new account.';
    }
    return ACCOUNT_NAME.test(name) ? null : ACCOUNT_NAME_RULE;
  }

  $('#connect-open').addEventListener('click', () => showConnectForm($('#connect-form').hidden));
  $('#connect-cancel').addEventListener('click', () => showConnectForm(false));

  $('#connect-name').addEventListener('input', () => {
    const name = $('#connect-name').value.trim();
    const existing = (admin.accounts || []).find((account) => account.name === name && account.source === 'api');
    const note = $('#connect-note');
    note.textContent = existing ? 'There is an account ' + name + ' already: signing in replaces its credentials.' : '';
    note.hidden = !existing;
  });

  $('#connect-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('#connect-name');
    const name = input.value.trim();
    const problem = nameProblem(name);
    if (problem) {
      connectError(problem);
      input.focus();
      return;
    }
    connectError(null);
    const submit = $('#connect-submit');
    submit.disabled = true;
    try {
      const response = await adminApi('/oauth/start?' + new URLSearchParams({ account: name }));
      if (refusedToken(response)) {
        return;
      }
      const target = response.ok ? webAddress(response.body && response.body.authorizeUrl) : null;
      if (target) {
        say("Opening Tedee's sign-in page for " + name + '…', 'busy');
        location.href = target;
        return; // the button stays disabled while the browser leaves
      }
      connectError(response.ok ? 'The service gave no sign-in address.' : message(response));
      input.focus();
    } catch (error) {
      connectError('Cannot reach tedee-sync (' + error.message + ').');
    }
    submit.disabled = false;
  });

  // Back from Tedee's page with the browser's Back button: a page restored from the back-forward cache
  // would still say it is on its way there.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      $('#connect-submit').disabled = false;
      if ($('#accounts-status').dataset.kind === 'busy') {
        say('', null);
      }
    }
  });

  /** The address if it is an http(s) URL: anything else (javascript:, data:) is not followed. */
  function webAddress(text) {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (notAUrl) {
      return null;
    }
  }

  // -- remove an account

  const removeDialog = $('#remove-dialog');

  $('#account-rows').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action="remove"]');
    if (button) {
      askToRemove(button.closest('tr').dataset.account);
    }
  });

  function askToRemove(name) {
    admin.removing = name;
    $('#remove-name').textContent = name;
    $('#remove-keep').checked = true;
    removeBusy(false);
    removeDialog.showModal();
    $('#remove-keep').focus();
  }

  function removeBusy(busy) {
    if (busy) {
      removeDialog.dataset.busy = 'true';
    } else {
      delete removeDialog.dataset.busy;
    }
    removeDialog.querySelectorAll('button, input').forEach((control) => {
      control.disabled = busy;
    });
    $('#remove-confirm').textContent = busy ? 'Removing…' : 'Remove';
  }

  function focusRemoveButton(name) {
    const row = accountRowElement(name);
    const button = row && row.querySelector('button[data-action="remove"]');
    (button || $('#accounts-title')).focus({ preventScroll: Boolean(button) });
  }

  $('#remove-cancel').addEventListener('click', () => {
    removeDialog.close();
    focusRemoveButton(admin.removing);
  });

  removeDialog.addEventListener('cancel', (event) => {
    if (removeDialog.dataset.busy) {
      event.preventDefault(); // Escape while the removal runs: it runs on, and says how it ended
    }
  });

  $('#remove-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = admin.removing;
    const purge = $('#remove-purge').checked;
    removeBusy(true);
    let response;
    try {
      response = await adminApi('/api/accounts/' + encodeURIComponent(name) + (purge ? '?purge=true' : ''), { method: 'DELETE' });
    } catch (error) {
      removeBusy(false);
      removeDialog.close();
      say('Could not remove ' + name + ': the service did not answer (' + error.message + ').', 'error');
      focusRemoveButton(name);
      loadAccounts();
      return;
    }
    removeBusy(false);
    removeDialog.close();
    if (refusedToken(response)) {
      return;
    }
    if (response.status === 204 || response.status === 404) {
      admin.accounts = (admin.accounts || []).filter((account) => account.name !== name);
      drawAccounts();
      say(response.status === 404 ? 'Account ' + name + ' was already removed.'
        : purge ? 'Account ' + name + ' removed, with its locks and events.'
          : 'Account ' + name + ' removed. Its locks and events stay in the store.', 'ok');
      $('#accounts-title').focus();
      loadAccounts();
      refreshLocksView();
      return;
    }
    say('Could not remove ' + name + ': ' + message(response), 'error');
    focusRemoveButton(name);
  });

  // -- the status line: what a change did, or why the list may be old

  function say(text, kind) {
    const line = $('#accounts-status');
    line.textContent = '';
    admin.trouble = false;
    if (!text) {
      delete line.dataset.kind;
      return;
    }
    line.dataset.kind = kind;
    line.append(icon(kind === 'ok' ? 'ok' : kind === 'busy' ? 'moving' : 'failed'), text);
  }

  function sayTrouble(text) {
    say(text, 'error');
    admin.trouble = true;
  }

  /** The locks view after an account came or went: sections follow /health, cards /api/locks. */
  async function refreshLocksView() {
    await refreshHealth();
    await refreshLocks();
  }

  // ---- small helpers

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== '' && value !== null && value !== undefined) {
        node.setAttribute(name, value);
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== '') {
        node.append(child);
      }
    }
    return node;
  }

  function fact(term, value) {
    return el('div', {}, el('dt', {}, term), el('dd', {}, value));
  }

  function rememberFocus(root) {
    const active = document.activeElement;
    if (!root || !active || active === document.body || !root.contains(active)) {
      return null;
    }
    const card = active.closest('li.lock');
    return { serial: card && card.dataset.serial, op: active.dataset.op };
  }

  function restoreFocus(focus) {
    if (!focus || !focus.serial) {
      return;
    }
    const card = lockElement(focus.serial);
    if (!card) {
      return;
    }
    const target = (focus.op && [...card.querySelectorAll('button')].find((b) => b.dataset.op === focus.op && !b.disabled)) || card;
    target.focus({ preventScroll: true });
  }

  function slug(text) {
    return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  const STATE_NAMES = { SEMI_LOCKED: 'Semi-locked', NOT_PAIRED: 'No sensor', GET_ALL: 'get-all' };

  /** LOCK_PRO -> "Lock pro": a wire constant as words. */
  function words(constant) {
    if (STATE_NAMES[constant]) {
      return STATE_NAMES[constant];
    }
    const text = String(constant).replace(/_/g, ' ').toLowerCase();
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function typeName(type) {
    return { LOCK_PRO: 'Lock PRO', LOCK_GO: 'Lock GO', GATE: 'Gate', DRY_CONTACT: 'Dry contact' }[type] || words(type);
  }

  function seconds(value) {
    if (!value) {
      return '?';
    }
    return value % 60 === 0 && value >= 120 ? value / 60 + ' min' : value + ' s';
  }

  function ago(iso) {
    const elapsed = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (elapsed < 10) return 'just now';
    if (elapsed < 60) return Math.floor(elapsed) + ' s ago';
    if (elapsed < 3600) return Math.floor(elapsed / 60) + ' min ago';
    if (elapsed < 86400) return Math.floor(elapsed / 3600) + ' h ago';
    return new Date(iso).toLocaleDateString();
  }

  function timeAgo(iso) {
    return el('time', { class: 'ago', datetime: iso, title: new Date(iso).toLocaleString() }, ago(iso));
  }

  function updateTimes(root) {
    root.querySelectorAll('time.ago').forEach((node) => {
      node.textContent = ago(node.getAttribute('datetime'));
    });
  }

  function clock(iso) {
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    return today ? time : date.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + time;
  }

  function showProblem(text) {
    const box = $('#problem');
    box.textContent = text || '';
    box.hidden = !text;
  }

  // Icons: inline SVG, drawn with currentColor, always next to a word (never colour alone).
  const ICONS = {
    locked: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/><path d="M12 15v2"/>',
    unlocked: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 7.75-1.4"/><path d="M12 15v2"/>',
    'semi-locked': '<path d="M12 3 2 20h20z"/><path d="M12 9v5"/><path d="M12 17h.01"/>',
    moving: '<path d="M20 12a8 8 0 1 1-2.34-5.66"/><path d="M20 4v4h-4"/>',
    unknown: '<circle cx="12" cy="12" r="9"/><path d="M9.6 9.2a2.5 2.5 0 1 1 3.4 2.3c-.6.3-1 .8-1 1.5v.5"/><path d="M12 17h.01"/>',
    disconnected: '<path d="M3 3l18 18"/><path d="M8.5 16.4a5 5 0 0 1 5.6-1"/><path d="M5 12.6a10 10 0 0 1 4.2-2.4"/><path d="M15 10.3a10 10 0 0 1 4 2.3"/><path d="M2 8.8a15 15 0 0 1 3.5-2.4"/><path d="M10.5 5.1A15 15 0 0 1 22 8.8"/><path d="M12 20h.01"/>',
    online: '<path d="M8.5 16.4a5 5 0 0 1 7 0"/><path d="M5 12.8a10 10 0 0 1 14 0"/><path d="M2 8.8a15 15 0 0 1 20 0"/><path d="M12 20h.01"/>',
    live: '<circle cx="12" cy="12" r="4"/><path d="M5.6 5.6a9 9 0 0 0 0 12.8"/><path d="M18.4 5.6a9 9 0 0 1 0 12.8"/>',
    ok: '<circle cx="12" cy="12" r="9"/><path d="m8 12 3 3 5-6"/>',
    warning: '<path d="M12 3 2 20h20z"/><path d="M12 9v5"/><path d="M12 17h.01"/>',
    failed: '<circle cx="12" cy="12" r="9"/><path d="m9 9 6 6"/><path d="m15 9-6 6"/>',
    clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    bolt: '<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>',
    door: '<path d="M5 21V4a1 1 0 0 1 1-1h12a1 1 0 0 1 1 1v17"/><path d="M3 21h18"/><path d="M15 12h.01"/>',
    'door-open': '<path d="M13 4h5a1 1 0 0 1 1 1v16"/><path d="M3 21h18"/><path d="M5 21V4.5l8-1.5v18"/><path d="M10 12h.01"/>',
    pull: '<path d="M4 12h13"/><path d="m12 7 5 5-5 5"/><path d="M20 5v14"/>',
  };

  function icon(name) {
    return svg(ICONS[name] || ICONS.unknown);
  }

  function battery(level) {
    const width = Math.round(Math.max(0, Math.min(100, level)) / 100 * 14);
    return svg('<rect x="2" y="7" width="18" height="10" rx="2"/><path d="M22 11v2"/><rect class="level" x="4" y="9" width="'
      + width + '" height="6" rx="1"/>');
  }

  function svg(body) {
    const span = document.createElement('span');
    span.className = 'icon';
    span.setAttribute('aria-hidden', 'true');
    span.innerHTML = '<svg viewBox="0 0 24 24" focusable="false">' + body + '</svg>';
    return span;
  }

  start();
})();
