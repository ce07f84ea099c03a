/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-memory"

#include "config.h"

#include <stdlib.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "epsimo-memory.h"

/* What the window's building and first frame take from the heap, touched in advance. */
#define PREFAULT_BYTES (16 * 1024 * 1024)

/* Touches each page of a block of the main thread's heap, then frees it: the page faults of
 * the heap growing are taken on another core while the main thread starts GTK. */
static gpointer
touch_pages_thread (gpointer data)
{
  volatile char *block = data;
  long page = sysconf (_SC_PAGESIZE);

  for (gsize offset = 0; offset < PREFAULT_BYTES; offset += (gsize) page)
    block[offset] = 0;
  free (data);
  return NULL;
}

/* Memory freed is kept for what comes next. Each frame is painted into a new image of the
 * part of the window that changed (a megabyte or more while a reply streams in). By default
 * glibc gives large freed blocks and the free top of its heap back to the system, and the
 * next image was then made of fresh pages, one page fault per 4 KiB: 2 to 3 ms in the first
 * frames of a reply (profiled), where the worst frame of a stream usually was. Blocks below
 * 32 MiB now come from the heap, which is trimmed only beyond 64 MiB free (the thresholds
 * glibc itself adopts after freeing such a block).
 *
 * And the heap's first pages are faulted in ahead. Building the window and painting its
 * first frame grow the heap page by page, a page fault each 4 KiB (a fifth of the window's
 * building in profiles of start-up). A block is taken from the main thread's heap before
 * GTK's start-up (150 ms of the main thread's time), and a worker touches its pages and
 * frees it: the heap keeps them, and what the main thread allocates next is made of them.
 * Paired launches, 20 rounds: 16 MiB took 24 ms off the start-up (median), 8 MiB 19 ms and
 * 24 MiB as much as 16; a block of 32 MiB or more is mapped apart and given back when freed,
 * its faults only competing with the start-up (50 ms longer). The peak RSS did not move.
 */
void
epsimo_memory_prepare (void)
{
#ifdef __GLIBC__
  static gboolean prepared;
  void *block;

  if (prepared)
    return;
  prepared = TRUE;
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);

  block = malloc (PREFAULT_BYTES);
  if (block != NULL)
    {
      GThread *thread = g_thread_try_new ("epsimo-prefault", touch_pages_thread, block, NULL);

      /* Without the thread, the block is simply given back (nothing is faulted in). */
      if (thread != NULL)
        g_thread_unref (thread);
      else
        free (block);
    }
#endif
}
