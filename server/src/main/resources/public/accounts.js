// The tedee-sync dashboard: the accounts view (#accounts), with the accounts API on.
//
// It talks to /api/accounts and /oauth/start with the admin token, which is asked for here and kept
// apart from the API token (in its own sessionStorage key, never in a URL). The list is redrawn row by
// row, a row only when its account changed, so a refresh neither flickers nor takes the focus away.
// It shows each account's health, credentials, mode, interval, locks, requests used of the hourly
// limit and the forecast per hour. Adding (sign in with Tedee) and removing: accounts-change.js.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, el, icon, words, slug, seconds, timeAgo, day, message } = app;

  const ADMIN_TOKEN_KEY = 'tedee-sync.admin-token';
  const ACCOUNTS_EVERY_MS = 10000;

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
    app.drawConnect();
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
        ? el('time', { datetime: account.addedAt, title: app.longTime(account.addedAt) }, day(account.addedAt))
        : '?'),
      cell('actions', account.source === 'api'
        ? el('button', { type: 'button', class: 'remove', 'data-action': 'remove', 'aria-label': 'Remove ' + account.name }, 'Remove')
        : el('span', { class: 'muted' }, 'Change it in its file')));
    return row;
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


  Object.assign(app, {
    admin, adminApi, refusedToken, openAccounts, closeAccounts, scheduleAccounts, loadAccounts, drawAccounts,
    accountRowElement, say, sayTrouble,
  });
})();
