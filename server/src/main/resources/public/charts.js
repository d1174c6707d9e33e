// Charts of the lock page, drawn locally as inline SVG with DOM calls (the dashboard's policy allows no
// inline style and nothing from elsewhere; colours come from lock-page.css through classes).
//
// Pure drawing: each function takes the history route's data, the range and the width in CSS pixels and
// returns a new element; lock-page.js decides when to draw. Exposed as window.tedeeCharts.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';

  /** What a timeline interval is drawn as: the colour class (and legend entry) of its state. */
  function kindOf(interval) {
    if (interval.connected === false) return 'offline';
    switch (interval.state) {
      case 'LOCKED': return 'locked';
      case 'UNLOCKED':
      case 'PULLED': return 'unlocked';
      case 'SEMI_LOCKED': return 'semi-locked';
      case 'LOCKING':
      case 'UNLOCKING':
      case 'PULLING': return 'moving';
      default: return 'unknown';
    }
  }

  const KIND_NAMES = {
    locked: 'Locked', unlocked: 'Unlocked or pulled', 'semi-locked': 'Semi-locked', moving: 'Moving',
    unknown: 'Position unknown or other', offline: 'Disconnected',
    dense: 'Many changes, in the colour of the main state (a shorter range shows them)',
  };
  const KIND_ORDER = ['locked', 'unlocked', 'semi-locked', 'moving', 'unknown', 'offline', 'dense'];

  /**
   * The value of a rect's data-state: the state name as the history route gives it, DISCONNECTED while
   * the lock was offline (the route says state null then), POSITION_UNKNOWN when connected with no state.
   */
  function stateKey(interval) {
    if (interval.connected === false) return 'DISCONNECTED';
    return interval.state || 'POSITION_UNKNOWN';
  }

  function node(tag, attributes, ...children) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) {
        element.setAttribute(name, String(value));
      }
    }
    children.forEach((child) => child && element.append(child));
    return element;
  }

  function text(x, y, content, attributes) {
    const label = node('text', { x: round(x), y: round(y), ...attributes });
    label.textContent = content;
    return label;
  }

  /** For an attribute value between double quotes. */
  function escape(value) {
    return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  }

  function round(value) {
    return Math.round(value * 100) / 100;
  }

  /** A scale from instants (ms) to x in [left, left + width]. */
  function scale(from, to, left, width) {
    const start = Date.parse(from);
    const span = Math.max(1, Date.parse(to) - start);
    return (iso) => left + ((typeof iso === 'number' ? iso : Date.parse(iso)) - start) / span * width;
  }

  // ---- time axis

  const HOUR = 3600000;
  const DAY = 24 * HOUR;
  const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

  /** Ticks at local hour or midnight boundaries, about 70 px apart or more: [{at (ms), label}]. */
  function ticks(from, to, width) {
    const start = Date.parse(from);
    const end = Date.parse(to);
    const span = Math.max(1, end - start);
    const step = STEPS.find((candidate) => candidate / span * width >= 70) || STEPS[STEPS.length - 1];
    const first = new Date(start);
    first.setMinutes(0, 0, 0);
    if (step >= DAY) {
      first.setHours(0);
    } else {
      first.setHours(first.getHours() - (first.getHours() % (step / HOUR)));
    }
    const found = [];
    for (let at = first.getTime(); at <= end; ) {
      if (at >= start) {
        found.push({ at, label: tickLabel(new Date(at), step) });
      }
      // Step by calendar hours and days, so a daylight-saving change keeps ticks on the boundaries.
      const next = new Date(at);
      if (step >= DAY) {
        next.setDate(next.getDate() + step / DAY);
      } else {
        next.setHours(next.getHours() + step / HOUR);
      }
      at = next.getTime();
    }
    return found;
  }

  function tickLabel(date, step) {
    const midnight = date.getHours() === 0 && date.getMinutes() === 0;
    if (step >= DAY || midnight) {
      return date.toLocaleDateString([], step >= DAY ? { day: 'numeric', month: 'short' } : { weekday: 'short', day: 'numeric' });
    }
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  function axis(svg, from, to, left, width, top, gridTop) {
    const x = scale(from, to, left, width);
    for (const tick of ticks(from, to, width)) {
      const at = x(tick.at);
      if (gridTop !== undefined) {
        svg.append(node('line', { class: 'grid', x1: round(at), x2: round(at), y1: gridTop, y2: top }));
      }
      svg.append(node('line', { class: 'tick', x1: round(at), x2: round(at), y1: top, y2: top + 4 }));
      svg.append(text(Math.min(Math.max(at, left + 14), left + width - 14), top + 16, tick.label, { class: 'axis-label', 'text-anchor': 'middle' }));
    }
  }

  // ---- the timeline

  /** The widest a run of narrow intervals is drawn as one: each few pixels show their own main state. */
  const DENSE_CELL = 4;

  /**
   * The states as one bar: one <rect class="seg" data-state data-from data-to> per interval of the route,
   * with the route's own ISO times (never rounded). An interval narrower than a pixel keeps its rect, with
   * class "tiny" and zero width; each run of two or more such neighbours (cut every few pixels) is drawn as
   * one rect.dense over its span, at least a pixel wide, in the colour of the state it spent most time in
   * and hatched (data-count says how many intervals), so a busy hour of a 30-day range shows as "mostly
   * locked, many changes" rather than a pixel of whichever colour came last.
   */

  function timeline({ states, from, to, width }) {
    const height = 34;
    const svg = node('svg', {
      class: 'chart timeline', width, height: height + 22, viewBox: '0 0 ' + width + ' ' + (height + 22),
      role: 'img', focusable: 'false',
    });
    // Texture as well as colour, so neighbours such as locked and unlocked differ without colour vision.
    svg.append(node('defs', {},
      hatch('lp-pattern-unlocked', 'pattern-unlocked', 0),
      hatch('lp-pattern-semi-locked', 'pattern-semi-locked', 90),
      hatch('lp-pattern-offline', 'pattern-offline', 45),
      hatch('lp-pattern-dense', 'pattern-dense', -45)));
    svg.append(node('rect', { class: 'none', x: 0, y: 0, width, height, 'aria-hidden': 'true' }));
    const x = scale(from, to, 0, width);
    // Geometry first: where each interval goes, and which narrow neighbours make a dense run.
    const lefts = new Array(states.length);
    const widths = new Array(states.length);
    const runs = [];
    let run = null;
    states.forEach((interval, index) => {
      const left = Math.max(0, x(interval.from));
      const right = Math.min(width, x(interval.to));
      lefts[index] = left;
      widths[index] = right - left;
      if (right - left >= 1) {
        run = null;
        return;
      }
      if (!run || right - run.left > DENSE_CELL) {
        run = { first: index, last: index, left, right };
        runs.push(run);
      }
      run.last = index;
      run.right = right;
    });
    for (const dense of runs) {
      if (dense.first === dense.last) {
        // One narrow interval between wide ones: drawn a pixel wide in its own colour.
        lefts[dense.first] = Math.min(dense.left, width - 1);
        widths[dense.first] = 1;
      }
    }
    // Then markup, parsed in one go: a month of a busy lock is tens of thousands of rects, which the parser
    // makes several times faster than as many createElementNS and setAttribute calls. Every value is escaped.
    const markup = [];
    states.forEach((interval, index) => {
      const drawn = widths[index] >= 1;
      markup.push('<rect class="seg', drawn ? '' : ' tiny', '" data-kind="', kindOf(interval), '" data-state="', escape(stateKey(interval)),
        '" data-code="', escape(interval.stateCode ?? ''), '" data-connected="', interval.connected !== false,
        '" data-from="', escape(interval.from), '" data-to="', escape(interval.to), '" data-source="', escape(interval.source ?? ''),
        '" x="', round(lefts[index]), '" y="0" width="', drawn ? round(widths[index]) : 0, '" height="', height, '"/>');
    });
    for (const dense of runs.filter((each) => each.last > each.first)) {
      // In the colour of the state the run spent most time in, hatched: "mostly locked, many changes".
      const geometry = '" x="' + round(Math.min(dense.left, width - 1)) + '" y="0" width="' + round(Math.max(1, dense.right - dense.left))
        + '" height="' + height + '"/>';
      markup.push('<rect class="dense-base" aria-hidden="true" data-kind="', dominantKind(states.slice(dense.first, dense.last + 1)), geometry,
        '<rect class="dense" aria-hidden="true" data-count="', dense.last - dense.first + 1,
        '" data-from="', escape(states[dense.first].from), '" data-to="', escape(states[dense.last].to), geometry);
    }
    svg.insertAdjacentHTML('beforeend', markup.join(''));
    svg.append(node('line', { class: 'baseline', x1: 0, x2: width, y1: height + 0.5, y2: height + 0.5 }));
    axis(svg, from, to, 0, width, height);
    return { svg, dense: runs.some((dense) => dense.last > dense.first) };
  }

  /** Stripes 6 px apart at that angle, coloured by lock-page.css through the pattern's class. */
  function hatch(id, kind, angle) {
    return node('pattern', { id, class: kind, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(' + angle + ')' },
      node('rect', { class: 'hatch-bg', width: 6, height: 6 }),
      node('line', { class: 'hatch-line', x1: 3, y1: 0, x2: 3, y2: 6 }));
  }

  function dominantKind(states) {
    let best = null;
    for (const [kind, ms] of shares(states)) {
      if (!best || ms > best.ms) {
        best = { kind, ms };
      }
    }
    return best ? best.kind : 'unknown';
  }

  /** Time per kind of state, in ms. */
  function shares(states) {
    const time = new Map();
    for (const interval of states) {
      const kind = kindOf(interval);
      time.set(kind, (time.get(kind) || 0) + Math.max(0, Date.parse(interval.to) - Date.parse(interval.from)));
    }
    return time;
  }

  // ---- battery

  /**
   * The battery level as steps (a level holds until the next reading) in an <svg> with a 0-100 % axis;
   * the path's data-levels lists the levels drawn, in order, for tests. Null when there is no reading.
   */
  function battery({ readings, from, to, width, lowBelow }) {
    if (!readings.length) {
      return null;
    }
    const left = 40;
    const right = 10;
    const top = 8;
    const plot = 96;
    const svg = node('svg', {
      class: 'chart battery', width, height: top + plot + 24, viewBox: '0 0 ' + width + ' ' + (top + plot + 24),
      role: 'img', focusable: 'false',
    });
    const plotWidth = Math.max(10, width - left - right);
    const y = (level) => top + plot - Math.max(0, Math.min(100, level)) / 100 * plot;
    for (const level of [0, 25, 50, 75, 100]) {
      svg.append(node('line', { class: level === 0 ? 'baseline' : 'grid', x1: left, x2: left + plotWidth, y1: round(y(level)), y2: round(y(level)) }));
      if (level % 50 === 0) {
        svg.append(text(left - 6, y(level) + 4, level + ' %', { class: 'axis-label', 'text-anchor': 'end' }));
      }
    }
    if (lowBelow) {
      svg.append(node('line', { class: 'low-line', x1: left, x2: left + plotWidth, y1: round(y(lowBelow)), y2: round(y(lowBelow)) }));
    }
    const x = scale(from, to, left, plotWidth);
    let path = '';
    readings.forEach((reading, index) => {
      const at = round(Math.max(left, x(reading.at)));
      const level = round(y(reading.level));
      path += index === 0 ? 'M' + at + ' ' + level : 'H' + at + 'V' + level;
    });
    path += 'H' + round(left + plotWidth);
    svg.append(node('path', { class: 'level-line', d: path, 'data-levels': readings.map((reading) => reading.level).join(' ') }));
    for (const reading of readings) {
      svg.append(node('circle', { class: 'reading', cx: round(Math.max(left, x(reading.at))), cy: round(y(reading.level)), r: 2.5,
        'data-at': reading.at, 'data-level': reading.level }));
    }
    axis(svg, from, to, left, plotWidth, top + plot, top);
    return svg;
  }

  // ---- door

  /**
   * The openings: readings whose state is OPENED and which are a change (the first reading, the state in
   * effect at the start of the range, is not an opening in the range unless it happened after it).
   */
  function openings(readings, from) {
    const start = Date.parse(from);
    return readings.filter((reading, index) => reading.state === 'OPENED'
      && (index > 0 ? readings[index - 1].state !== 'OPENED' : Date.parse(reading.at) > start));
  }

  /** A strip with the time the door was open shaded and a mark at each opening (path.door-mark data-at). */
  function doors({ readings, from, to, width }) {
    if (!readings.length) {
      return null;
    }
    const height = 22;
    const svg = node('svg', {
      class: 'chart doors', width, height: height + 22, viewBox: '0 0 ' + width + ' ' + (height + 22), role: 'img', focusable: 'false',
    });
    svg.append(node('rect', { class: 'none', x: 0, y: 0, width, height, 'aria-hidden': 'true' }));
    const x = scale(from, to, 0, width);
    readings.forEach((reading, index) => {
      if (reading.state !== 'OPENED') return;
      const left = Math.max(0, x(reading.at));
      const end = index + 1 < readings.length ? readings[index + 1].at : to;
      svg.append(node('rect', { class: 'door-open', x: round(left), y: 4, width: round(Math.max(1, Math.min(width, x(end)) - left)), height: height - 8 }));
    });
    for (const opening of openings(readings, from)) {
      const at = round(Math.max(0, Math.min(width, x(opening.at))));
      svg.append(node('path', { class: 'door-mark', d: 'M' + (at - 5) + ' 0H' + (at + 5) + 'L' + at + ' 8Z', 'data-at': opening.at }));
    }
    svg.append(node('line', { class: 'baseline', x1: 0, x2: width, y1: height + 0.5, y2: height + 0.5 }));
    axis(svg, from, to, 0, width, height);
    return svg;
  }

  /** A small swatch for the legend, with the timeline's colour class. */
  function swatch(kind) {
    const svg = node('svg', { class: 'swatch', width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true', focusable: 'false' });
    if (kind === 'dense') {
      svg.append(node('rect', { class: 'dense-base', 'data-kind': 'locked', x: 0.5, y: 0.5, width: 13, height: 13, rx: 2 }),
        node('rect', { class: 'dense', x: 0.5, y: 0.5, width: 13, height: 13, rx: 2 }));
    } else {
      svg.append(node('rect', { class: 'seg', 'data-kind': kind, x: 0.5, y: 0.5, width: 13, height: 13, rx: 2 }));
    }
    return svg;
  }

  window.tedeeCharts = { timeline, battery, doors, openings, shares, kindOf, stateKey, swatch, ticks, KIND_NAMES, KIND_ORDER };
})();
