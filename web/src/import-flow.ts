import { computed, ref } from 'vue';
import { ElMessage, type UploadInstance } from 'element-plus';
import { ApiError, uploadError } from './api/http';
import { commitImport, type ImportCheck } from './api/schedule';
import { errorText, notifyError } from './errors';

/**
 * What every Excel import screen does (docs/domain.md, imports): the upload the
 * service checks without saving, its errors, and the commit, which saves all
 * rows or none and may be refused row by row (422) when things changed since.
 * `done` tells of a commit that went through, with what it saved.
 */
export function useImportFlow<V>(done: (check: ImportCheck<V>) => void) {
  const uploader = ref<UploadInstance>();
  const checked = ref<ImportCheck<V>>();
  const commitErrors = ref<{ row: string; message: string }[]>([]);
  const committing = ref(false);

  const errors = computed(() => checked.value?.errors ?? []);
  const applied = computed(() => checked.value?.state === 'applied');

  function uploaded(response: { import: ImportCheck<V> }) {
    checked.value = response.import;
    commitErrors.value = [];
    uploader.value?.clearFiles();
  }

  function failed(failure: Error) {
    uploader.value?.clearFiles();
    const error = uploadError(failure as Error & { status?: number });
    if (error.status !== 401) ElMessage.error({ message: errorText(error), duration: 6000 });
  }

  async function commit() {
    if (!checked.value) return;
    committing.value = true;
    commitErrors.value = [];
    try {
      checked.value = await commitImport<V>(checked.value.id);
      done(checked.value);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.problem.errors?.length) commitErrors.value = e.problem.errors.map((x) => ({ row: x.path, message: x.message }));
      else notifyError(e);
    } finally {
      committing.value = false;
    }
  }

  return { uploader, checked, commitErrors, committing, errors, applied, uploaded, failed, commit };
}
