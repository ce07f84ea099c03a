/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What both benchmark programs measure the same way (GLib only: the API-only baseline stays
 * free of GTK). */

/* Prints "PROGRAM: message" and exits with 1. */
void    epsimo_bench_fail          (const char *format,
                                    ...) G_GNUC_NORETURN G_GNUC_PRINTF (1, 2);
/* CPU time of the whole process (user and system), in seconds. */
double  epsimo_bench_cpu_seconds   (void);
/* CPU time of the calling thread, in microseconds. */
gint64  epsimo_bench_thread_cpu_us (void);
/* The largest of @values (doubles), 0 when empty. */
double  epsimo_bench_maximum       (GArray     *values);

/* Main-loop iterations of the default context, timed between two of its polls, on the wall
 * clock and in CPU time of the main thread (on a shared machine the first also counts the
 * time other processes held the CPU; the second is the work the iteration did). */
typedef struct
{
  GArray  *wall_ms;        /* double, each iteration while monitoring */
  GArray  *cpu_ms;         /* double, the same iterations */
  guint    long_framed;    /* iterations of more than 16 ms of CPU that drew a frame */
  guint    long_unframed;  /* ... that did not */
  GString *long_list;      /* "[seconds in, CPU ms, framed]" of each long one */
} EpsimoBenchStalls;

/* Starts (clearing what was measured) or stops timing; returns the figures. */
EpsimoBenchStalls *epsimo_bench_stalls_monitor     (gboolean on);
/* Tells the monitor the iteration running draws a frame; returns TRUE the first time in an
 * iteration, with the main thread's CPU time when the iteration began in @start_cpu_us. */
gboolean           epsimo_bench_stalls_mark_framed (gint64  *start_cpu_us);

G_END_DECLS
