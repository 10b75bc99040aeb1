import { ref, shallowRef, type Ref } from 'vue';

/** A page's data with its loading and error states; `reload` asks again. */
export function useLoader<T>(load: () => Promise<T>) {
  const data = shallowRef<T>() as Ref<T | undefined>;
  const loading = ref(true);
  const error = shallowRef<unknown>();
  async function reload(quiet = false) {
    if (!quiet) loading.value = true;
    try {
      data.value = await load();
      error.value = undefined;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  void reload();
  return { data, loading, error, reload };
}
