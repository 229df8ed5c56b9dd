package dev.braid.plan;

import java.util.Arrays;

/** A binary min-heap of ints without boxing: the scheduler's ready queue holds task positions. */
final class IntHeap {

  private int[] items;
  private int size;

  IntHeap(int capacity) {
    items = new int[Math.max(16, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The smallest item; the heap must not be empty. */
  int peek() {
    return items[0];
  }

  void add(int value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (items[parent] <= value) {
        break;
      }
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  /** Removes and returns the smallest item; the heap must not be empty. */
  int poll() {
    int top = items[0];
    int last = items[--size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && items[child + 1] < items[child]) {
        child++;
      }
      if (items[child] >= last) {
        break;
      }
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
