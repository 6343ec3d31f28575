/**
 * Counts event-loop turns (one setImmediate per turn) until stopped: tests read `turn` when a slice of work runs,
 * to show each slice got a turn of its own.
 */
export function countTurns(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let spinning = true;
  const spin = () => {
    turn++;
    if (spinning) setImmediate(spin);
  };
  setImmediate(spin);
  return {
    get turn() {
      return turn;
    },
    stop() {
      spinning = false;
    },
  };
}
