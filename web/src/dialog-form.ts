import { reactive, ref, watch, type Ref } from 'vue';
import { fieldErrorsOf, notifyError } from './errors';

/**
 * What every small form in a dialog does: it opens clean, says nothing about a
 * field until the user first tries to send, then shows what the core's checks
 * (`problems`, by field path) and afterwards the API say beside each field;
 * any other failure is told as a message. `submit` sends once the form
 * passes, one request at a time, and closes the dialog when it went through.
 *
 * `open`: a dialog component its parent opens (`v-model`) passes its model, and
 * the form starts clean each time it opens. `fieldPrefix`: what the API puts
 * before the form's field paths (`data.` for the body of an event).
 */
export function useDialogForm(problems: () => Record<string, string>, options: { open?: Ref<boolean>; fieldPrefix?: string } = {}) {
  const open = options.open ?? ref(false);
  const tried = ref(false);
  const saving = ref(false);
  const serverErrors = ref<Record<string, string>>({});

  const errorFor = (path: string) => serverErrors.value[path] ?? (tried.value ? problems()[path] : undefined) ?? '';

  /** Says nothing again until the user next tries to send. */
  function reset() {
    tried.value = false;
    serverErrors.value = {};
  }

  /** Opens the dialog with nothing said yet; `fill` sets the draft first. */
  function start(fill?: () => void) {
    fill?.();
    reset();
    open.value = true;
  }

  if (options.open) watch(open, (isOpen) => isOpen && reset());

  /**
   * Sends when the form passes; true when it went through (the dialog then closes).
   * `failed` hears of every failure once it is shown, e.g. to reload after a conflict.
   */
  async function submit(send: () => Promise<unknown>, failed?: (error: unknown) => void): Promise<boolean> {
    if (saving.value) return false;
    tried.value = true;
    serverErrors.value = {};
    if (Object.keys(problems()).length) return false;
    saving.value = true;
    try {
      await send();
      open.value = false;
      return true;
    } catch (error) {
      const fields = fieldErrorsOf(error, options.fieldPrefix);
      if (fields) serverErrors.value = fields;
      else notifyError(error);
      failed?.(error);
      return false;
    } finally {
      saving.value = false;
    }
  }

  // Reactive, so a template reads and sets `form.open` as it would a plain value.
  return reactive({ open, saving, serverErrors, errorFor, reset, start, submit });
}
