import { handleError } from '$lib/api/errors';
import type { Wizard } from './wizard.svelte';
import { previewAudience } from './wizard-api';

/**
 * Runs `audiences.preview` for the wizard's current input shortly after it changes; only the newest answer is
 * kept. The filters step and the review step each have one, so Review shows what the create will save (with
 * the dates and the control group the filters step does not know yet).
 */
export class PreviewRunner {
  #runId = 0;

  constructor(
    private readonly failure: () => string,
    private readonly onAnswer: () => void = () => {},
  ) {}

  /** Schedules a preview of the wizard's input after `delayMs`; returns the cancel for an $effect's cleanup. */
  schedule(wizard: Wizard, delayMs: number): () => void {
    const id = ++this.#runId;
    const input = wizard.previewInput;
    const timer = setTimeout(async () => {
      wizard.previewing = true;
      try {
        const result = await previewAudience(input);
        if (id === this.#runId) {
          wizard.preview = result;
          this.onAnswer();
        }
      } catch (error) {
        if (id === this.#runId) handleError(error, this.failure());
      } finally {
        if (id === this.#runId) wizard.previewing = false;
      }
    }, delayMs);
    return () => clearTimeout(timer);
  }
}
