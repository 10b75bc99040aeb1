import { computed, ref, type Ref } from 'vue';
import { ElMessage, type UploadFile, type UploadInstance } from 'element-plus';
import { ApiError, uploadError } from './api/http';
import { checkMappedImport, commitImport, importColumns, type ColumnMapping, type ImportCheck, type ImportColumns, type ImportKindName } from './api/schedule';
import { errorText, notifyError } from './errors';

/**
 * What every Excel import screen does (docs/domain.md, imports): the upload the
 * service checks without saving, its errors, and the commit, which saves all
 * rows or none and may be refused row by row (422) when things changed since.
 * `done` tells of a commit that went through, with what it saved.
 *
 * A workbook not laid out like the template (a bureau's own ledger) comes back
 * with `needsMapping`: the screen then asks for the ledger's columns, with the
 * service's suggestion, and checks the same file through that mapping
 * (docs/domain.md, "Importing from a ledger").
 */
/** A flow's mapping step, as ImportMapping.vue shows and drives it. */
export interface MappingStep {
  /** The ledger being mapped and what the service said of its columns. */
  current: Ref<{ file: File; columns: ImportColumns; errors: string[]; busy: boolean } | undefined>;
  chooseHeaderRows(headerRows: Record<string, number>): Promise<void>;
  check(chosen: ColumnMapping): Promise<void>;
  cancel(): void;
}

export function useImportFlow<V>(kind: ImportKindName, done: (check: ImportCheck<V>) => void) {
  const uploader = ref<UploadInstance>();
  const checked = ref<ImportCheck<V>>();
  const commitErrors = ref<{ row: string; message: string }[]>([]);
  const committing = ref(false);
  const mapping: MappingStep['current'] = ref();
  /** The ledger last checked through a mapping, so staff can go back and map it otherwise. */
  const mappedFile = ref<File>();

  const errors = computed(() => checked.value?.errors ?? []);
  const applied = computed(() => checked.value?.state === 'applied');

  async function uploaded(response: { import: ImportCheck<V> }, upload?: UploadFile) {
    uploader.value?.clearFiles();
    commitErrors.value = [];
    mapping.value = undefined;
    mappedFile.value = undefined;
    if (response.import.needsMapping && upload?.raw) await startMapping(upload.raw);
    else checked.value = response.import;
  }

  /** The mapping step for a ledger, pre-filled with the service's suggestion. */
  async function startMapping(file: File) {
    checked.value = undefined;
    try {
      mapping.value = { file, columns: await importColumns(kind, file), errors: [], busy: false };
    } catch (e) {
      notifyError(e);
    }
  }

  function failed(failure: Error) {
    uploader.value?.clearFiles();
    const error = uploadError(failure as Error & { status?: number });
    if (error.status !== 401) ElMessage.error({ message: errorText(error), duration: 6000 });
  }

  /** Reads the ledger's headers again from the rows staff chose. */
  async function chooseHeaderRows(headerRows: Record<string, number>) {
    const current = mapping.value;
    if (!current) return;
    current.busy = true;
    try {
      current.columns = await importColumns(kind, current.file, headerRows);
      current.errors = [];
    } catch (e) {
      notifyError(e);
    } finally {
      current.busy = false;
    }
  }

  /** Checks the ledger through the mapping; a mapping the service refuses stays on screen with its reasons. */
  async function checkMapped(chosen: ColumnMapping) {
    const current = mapping.value;
    if (!current) return;
    current.busy = true;
    current.errors = [];
    try {
      checked.value = await checkMappedImport<V>(kind, current.file, chosen);
      mappedFile.value = current.file;
      mapping.value = undefined;
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.problem.errors?.length) current.errors = e.problem.errors.map((x) => x.message);
      else notifyError(e);
    } finally {
      current.busy = false;
    }
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

  /** Back to the mapping step for the ledger just checked (the mapping used is what the service now suggests). */
  const remap = () => mappedFile.value && startMapping(mappedFile.value);

  const mappingStep: MappingStep = { current: mapping, chooseHeaderRows, check: checkMapped, cancel: () => (mapping.value = undefined) };
  return { uploader, checked, commitErrors, committing, errors, applied, mappingStep, mappedFile, uploaded, failed, commit, remap };
}
