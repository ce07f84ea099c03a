/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "epsimo-bench-common.h"

void
epsimo_bench_fail (const char *format,
                   ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "%s: ", g_get_prgname ());
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

double
epsimo_bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

gint64
epsimo_bench_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

double
epsimo_bench_maximum (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

/* ---- main-loop iterations ---------------------------------------------------------------- */

static EpsimoBenchStalls stalls;
static GPollFunc default_poll;
static gboolean monitoring;
static gboolean iteration_framed;
static gint64 monitor_start;
static gint64 last_poll_exit;
static gint64 last_poll_exit_cpu;

static gint
monitored_poll (GPollFD *fds,
                guint    nfds,
                gint     timeout)
{
  gint result;

  if (monitoring && last_poll_exit != 0)
    {
      double ms = (g_get_monotonic_time () - last_poll_exit) / 1000.0;
      double cpu_ms = (epsimo_bench_thread_cpu_us () - last_poll_exit_cpu) / 1000.0;

      g_array_append_val (stalls.wall_ms, ms);
      g_array_append_val (stalls.cpu_ms, cpu_ms);
      if (cpu_ms > 16.0)
        {
          if (iteration_framed)
            stalls.long_framed++;
          else
            stalls.long_unframed++;
          if (stalls.long_list->len < 2000)
            g_string_append_printf (stalls.long_list, "%s[%.2f, %.2f, %d]",
                                    stalls.long_list->len > 0 ? ", " : "",
                                    (last_poll_exit - monitor_start) / 1e6, cpu_ms,
                                    iteration_framed);
        }
    }
  iteration_framed = FALSE;
  result = default_poll (fds, nfds, timeout);
  last_poll_exit = g_get_monotonic_time ();
  last_poll_exit_cpu = epsimo_bench_thread_cpu_us ();
  return result;
}

EpsimoBenchStalls *
epsimo_bench_stalls_monitor (gboolean on)
{
  if (stalls.wall_ms == NULL)
    {
      stalls.wall_ms = g_array_new (FALSE, FALSE, sizeof (double));
      stalls.cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
      stalls.long_list = g_string_new (NULL);
      default_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, monitored_poll);
    }
  if (on)
    {
      g_array_set_size (stalls.wall_ms, 0);
      g_array_set_size (stalls.cpu_ms, 0);
      stalls.long_framed = stalls.long_unframed = 0;
      g_string_truncate (stalls.long_list, 0);
      monitor_start = g_get_monotonic_time ();
    }
  monitoring = on;
  return &stalls;
}

gboolean
epsimo_bench_stalls_mark_framed (gint64 *start_cpu_us)
{
  if (iteration_framed)
    return FALSE;
  iteration_framed = TRUE;
  *start_cpu_us = last_poll_exit_cpu;
  return TRUE;
}
