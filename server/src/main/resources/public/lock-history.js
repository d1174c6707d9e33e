// The lock page's history (lock-page.js shows the rest): the range chosen (24 h, 7 d or 30 d, remembered),
// GET /api/locks/{serial}/history with If-None-Match, and drawing it through charts.js: the timeline of states,
// battery and door charts, each with a table, the door openings and the events of the range.
//
// Uses lock-shared.js (loaded before); window.tedeeLockHistory is internal to the lock page's files.
'use strict';

(() => {
  const HOUR = 3600000;
  const RANGES = { '24h': { ms: 24 * HOUR, label: '24 h' }, '7d': { ms: 7 * 24 * HOUR, label: '7 d' }, '30d': { ms: 30 * 24 * HOUR, label: '30 d' } };
  const RANGE_KEY = 'tedee-sync.lock-range';
  const TABLE_ROWS = 1000;        // the newest intervals the table lists; the chart has them all
  const charts = window.tedeeCharts;
  const { view, $, root, board, path, call, reason, el, words, when, duration } = window.tedeeLockShared;

  /** The range chosen last time; storage may be blocked (a SecurityError), which leaves the default. */
  function storedRange() {
    try {
      const stored = localStorage.getItem(RANGE_KEY);
      return RANGES[stored] ? stored : '24h';
    } catch (blocked) {
      return '24h';
    }
  }

  view.range = storedRange();

  /** The range buttons for the page's skeleton. */
  function rangeButtons() {
    const ranges = el('div', { class: 'lp-ranges', role: 'group', 'aria-label': 'Range' });
    for (const [key, range] of Object.entries(RANGES)) {
      const button = el('button', { type: 'button', 'data-range': key, 'aria-pressed': String(key === view.range) }, 'Last ' + range.label);
      button.addEventListener('click', () => chooseRange(key));
      ranges.append(button);
    }
    return ranges;
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

  function table(caption, headers, rows) {
    return el('table', { class: 'lp-table' }, el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
      el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((cell) => el('td', {}, String(cell)))))));
  }

  /** "12 %", never "0 %" for something that was there, nor "100 %" for what was not all. */
  function percent(share) {
    const rounded = Math.round(share * 100);
    return (share > 0 && rounded === 0 ? '< 1' : share < 1 && rounded === 100 ? '> 99' : String(rounded)) + ' %';
  }

  window.tedeeLockHistory = { rangeButtons, figure, observe, loadHistory, drawHistory };
})();
