// The tedee-sync dashboard: the accounts above the fleet, from /health: health (and why not
// healthy), mode, requests used of the hourly budget, last sync. Folded into one line when there are
// more than a few accounts; the line still says how many are not healthy.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, el, fact, slug, seconds, timeAgo, clock, icon } = app;
  const OPEN_UP_TO = 4;

  let opened = false;          // whether the strip was opened or folded once (later, the user decides)

  function draw() {
    const names = app.accountNames();
    const heads = $('#account-heads');
    const old = new Map([...heads.children].map((section) => [section.dataset.account, section]));
    names.forEach((name, index) => {
      let section = old.get(name);
      old.delete(name);
      if (!section) {
        section = el('section', { class: 'account', 'data-account': name, 'aria-labelledby': 'account-' + slug(name) },
          el('header', { class: 'account-head' }));
      }
      if (heads.children[index] !== section) {
        heads.insertBefore(section, heads.children[index] || null);
      }
      drawHead(section, app.page.accounts.find((account) => account.name === name) || { name });
    });
    old.forEach((section) => section.remove());
    const strip = $('#account-strip');
    strip.hidden = names.length === 0;
    if (!opened && names.length) {
      strip.open = names.length <= OPEN_UP_TO;
      opened = true;
    }
    const statuses = app.page.accounts.map((account) => account.status || 'unknown');
    const unwell = statuses.filter((status) => status !== 'ok');
    const line = $('#account-strip-facts');
    line.textContent = names.length + (names.length === 1 ? ' account' : ' accounts') + ' · '
      + (unwell.length === 0 && statuses.length ? 'all healthy'
        : [['degraded', 'degraded'], ['failed', 'failed'], ['unknown', 'not reporting']]
          .map(([status, text]) => [statuses.filter((s) => s === status).length, text])
          .filter(([number]) => number > 0).map(([number, text]) => number + ' ' + text).join(', ') || 'health unknown');
    line.dataset.health = unwell.some((status) => status === 'failed') ? 'failed' : unwell.length ? 'degraded' : 'ok';
    app.fleet.accountsChanged();
  }

  function drawHead(section, account) {
    const status = account.status || 'unknown';
    const head = el('header', { class: 'account-head' },
      el('div', { class: 'account-title' },
        el('h3', { id: 'account-' + slug(account.name) }, account.name || 'Account'),
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
      head.append(el('dl', { class: 'account-facts' },
        fact('Mode', account.mode === 'webhooks'
          ? 'Webhooks, sync every ' + seconds(account.syncIntervalSeconds)
          : 'Polling every ' + seconds(account.syncIntervalSeconds)),
        fact('Requests, last hour', el('span', { class: 'budget' },
          el('span', { 'data-field': 'requests' }, used + ' / ' + limit), bar)),
        fact('Last sync', account.lastSuccessAt ? timeAgo(account.lastSuccessAt) : 'never'),
        fact('Locks', String(account.locks))));
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
    section.replaceChildren(head);
  }

  app.accountStrip = { draw };
})();
