/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-bench-stream-api"

#include "config.h"

#include <stdio.h>

#include "api/epsimo-auth-service.h"
#include "api/epsimo-client.h"
#include "api/epsimo-runs-service.h"
#include "epsimo-bench-common.h"

/* The streaming baseline of build-aux/bench: libepsimo-api alone, no GTK, consuming the
 * same run stream the app shows (EpsimoRunsService and EpsimoRunStream, the text of every
 * delta kept as the app keeps it), on the same main loop kind.
 *
 *   epsimo-bench-stream-api URL EMAIL PASSWORD PROJECT THREAD ASSISTANT
 *
 * The reply's size and pieces are set on the server before (its next-reply control).
 * Prints one line of JSON: CPU seconds from sending the message to DONE, wall seconds, the
 * bytes of text received and the longest main-loop iteration. */

typedef struct
{
  GAsyncResult    *result;
  EpsimoRunStream *stream;
  GString         *text;
  gboolean         done;
  gboolean         complete;
  char            *error;
} Run;

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  run->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Run *run)
{
  while (run->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return run->result;
}

static void
on_event (EpsimoRunStream *stream,
          EpsimoRunEvent  *event,
          Run             *run)
{
  switch (event->kind)
    {
    case EPSIMO_RUN_EVENT_TEXT_DELTA:
      g_string_append (run->text, event->text);
      break;

    case EPSIMO_RUN_EVENT_DONE:
      run->done = TRUE;
      run->complete = TRUE;
      break;

    case EPSIMO_RUN_EVENT_ERROR:
      run->done = TRUE;
      run->error = g_strdup (event->error_message);
      break;

    default:
      break;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  g_autoptr(EpsimoRunsService) runs = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoBenchStalls *stalls;
  Run run = { 0 };
  double cpu_start, cpu_end;
  gint64 t_start, t_end;

  if (argc != 7)
    epsimo_bench_fail ("usage: epsimo-bench-stream-api URL EMAIL PASSWORD PROJECT THREAD "
                       "ASSISTANT");

  client = epsimo_client_new (argv[1], &error);
  if (client == NULL)
    epsimo_bench_fail ("%s", error->message);
  auth = epsimo_auth_service_new (client);
  runs = epsimo_runs_service_new (client);

  epsimo_auth_service_sign_in_async (auth, argv[2], argv[3], NULL, on_result, &run);
  if (!epsimo_auth_service_sign_in_finish (auth, wait_result (&run), &error))
    epsimo_bench_fail ("sign-in: %s", error->message);
  g_clear_object (&run.result);
  epsimo_auth_service_ensure_dialect_async (auth, NULL, on_result, &run);
  if (epsimo_auth_service_ensure_dialect_finish (auth, wait_result (&run), &error)
      == EPSIMO_DIALECT_UNKNOWN)
    epsimo_bench_fail ("dialect: %s", error->message);
  g_clear_object (&run.result);

  stalls = epsimo_bench_stalls_monitor (TRUE);
  run.text = g_string_new (NULL);
  cpu_start = epsimo_bench_cpu_seconds ();
  t_start = g_get_monotonic_time ();

  epsimo_runs_service_start_async (runs, argv[4], argv[5], argv[6],
                                   "Benchmark: stream a long reply", NULL, on_result, &run);
  run.stream = epsimo_runs_service_start_finish (runs, wait_result (&run), &error);
  if (run.stream == NULL)
    epsimo_bench_fail ("start: %s", error->message);
  g_signal_connect (run.stream, "event", G_CALLBACK (on_event), &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  t_end = g_get_monotonic_time ();
  cpu_end = epsimo_bench_cpu_seconds ();
  epsimo_bench_stalls_monitor (FALSE);

  printf ("{\"cpu_s\": %.3f, \"wall_s\": %.3f, \"text_bytes\": %zu, \"complete\": %s, "
          "\"max_stall_ms\": %.2f, \"max_stall_cpu_ms\": %.2f}\n",
          cpu_end - cpu_start, (t_end - t_start) / 1e6, run.text->len,
          run.complete ? "true" : "false", epsimo_bench_maximum (stalls->wall_ms),
          epsimo_bench_maximum (stalls->cpu_ms));
  if (run.error != NULL)
    fprintf (stderr, "error: %s\n", run.error);

  g_object_unref (run.result);
  g_object_unref (run.stream);
  g_string_free (run.text, TRUE);
  g_free (run.error);
  return run.complete ? 0 : 1;
}
