/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-bench-stream-api"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libsoup/soup.h>

#include "api/epsimo-auth-service.h"
#include "api/epsimo-client.h"
#include "api/epsimo-runs-service.h"

/* The streaming baseline of build-aux/bench: libepsimo-api alone, no GTK, consuming the
 * same run stream the app shows (EpsimoRunsService and EpsimoRunStream, the text of every
 * delta kept as the app keeps it), on the same main loop kind.
 *
 *   epsimo-bench-stream-api URL EMAIL PASSWORD PROJECT THREAD ASSISTANT BYTES PIECES
 *
 * Prints one line of JSON: CPU seconds from sending the message to DONE, wall seconds, the
 * bytes of text received and the longest main-loop iteration. */

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("epsimo-bench-stream-api: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* The longest stretch of work between two polls of the main loop, on the wall clock and
 * in CPU time of the main thread (see epsimo-bench-app.c). */
static GPollFunc default_poll;
static gint64 last_poll_exit;
static gint64 last_poll_exit_cpu;
static gint64 longest_busy;
static gint64 longest_busy_cpu;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint
monitored_poll (GPollFD *fds,
                guint    nfds,
                gint     timeout)
{
  gint result;

  if (last_poll_exit != 0)
    {
      longest_busy = MAX (longest_busy, g_get_monotonic_time () - last_poll_exit);
      longest_busy_cpu = MAX (longest_busy_cpu, thread_cpu_us () - last_poll_exit_cpu);
    }
  result = default_poll (fds, nfds, timeout);
  last_poll_exit = g_get_monotonic_time ();
  last_poll_exit_cpu = thread_cpu_us ();
  return result;
}

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

static void
post_control (const char *base_url,
              const char *path,
              const char *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base_url, "/_control/", path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", body);
  reply = soup_session_send_and_read (session, message, NULL, &error);
  if (reply == NULL || soup_message_get_status (message) != 200)
    fail ("control %s failed: %s", path, error != NULL ? error->message : "bad status");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  g_autoptr(EpsimoRunsService) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  Run run = { 0 };
  double cpu_start, cpu_end;
  gint64 t_start, t_end;

  if (argc != 9)
    fail ("usage: epsimo-bench-stream-api URL EMAIL PASSWORD PROJECT THREAD ASSISTANT BYTES "
          "PIECES");

  client = epsimo_client_new (argv[1], &error);
  if (client == NULL)
    fail ("%s", error->message);
  auth = epsimo_auth_service_new (client);
  runs = epsimo_runs_service_new (client);

  epsimo_auth_service_sign_in_async (auth, argv[2], argv[3], NULL, on_result, &run);
  if (!epsimo_auth_service_sign_in_finish (auth, wait_result (&run), &error))
    fail ("sign-in: %s", error->message);
  g_clear_object (&run.result);
  epsimo_auth_service_ensure_dialect_async (auth, NULL, on_result, &run);
  if (epsimo_auth_service_ensure_dialect_finish (auth, wait_result (&run), &error)
      == EPSIMO_DIALECT_UNKNOWN)
    fail ("dialect: %s", error->message);
  g_clear_object (&run.result);

  body = g_strdup_printf ("{\"bytes\": %s, \"pieces\": %s}", argv[7], argv[8]);
  post_control (argv[1], "next-reply", body);

  default_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, monitored_poll);
  run.text = g_string_new (NULL);
  cpu_start = cpu_seconds ();
  t_start = g_get_monotonic_time ();

  epsimo_runs_service_start_async (runs, argv[4], argv[5], argv[6],
                                   "Benchmark: stream a long reply", NULL, on_result, &run);
  run.stream = epsimo_runs_service_start_finish (runs, wait_result (&run), &error);
  if (run.stream == NULL)
    fail ("start: %s", error->message);
  g_signal_connect (run.stream, "event", G_CALLBACK (on_event), &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  t_end = g_get_monotonic_time ();
  cpu_end = cpu_seconds ();

  printf ("{\"cpu_s\": %.3f, \"wall_s\": %.3f, \"text_bytes\": %zu, \"complete\": %s, "
          "\"max_stall_ms\": %.2f, \"max_stall_cpu_ms\": %.2f}\n",
          cpu_end - cpu_start, (t_end - t_start) / 1e6, run.text->len,
          run.complete ? "true" : "false", longest_busy / 1e3, longest_busy_cpu / 1e3);
  if (run.error != NULL)
    fprintf (stderr, "error: %s\n", run.error);

  g_object_unref (run.result);
  g_object_unref (run.stream);
  g_string_free (run.text, TRUE);
  g_free (run.error);
  return run.complete ? 0 : 1;
}
