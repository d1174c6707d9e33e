// The tedee-sync dashboard: the fleet as a dense table that draws only the rows in sight.
//
// Every row has the same height, so the table knows where row i is without drawing the others: it
// draws the rows the scroll box shows (and a few around them) between two spacer rows that stand for
// the rest. aria-rowcount and aria-rowindex tell a screen reader where it is in the whole list. The
// arrow keys, Page Up/Down, Home and End move between the rows' links, drawing rows as needed.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, el, slug, words, timeAgo, look, icon, battery } = app;
  const OVERSCAN = 8;          // rows drawn above and below the visible ones
  const ESTIMATED_ROW = 45;    // until a row is measured

  const scroller = $('#fleet-table-wrap');
  const table = $('#fleet-table');
  const body = $('#fleet-rows');
  const top = el('tr', { class: 'spacer', 'aria-hidden': 'true' }, el('td', { colspan: '7' }));
  const bottom = el('tr', { class: 'spacer', 'aria-hidden': 'true' }, el('td', { colspan: '7' }));

  const state = {
    serials: [],               // the rows, in order
    drawn: new Map(),          // serial -> <tr> currently drawn
    rowHeight: 0,
    headHeight: 0,             // measured once (and after a resize): reading it forces a layout
    frame: 0,
  };

  function rowHeight() {
    return state.rowHeight || ESTIMATED_ROW;
  }

  function headHeight() {
    if (!state.headHeight && table.tHead) {
      state.headHeight = table.tHead.offsetHeight;
    }
    return state.headHeight;
  }

  function cell(field, ...content) {
    return el('td', { 'data-field': field }, ...content);
  }

  function notKnown() {
    return el('span', { class: 'none' }, el('span', { 'aria-hidden': 'true' }, '—'), el('span', { class: 'visually-hidden' }, 'not known'));
  }

  function row(serial) {
    const lock = app.model.lock(serial);
    const shown = look(lock);
    const nameId = 'lock-' + slug(serial);
    const door = !lock.doorState ? notKnown()
      : lock.doorState === 'NOT_PAIRED' ? el('span', { class: 'none' }, words(lock.doorState))
        : el('span', {}, icon(lock.doorState === 'OPENED' ? 'door-open' : 'door'), words(lock.doorState));
    const low = app.isLow(lock);
    const level = typeof lock.batteryLevel !== 'number' ? notKnown()
      : el('span', { class: low ? 'low' : '' }, battery(lock.batteryLevel), lock.batteryLevel + ' %' + (low ? ' low' : ''),
        lock.isCharging ? el('span', { class: 'charging', title: 'charging' }, icon('bolt'), el('span', { class: 'visually-hidden' }, 'charging')) : null);
    return el('tr', { class: 'fleet-row', 'data-serial': serial, 'data-state': shown.kind, 'data-account': app.accountOf(lock), tabindex: '-1' },
      el('th', { scope: 'row', 'data-field': 'name' }, app.lockLink(lock, nameId), el('span', { class: 'sub mono' }, serial)),
      cell('account', app.accountOf(lock)),
      cell('state', el('span', { class: 'state-word' }, icon(shown.kind), shown.label), lock.stale ? app.staleBadge(lock) : null),
      cell('door', door),
      cell('battery', level),
      cell('changed', lock.lastStateChangedDate ? timeAgo(lock.lastStateChangedDate) : notKnown()),
      cell('actions', ...app.operationButtons(lock, true), app.outcomeNode(serial, true)));
  }

  /** Draws the rows in sight; keeps the rows already drawn that did not change, and the focus. */
  function draw() {
    state.frame = 0;
    const count = state.serials.length;
    const height = rowHeight();
    const head = headHeight();
    const view = scroller.clientHeight || window.innerHeight;
    // A list that shrank under a scrolled view: back to its end at once, never a screen of empty spacer.
    const maxTop = Math.max(0, head + count * height - view);
    if (scroller.scrollTop > maxTop) {
      scroller.scrollTop = maxTop;
    }
    const scrolled = Math.min(scroller.scrollTop, maxTop);
    const first = Math.min(Math.max(0, count - 1), Math.max(0, Math.floor((scrolled - head) / height) - OVERSCAN));
    const last = Math.min(count, Math.ceil((scrolled + view) / height) + OVERSCAN);
    const rows = [];
    const keep = new Map();
    for (let index = first; index < last; index += 1) {
      const serial = state.serials[index];
      const drawn = state.drawn.get(serial) || row(serial);
      drawn.setAttribute('aria-rowindex', String(index + 2));
      keep.set(serial, drawn);
      rows.push(drawn);
    }
    state.drawn = keep;
    top.firstChild.style.height = first * height + 'px';
    bottom.firstChild.style.height = (count - last) * height + 'px';
    top.hidden = first === 0;
    bottom.hidden = last === count;
    table.setAttribute('aria-rowcount', String(count + 1));
    const now = [...body.children];
    const wanted = [top, ...rows, bottom];
    if (now.length !== wanted.length || now.some((node, index) => node !== wanted[index])) {
      const focus = app.rememberFocus(body);
      body.replaceChildren(...wanted);
      app.restoreFocus(focus, scroller);
    }
    if (!state.rowHeight && rows.length) {
      state.rowHeight = rows[0].getBoundingClientRect().height || 0;
      if (state.rowHeight && Math.abs(state.rowHeight - ESTIMATED_ROW) > 0.5) {
        draw(); // spacers by the measured height
      }
    }
  }

  function scheduleDraw() {
    if (!state.frame) {
      state.frame = requestAnimationFrame(draw);
    }
  }

  scroller.addEventListener('scroll', scheduleDraw, { passive: true });
  window.addEventListener('resize', () => {
    state.headHeight = 0;
    state.rowHeight = 0; // a narrower window may wrap the header or change the font
    if (!scroller.hidden) {
      scheduleDraw();
    }
  });

  /** Scrolls row `index` into the box and draws it; its <tr>. */
  function reveal(index) {
    const height = rowHeight();
    const head = headHeight();
    const rowTop = head + index * height;
    if (rowTop - head < scroller.scrollTop) {
      scroller.scrollTop = rowTop - head;
    } else if (rowTop + height > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = rowTop + height - scroller.clientHeight;
    }
    draw();
    return state.drawn.get(state.serials[index]);
  }

  body.addEventListener('keydown', (event) => {
    const link = event.target.closest('a.lock-link');
    const current = link && link.closest('tr.fleet-row');
    if (!current || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    const index = state.serials.indexOf(current.dataset.serial);
    const page = Math.max(1, Math.floor(scroller.clientHeight / rowHeight()) - 1);
    const target = {
      ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: state.serials.length - 1,
    }[event.key];
    if (target === undefined || index < 0) {
      return;
    }
    event.preventDefault();
    const next = reveal(Math.max(0, Math.min(state.serials.length - 1, target)));
    const nextLink = next && next.querySelector('a.lock-link');
    if (nextLink) {
      nextLink.focus({ preventScroll: true });
    }
  });

  app.table = {
    /** A new list (other filters or sort): back to its top. */
    show(serials) {
      state.serials = serials;
      state.drawn = new Map();
      scroller.scrollTop = 0;
      draw();
    },
    /** The same view with these locks changed (and maybe moved, come or gone): stays where it is. */
    update(serials, changed) {
      state.serials = serials;
      changed.forEach((serial) => state.drawn.delete(serial));
      draw();
    },
    redrawAll() {
      state.drawn = new Map();
      draw();
    },
    element: (serial) => state.drawn.get(serial) || null,
    indexOf: (serial) => state.serials.indexOf(serial),
    reveal,
    clear() {
      state.serials = [];
      state.drawn = new Map();
      body.replaceChildren();
    },
  };
})();
