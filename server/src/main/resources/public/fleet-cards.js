// The tedee-sync dashboard: the fleet as cards, added in chunks as the list scrolls into sight
// (an IntersectionObserver watches a marker after the last card), so 5,000 locks cost 48 cards at first.
'use strict';

(() => {
  const app = window.tedeeSync;
  const { $ } = app;
  const CHUNK = 48;

  const list = $('#fleet-cards');
  const more = $('#fleet-cards-more');

  const state = {
    serials: [],
    shown: 0,                  // cards drawn: the first `shown` of serials
    drawn: new Map(),          // serial -> <li>
  };

  function card(serial) {
    let node = state.drawn.get(serial);
    if (!node) {
      node = app.lockCard(app.model.lock(serial));
      state.drawn.set(serial, node);
    }
    return node;
  }

  /** Makes the list show the first `shown` cards of serials, moving, adding and removing as few as it can. */
  function reconcile() {
    const focus = app.rememberFocus(list);
    const wanted = state.serials.slice(0, state.shown);
    const keep = new Set(wanted);
    for (const [serial, node] of state.drawn) {
      if (!keep.has(serial)) {
        node.remove();
        state.drawn.delete(serial);
      }
    }
    wanted.forEach((serial, index) => {
      const node = card(serial);
      if (list.children[index] !== node) {
        list.insertBefore(node, list.children[index] || null);
      }
    });
    while (list.children.length > wanted.length) {
      list.lastElementChild.remove();
    }
    more.hidden = state.shown >= state.serials.length;
    app.restoreFocus(focus, list.closest('[tabindex]'));
  }

  function addChunk() {
    if (list.hidden || state.shown >= state.serials.length) {
      return;
    }
    state.shown = Math.min(state.serials.length, state.shown + CHUNK);
    reconcile();
    // The observer speaks only when the marker enters or leaves; if it is still in sight, look again.
    watcher.unobserve(more);
    watcher.observe(more);
  }

  const watcher = new IntersectionObserver((seen) => {
    if (seen.some((entry) => entry.isIntersecting)) {
      addChunk();
    }
  }, { rootMargin: '600px 0px' });
  watcher.observe(more);

  app.cards = {
    show(serials) {
      state.serials = serials;
      state.shown = Math.min(serials.length, CHUNK);
      reconcile();
      watcher.unobserve(more);
      watcher.observe(more);
    },
    update(serials, changed) {
      state.serials = serials;
      state.shown = Math.min(serials.length, Math.max(CHUNK, state.shown));
      changed.forEach((serial) => {
        const node = state.drawn.get(serial);
        const lock = app.model.lock(serial);
        if (node && lock) {
          const focus = app.rememberFocus(node);
          const fresh = app.lockCard(lock);
          node.replaceWith(fresh);
          state.drawn.set(serial, fresh);
          app.restoreFocus(focus);
        }
      });
      reconcile();
    },
    redrawAll() {
      state.drawn.forEach((node) => node.remove());
      state.drawn = new Map();
      reconcile();
    },
    element: (serial) => state.drawn.get(serial) || null,
    indexOf: (serial) => state.serials.indexOf(serial),
    /** Draws cards up to the one at index; its <li>. */
    reveal(index) {
      if (index >= state.shown) {
        state.shown = Math.min(state.serials.length, index + 1);
        reconcile();
      }
      return state.drawn.get(state.serials[index]);
    },
    clear() {
      state.serials = [];
      state.shown = 0;
      state.drawn = new Map();
      list.replaceChildren();
    },
  };
})();
