// The tedee-sync dashboard: one lock drawn as a card, and the operations (lock, unlock, pull)
// that cards, table rows and the lock page start. An operation's outcome stays on the lock for 30 s.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { el, fact, slug, words, typeName, timeAgo, ago, look, icon, battery } = app;
  const OUTCOME_SHOWN_MS = 30000;

  const OPERATIONS = {
    lock: { label: 'Lock', doing: 'Locking…', done: 'Locked' },
    unlock: { label: 'Unlock', doing: 'Unlocking…', done: 'Unlocked' },
    pull: { label: 'Pull', doing: 'Pulling…', done: 'Pulled' },
  };

  const pending = new Map();   // serial number -> operation in flight
  const outcomes = new Map();  // serial number -> {text, kind, timer}

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

  /** Runs the operation; resolves with its outcome {status, text, kind} (status 0: not sent or no answer). */
  async function operate(serial, operation) {
    if (!OPERATIONS[operation]) {
      return { status: 0, text: 'Unknown operation ' + operation + '.', kind: 'error' };
    }
    if (pending.has(serial)) {
      return { status: 0, text: OPERATIONS[pending.get(serial)].doing + ' already running.', kind: 'busy' };
    }
    pending.set(serial, operation);
    setOutcome(serial, OPERATIONS[operation].doing, 'busy');
    let outcome;
    try {
      const response = await app.api('/api/locks/' + encodeURIComponent(serial) + '/operations/' + operation, { method: 'POST' });
      if (response.body && response.body.lock) {
        app.model.set(response.body.lock);
      }
      outcome = { status: response.status, ...describeOutcome(operation, response) };
      if (response.status === 403) {
        app.page.config.operationsAllowed = false;
      }
    } catch (error) {
      if (error instanceof app.Unauthorized) {
        pending.delete(serial);
        app.handleFailure(error);
        return { status: 401, text: 'The API token was refused.', kind: 'error' };
      }
      outcome = { status: 0, text: OPERATIONS[operation].label + ' failed: the service did not answer.', kind: 'error' };
    }
    pending.delete(serial);
    setOutcome(serial, outcome.text, outcome.kind);
    if (!app.page.config.operationsAllowed) {
      app.fleet.redrawAll();
    }
    return outcome;
  }

  function describeOutcome(operation, response) {
    const names = OPERATIONS[operation];
    switch (response.status) {
      case 200: return { text: names.done + '.', kind: 'ok' };
      case 202: return { text: names.doing + ' still running; this lock updates when it ends.', kind: 'busy' };
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
    const previous = outcomes.get(serial);
    if (previous) {
      clearTimeout(previous.timer);
    }
    const timer = kind === 'busy' ? null : setTimeout(() => {
      outcomes.delete(serial);
      app.fleet.changed(serial);
    }, OUTCOME_SHOWN_MS);
    outcomes.set(serial, { text, kind, timer });
    app.fleet.changedNow(serial); // the button pressed is disabled at once, not a frame later
  }

  /** The buttons that fit the lock now (and the one in flight), or [] on a read-only service. */
  function operationButtons(lock, compact) {
    const allowed = app.page.config && app.page.config.operationsAllowed;
    const running = pending.get(lock.serialNumber);
    const operations = allowed ? validOperations(lock) : [];
    if (allowed && running && !operations.includes(running)) {
      operations.push(running);
    }
    return operations.map((operation) => {
      const button = el('button', {
        type: 'button', class: compact ? 'op compact' : 'op', 'data-op': operation,
        'aria-describedby': 'lock-' + slug(lock.serialNumber),
      }, icon(operation === 'lock' ? 'locked' : operation === 'unlock' ? 'unlocked' : 'pull'), OPERATIONS[operation].label);
      button.disabled = Boolean(running);
      return button;
    });
  }

  function outcomeNode(serial, compact) {
    const outcome = outcomes.get(serial);
    if (!outcome) {
      return null;
    }
    const glyph = icon(outcome.kind === 'ok' ? 'ok' : outcome.kind === 'busy' ? 'moving' : 'failed');
    return el('p', { class: compact ? 'outcome compact' : 'outcome', 'data-kind': outcome.kind, role: 'status', title: compact ? outcome.text : null },
      glyph, compact ? el('span', { class: 'outcome-text' }, outcome.text) : outcome.text);
  }

  function isLow(lock) {
    return typeof lock.batteryLevel === 'number' && lock.batteryLevel < app.model.lowBatteryBelow();
  }

  function staleBadge(lock) {
    return el('span', {
      class: 'badge stale',
      title: 'Not confirmed by Tedee for longer than the staleness threshold'
        + (lock.syncedAt ? '; last confirmed ' + ago(lock.syncedAt) : '') + '. Shown as last known.',
    }, icon('clock'), 'Stale');
  }

  /** The lock's name as a link to its page (#lock/<serial>). */
  function lockLink(lock, id) {
    return el('a', { class: 'lock-link', href: '#lock/' + encodeURIComponent(lock.serialNumber), id },
      lock.name || lock.serialNumber);
  }

  function lockCard(lock) {
    const shown = look(lock);
    const nameId = 'lock-' + slug(lock.serialNumber);
    const title = el('div', { class: 'lock-title' },
      el('h3', { class: 'lock-name' }, lockLink(lock, nameId)),
      el('p', { class: 'state-label' }, shown.label));
    const head = el('div', { class: 'lock-head' }, el('span', { class: 'state-icon' }, icon(shown.kind)), title);
    if (lock.stale) {
      head.append(staleBadge(lock));
    }
    const account = app.accountOf(lock);
    const several = Boolean(app.page.config && app.page.config.severalAccounts);
    const card = el('li', {
      class: 'lock', 'data-serial': lock.serialNumber, 'data-account': account, 'data-state': shown.kind, tabindex: '-1', 'aria-labelledby': nameId,
    }, head, el('p', { class: 'serial' }, lock.serialNumber + (lock.type ? ' · ' + typeName(lock.type) : '') + (several ? ' · ' + account : '')));
    if (!lock.isConnected && lock.lastKnownState) {
      card.append(el('p', { class: 'last-known' }, 'Last known position: ' + words(lock.lastKnownState)
        + '. Not current while the lock is offline.'));
    }
    const facts = el('dl', { class: 'facts' });
    if (lock.doorState && lock.doorState !== 'NOT_PAIRED') {
      facts.append(fact('Door', el('span', { 'data-field': 'door' }, icon(lock.doorState === 'OPENED' ? 'door-open' : 'door'), words(lock.doorState))));
    }
    if (typeof lock.batteryLevel === 'number') {
      const low = isLow(lock);
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
    const buttons = operationButtons(lock, false);
    const outcome = outcomeNode(lock.serialNumber, false);
    if (buttons.length || outcome) {
      card.append(el('div', { class: 'actions' }, ...buttons, outcome));
    }
    return card;
  }

  // One listener for every operation button of the fleet view, whatever draws it (cards or table rows).
  document.getElementById('fleet-list').addEventListener('click', (event) => {
    const button = event.target.closest('button.op');
    const holder = button && button.closest('[data-serial]');
    if (holder && !button.disabled) {
      operate(holder.dataset.serial, button.dataset.op);
    }
  });

  Object.assign(app, { OPERATIONS, operate, operationButtons, outcomeNode, isLow, staleBadge, lockLink, lockCard });
})();
