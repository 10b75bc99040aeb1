import { useMediaQuery } from '@vueuse/core';

/** A phone held upright (390 px and the like): lists become cards, tables become stacked entries. */
export const usePhone = () => useMediaQuery('(max-width: 600px)');
