// The tedee-sync dashboard: the fleet view (#locks): the summary bar, search, filters, sort, the
// choice of table or cards, the count, and live changes applied in place.
//
// Filters live in the fragment (#locks?state=UNLOCKED&q=12), written with replaceState so typing does not
// fill the history. Changes from the event stream are collected and applied once per animation frame:
// a lock that no longer matches leaves the view, one that now matches enters at its place, and only
// the rows or cards of changed locks are drawn again.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $, el, words, count, icon, look, model } = app;
  const VIEW_KEY = 'tedee-sync.view';
  const CARDS_UP_TO = 24;      // the default view: cards for a few locks, the table for more

  // firstRenderMs: from navigation start to the first list drawn (listLoadedMs: to its JSON parsed); lastFilterMs:
  // the last filter, search or sort, from the change to the list laid out; fullLoads: GET /api/locks made;
  // nextCheckAt: when (performance.now()) the periodic check of the whole list is due.
  const timings = { firstRenderMs: null, listLoadedMs: null, lastFilterMs: null, fullLoads: 0, nextCheckAt: null };
  window.tedeeFleetTimings = timings;

  const fleet = {
    filters: model.noFilters(),
    view: null,                // 'table' | 'cards'
    serials: [],
    positions: new Map(),      // serial -> index in serials
    dirty: new Set(),
    frame: 0,
    loaded: false,
  };

  const renderer = () => (fleet.view === 'cards' ? app.cards : app.table);

  // ---- the summary bar

  const CHIPS = [
    { key: 'total', label: () => 'All locks', icon: 'all', pressed: (f) => !model.filtering(f), apply: () => model.noFilters() },
    ...model.LOCK_STATES.map((state) => ({
      key: 'state:' + state, state, label: () => words(state), icon: look({ isConnected: true, state }).kind,
      pressed: (f) => f.state.length === 1 && f.state[0] === state,
      apply: (f, on) => ({ ...f, state: on ? [] : [state] }),
    })),
    { key: 'unknownPosition', label: () => 'Position unknown', icon: 'unknown', pressed: (f) => f.state.length === 1 && f.state[0] === model.NO_STATE,
      apply: (f, on) => ({ ...f, state: on ? [] : [model.NO_STATE] }) },
    { key: 'offline', label: () => 'Offline', icon: 'disconnected', pressed: (f) => f.connected === false,
      apply: (f, on) => ({ ...f, connected: on ? null : false }) },
    { key: 'stale', label: () => 'Stale', icon: 'clock', pressed: (f) => f.stale === true,
      apply: (f, on) => ({ ...f, stale: on ? null : true }) },
    { key: 'lowBattery', label: () => 'Battery below ' + model.lowBatteryBelow() + ' %', icon: 'battery',
      pressed: (f) => f.batteryBelow === model.lowBatteryBelow(),
      apply: (f, on) => ({ ...f, batteryBelow: on ? null : model.lowBatteryBelow() }) },
    { key: 'doorOpen', label: () => 'Door open', icon: 'door-open', pressed: (f) => f.doorState.length === 1 && f.doorState[0] === 'OPENED',
      apply: (f, on) => ({ ...f, doorState: on ? [] : ['OPENED'] }) },
  ];
  const chips = new Map();     // key -> <button>

  function chipCount(summary, chip) {
    if (chip.state) return summary.states[chip.state] || 0;
    return chip.key === 'total' ? summary.locks : summary[chip.key];
  }

  function drawSummary() {
    const summary = model.summarize();
    const bar = $('#fleet-summary');
    CHIPS.forEach((chip) => {
      let button = chips.get(chip.key);
      if (!button) {
        button = el('button', { type: 'button', class: 'chip', 'data-summary': chip.key, 'data-kind': chip.icon, 'aria-pressed': 'false' },
          icon(chip.icon), el('span', { class: 'chip-count' }), el('span', { class: 'chip-label' }));
        button.addEventListener('click', () => {
          const on = chip.pressed(fleet.filters);
          setFilters(chip.apply(fleet.filters, on), true);
        });
        chips.set(chip.key, button);
        bar.append(el('li', {}, button));
      }
      const value = chipCount(summary, chip);
      const pressed = chip.pressed(fleet.filters);
      button.dataset.count = String(value);
      button.querySelector('.chip-count').textContent = count(value);
      button.querySelector('.chip-label').textContent = chip.label();
      button.setAttribute('aria-pressed', String(pressed));
      button.parentElement.hidden = Boolean(chip.state) && value === 0 && !pressed;
    });
  }

  // ---- the filter controls

  const form = $('#fleet-filters');
  const search = $('#fleet-search');
  const BATTERY_STEPS = [10, 15, 20, 25, 30, 50];
  const SORT_NAMES = { '': 'Account, name', name: 'Name', state: 'State', battery: 'Battery', lastChange: 'Last change' };

  function options(select, choices, value) {
    const wanted = choices.map(([key, text]) => key + '\u0000' + text).join('\u0001');
    if (select.dataset.choices !== wanted) {
      select.replaceChildren(...choices.map(([key, text]) => {
        const option = el('option', {}, text);
        option.value = key; // also '' (el leaves empty attributes out, and an option without one is worth its text)
        return option;
      }));
      select.dataset.choices = wanted;
    }
    select.value = value;
  }

  /** Makes every control say what the filters are (after a fragment, a chip or a reload changed them). */
  function drawControls() {
    const f = fleet.filters;
    if (search.value.trim() !== f.q) {
      search.value = f.q;
    }
    const stateValue = f.state.join(',');
    const stateWords = (state) => (state === model.NO_STATE ? 'Position unknown' : words(state));
    const states = [['', 'Any state'], ...[...model.LOCK_STATES, model.NO_STATE].map((state) => [state, stateWords(state)])];
    if (f.state.length > 1) {
      states.push([stateValue, f.state.map(stateWords).join(' or ')]);
    }
    options($('#filter-state'), states, stateValue);
    const accounts = app.accountNames();
    f.account.filter((name) => !accounts.includes(name)).forEach((name) => accounts.push(name));
    const accountValue = f.account.join(',');
    const accountChoices = [['', 'All accounts'], ...accounts.map((name) => [name, name])];
    if (f.account.length > 1) {
      accountChoices.push([accountValue, f.account.join(' or ')]);
    }
    options($('#filter-account'), accountChoices, accountValue);
    $('#filter-connected').value = f.connected === null ? '' : String(f.connected);
    $('#filter-stale').value = f.stale === null ? '' : String(f.stale);
    const steps = [...new Set([...BATTERY_STEPS, model.lowBatteryBelow(), ...(f.batteryBelow ? [f.batteryBelow] : [])])].sort((a, b) => a - b);
    options($('#filter-battery'), [['', 'Any level'], ...steps.map((step) => [String(step), 'Below ' + step + ' %'])],
      f.batteryBelow === null ? '' : String(f.batteryBelow));
    const doorValue = f.doorState.join(',');
    const doors = [['', 'Any'], ...model.DOOR_STATES.map((door) => [door, words(door)])];
    if (f.doorState.length > 1) {
      doors.push([doorValue, f.doorState.map(words).join(' or ')]);
    }
    options($('#filter-door'), doors, doorValue);
    options($('#fleet-sort'), Object.entries(SORT_NAMES), f.sort);
    $('#fleet-order').value = f.desc ? 'desc' : 'asc';
    $('#fleet-order').disabled = !f.sort;
    $('#fleet-clear').hidden = !model.filtering(f);
    const on = [f.state.length, f.account.length, f.connected !== null, f.stale !== null, f.batteryBelow !== null,
      f.doorState.length, f.sort].filter(Boolean).length;
    $('#fleet-filters-on').textContent = on ? on + ' on' : '';
    for (const view of ['table', 'cards']) {
      $('#view-' + view).setAttribute('aria-pressed', String(fleet.view === view));
    }
  }

  const split = (value) => (value ? value.split(',') : []);

  /** The filters as the controls say them. */
  function readControls() {
    const state = $('#filter-state').value;
    const connected = $('#filter-connected').value;
    const stale = $('#filter-stale').value;
    const battery = $('#filter-battery').value;
    return {
      ...fleet.filters,
      state: split(state),
      account: split($('#filter-account').value),
      connected: connected === '' ? null : connected === 'true',
      stale: stale === '' ? null : stale === 'true',
      batteryBelow: battery === '' ? null : Number(battery),
      doorState: split($('#filter-door').value),
      q: search.value.trim().slice(0, 100),
      sort: $('#fleet-sort').value,
      desc: $('#fleet-sort').value !== '' && $('#fleet-order').value === 'desc',
    };
  }

  form.addEventListener('change', (event) => {
    if (event.target !== search) {
      setFilters(readControls(), true);
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setFilters(readControls(), true);
  });
  const typed = app.debounce(() => setFilters(readControls(), true), 150);
  search.addEventListener('input', typed);
  $('#fleet-clear').addEventListener('click', () => {
    setFilters(model.noFilters(), true);
    search.focus();
  });
  $('#fleet-empty-clear').addEventListener('click', () => {
    setFilters(model.noFilters(), true);
    search.focus();
  });
  for (const view of ['table', 'cards']) {
    $('#view-' + view).addEventListener('click', () => setView(view, true));
  }
  $('#fleet-filters-toggle').addEventListener('click', () => {
    const open = !form.classList.contains('open');
    form.classList.toggle('open', open);
    $('#fleet-filters-toggle').setAttribute('aria-expanded', String(open));
  });

  // ---- the list

  function fragment() {
    const query = model.formatFilters(fleet.filters);
    return '#locks' + (query ? '?' + query : '');
  }

  function setFilters(next, byUser) {
    if (model.sameFilters(next, fleet.filters) && fleet.loaded) {
      drawControls();
      return;
    }
    fleet.filters = next;
    if (byUser && app.currentRoute() === 'locks') {
      history.replaceState(history.state, '', fragment());
    }
    $('#tab-locks').setAttribute('href', fragment());
    if (!fleet.loaded) {
      return;
    }
    const started = performance.now();
    showList();
    timings.lastFilterMs = Math.round((performance.now() - started) * 10) / 10;
    if (byUser) {
      announce();
    }
  }

  /** Filters and sorts everything again and draws the list from its top. */
  function showList() {
    fleet.serials = model.select(fleet.filters);
    indexPositions();
    drawControls();
    drawSummary();
    drawCount();
    const list = renderer();
    (fleet.view === 'cards' ? app.table : app.cards).clear();
    $('#fleet-table-wrap').hidden = fleet.view !== 'table' || fleet.serials.length === 0;
    $('#fleet-cards').hidden = fleet.view !== 'cards';
    list.show(fleet.serials);
    void $('#fleet-list').offsetHeight; // the layout is part of what a filter costs
  }

  function indexPositions() {
    fleet.positions = new Map(fleet.serials.map((serial, index) => [serial, index]));
  }

  function drawCount() {
    const total = model.size();
    $('#fleet-count').textContent = 'Showing ' + count(fleet.serials.length) + ' of ' + count(total) + (total === 1 ? ' lock' : ' locks');
    const empty = $('#fleet-empty');
    empty.hidden = fleet.serials.length > 0;
    $('#fleet-empty-text').textContent = total === 0 ? 'No locks yet.' : 'No lock matches these filters.';
    $('#fleet-empty-clear').hidden = total === 0 || !model.filtering(fleet.filters);
    $('#fleet-table-wrap').hidden = fleet.view !== 'table' || fleet.serials.length === 0;
  }

  // Counts are told to screen readers after the user changed a filter, once typing pauses; never for
  // live changes, which would talk all the time on a busy fleet.
  const announce = app.debounce(() => {
    $('#fleet-announce').textContent = $('#fleet-count').textContent;
  }, 700);

  function setView(view, remember) {
    if (remember) {
      try {
        localStorage.setItem(VIEW_KEY, view);
      } catch (unavailable) {
        // private mode: the choice lasts for this page only
      }
    }
    if (fleet.view === view) {
      return;
    }
    fleet.view = view;
    if (fleet.loaded) {
      showList();
    }
  }

  function storedView() {
    try {
      const view = localStorage.getItem(VIEW_KEY);
      return view === 'table' || view === 'cards' ? view : null;
    } catch (unavailable) {
      return null;
    }
  }

  // ---- live changes, once per frame

  function changed(serial) {
    fleet.dirty.add(serial);
    if (!fleet.frame) {
      fleet.frame = requestAnimationFrame(flush);
    }
  }

  /** A change the user made (an operation started or ended): drawn now, with whatever else was waiting. */
  function changedNow(serial) {
    fleet.dirty.add(serial);
    cancelAnimationFrame(fleet.frame);
    flush();
  }

  function flush() {
    fleet.frame = 0;
    if (!fleet.loaded) {
      return;
    }
    const serials = [...fleet.dirty];
    fleet.dirty.clear();
    const compare = model.comparator(fleet.filters);
    const entryAt = (index) => model.get(fleet.serials[index]);
    let moved = false;
    for (const serial of serials) {
      const entry = model.get(serial);
      if (entry) {
        entry.account = app.accountOf(entry.lock);
      }
      const index = fleet.positions.get(serial);
      const fits = Boolean(entry) && model.matches(entry, fleet.filters);
      if ((index !== undefined) !== fits) {
        moved = true;
        break;
      }
      if (fits) {
        const before = entryAt(index - 1);
        const after = entryAt(index + 1);
        if ((before && compare(before, entry) > 0) || (after && compare(entry, after) > 0)) {
          moved = true;
          break;
        }
      }
    }
    if (moved) {
      fleet.serials = model.select(fleet.filters);
      indexPositions();
    }
    renderer().update(fleet.serials, serials);
    drawSummary();
    drawCount();
  }

  // ---- what app.js calls

  app.fleet = {
    timings,
    /** The first full list, or a later one (reconnect, periodic check): replaces the locks, keeps the view. */
    load(locks) {
      const changes = model.replaceAll(locks);
      if (!fleet.loaded) {
        fleet.loaded = true;
        fleet.view = storedView() || (locks.length <= CARDS_UP_TO ? 'cards' : 'table');
        showList();
        if (timings.firstRenderMs === null) {
          timings.firstRenderMs = Math.round(performance.now());
        }
        return;
      }
      changes.forEach(changed);
    },
    changed,
    changedNow,
    /** The accounts changed (/health): the account filter lists them. */
    accountsChanged() {
      if (fleet.loaded) {
        drawControls();
      }
    },
    redrawAll() {
      drawControls();
      renderer().redrawAll();
      drawSummary();
    },
    /** The filters of a #locks?... fragment. */
    fromFragment(query) {
      setFilters(model.parseFilters(query), false);
      if (/(^|&)position=/.test(query) && app.currentRoute() === 'locks') {
        history.replaceState(history.state, '', fragment()); // an old bookmark's position=unknown, now state=NONE
      }
    },
    fragment,
    filters: () => fleet.filters,
    element: (serial) => renderer().element(serial),
    /** Focuses the lock's link if it is in the list (after coming back from its page); false if not. */
    focusLock(serial) {
      const index = renderer().indexOf(serial);
      const holder = index >= 0 ? renderer().reveal(index) : null;
      const link = holder && holder.querySelector('a.lock-link');
      if (link) {
        link.focus();
      }
      return Boolean(link);
    },
  };
})();
