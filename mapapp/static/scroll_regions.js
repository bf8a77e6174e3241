// A table wider than the screen scrolls inside itself (phones, progress.css): it then takes keyboard focus,
// so it can be scrolled with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable). Only tables
// that do scroll become a Tab stop, and again none when the screen grows.
(function () {
  function mark() {
    document.querySelectorAll('table').forEach(function (table) {
      var scrolls = getComputedStyle(table).overflowX !== 'visible' && table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute('tabindex')) {
        table.setAttribute('tabindex', '0');
        table.dataset.scrollFocus = '1';
      } else if (!scrolls && table.dataset.scrollFocus) {
        table.removeAttribute('tabindex');
        delete table.dataset.scrollFocus;
      }
    });
  }
  mark();
  window.addEventListener('resize', mark);
})();
