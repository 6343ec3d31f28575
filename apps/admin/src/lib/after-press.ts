// A field loses the focus at the press of whatever is clicked next (the mousedown moves the focus), before the
// release. Anything its blur handler adds to the page (a field's message) moves the page under the pointer while
// the button is still down, and the release then lands beside the button: the click is lost. Such work waits until
// the press is over and its click has run.

let pressed = false;
if (typeof window !== 'undefined') {
  const release = () => {
    pressed = false;
  };
  window.addEventListener('pointerdown', () => (pressed = true), true);
  window.addEventListener('pointerup', release, true);
  window.addEventListener('pointercancel', release, true);
}

/** Runs `action` now, or, while a mouse button or finger is down, once it is released and its click handled. */
export function afterPress(action: () => void): void {
  if (!pressed) {
    action();
    return;
  }
  const onRelease = () => {
    window.removeEventListener('pointerup', onRelease, true);
    window.removeEventListener('pointercancel', onRelease, true);
    // The click is dispatched right after the pointerup, in the same task: a timeout runs after it.
    setTimeout(action, 0);
  };
  window.addEventListener('pointerup', onRelease, true);
  window.addEventListener('pointercancel', onRelease, true);
}
