import { ref } from 'vue';
import { fetchFile } from './api/http';
import { notifyError } from './errors';

/**
 * What a button does when it may take a while: `busy` while it runs (the
 * button shows its spinner and is disabled), a second click meanwhile does
 * nothing, and a failure is told to the user unless the action handles it.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const busy = ref(false);
  async function run(...args: A): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    try {
      await action(...args);
    } catch (error) {
      notifyError(error);
    } finally {
      busy.value = false;
    }
  }
  return { busy, run };
}

/**
 * Saves a file the API makes under the name it gives. Fetched rather than
 * linked, so the page knows when it is ready and can show it is on its way.
 */
export async function saveFile(url: string): Promise<void> {
  const { blob, name } = await fetchFile(url);
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  // The browser has started saving by now; the address is released a little later.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
