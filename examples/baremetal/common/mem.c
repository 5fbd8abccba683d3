/* The three libc functions an object emitted by edge-aotc may call. Compile
 * with -fno-builtin -fno-tree-loop-distribute-patterns, or GCC turns these
 * loops back into calls to memset/memcpy, i.e. into themselves. Simple byte
 * loops with a word-at-a-time fast path: the model does its heavy lifting
 * itself, these only copy or clear whole tensors. */
#include <stddef.h>
#include <stdint.h>

typedef uint64_t __attribute__((may_alias)) word_t;

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n && ((uintptr_t)d & 7)) {
    *d++ = (unsigned char)c;
    --n;
  }
  word_t w = (unsigned char)c * 0x0101010101010101ull;
  for (; n >= 8; n -= 8, d += 8)
    *(word_t *)d = w;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
}

/* Forward copy, also right for overlapping buffers when dst < src. */
static void *copy_forward(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
    while (n && ((uintptr_t)d & 7)) {
      *d++ = *s++;
      --n;
    }
    for (; n >= 8; n -= 8, d += 8, s += 8)
      *(word_t *)d = *(const word_t *)s;
  }
  while (n--)
    *d++ = *s++;
  return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  return copy_forward(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0)
    return dst;
  if ((uintptr_t)d - (uintptr_t)s >= n) /* no harmful overlap: copy forward */
    return copy_forward(dst, src, n);
  /* d lies inside [s, s + n): copy backward. */
  d += n;
  s += n;
  if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
    while (n && ((uintptr_t)d & 7)) {
      *--d = *--s;
      --n;
    }
    for (; n >= 8; n -= 8) {
      d -= 8;
      s -= 8;
      *(word_t *)d = *(const word_t *)s;
    }
  }
  while (n--)
    *--d = *--s;
  return dst;
}
