import { computed, type ComputedRef } from 'vue';
import { useData } from 'vitepress';
import { lessonKey } from '../../../src/exercises/index';

/**
 * The current page's lesson key ('lessons/06-boxes-iou-nms'), or null on a
 * page that is not a lesson (the authoring guide's examples are not progress).
 */
export function useLessonKey(): ComputedRef<string | null> {
  const { page } = useData();
  return computed(() => {
    const rp = page.value.relativePath;
    return rp.startsWith('lessons/') ? lessonKey(rp) : null;
  });
}
