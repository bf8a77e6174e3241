// The top bar: the account menu closes on a click elsewhere or Escape, and the links say when
// there are more of them than the bar shows (a fade at the edge, as on phones).
(function () {
  var account = document.querySelector('.topbar .account');
  if (account) {
    document.addEventListener('click', function (e) { if (!account.contains(e.target)) account.open = false; });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && account.open) { account.open = false; account.querySelector('summary').focus(); }
    });
  }
  var nav = document.querySelector('.topbar nav');
  if (!nav) return;
  function mark() {
    var more = nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1;
    nav.classList.toggle('has-more', more);
  }
  mark();
  window.addEventListener('resize', mark);
  nav.addEventListener('scroll', mark, { passive: true });
})();
