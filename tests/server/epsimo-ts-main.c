/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "epsimo-ts-server.h"
#include "epsimo-ts-seed.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_dialect (const char      *text,
               EpsimoTsDialect *out)
{
  if (g_strcmp0 (text, "live") == 0)
    *out = EPSIMO_TS_DIALECT_LIVE;
  else if (g_strcmp0 (text, "reference") == 0)
    *out = EPSIMO_TS_DIALECT_REFERENCE;
  else if (text == NULL || g_strcmp0 (text, "both") == 0)
    *out = EPSIMO_TS_DIALECT_BOTH;
  else
    return FALSE;
  return TRUE;
}

static gboolean
check_range (const char *name,
             gint        value,
             gint        min,
             gint        max)
{
  if (value >= min && value <= max)
    return TRUE;
  g_printerr ("epsimo-test-server: --%s must be from %d to %d\n", name, min, max);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  gint port = 0;
  g_autofree char *dialect = NULL;
  gboolean demo = FALSE;
  gint token_ttl = 3600;
  gint rate_limit = 0;
  gint stream_delay = 1;
  g_auto(GStrv) fails = NULL;
  gint delay = 0;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: a free one)", "N" },
    { "dialect", 0, 0, G_OPTION_ARG_STRING, &dialect,
      "API dialect: live, reference or both (default)", "DIALECT" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Seed the demo account and its projects", NULL },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT, &token_ttl,
      "Token lifetime (default 3600)", "SECONDS" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit,
      "Requests per minute per client token or address (0: unlimited)", "N" },
    { "stream-delay", 0, 0, G_OPTION_ARG_INT, &stream_delay,
      "Pause between streamed pieces (default 1)", "MS" },
    { "fail", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fails,
      "Fail the next COUNT matching requests (repeatable)", "METHOD:PATH:STATUS:COUNT" },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay, "Delay every response", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  EpsimoTsServerOptions options = { 0, };
  EpsimoTsServer *srv;
  guint bound_port = 0;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "A stand-in for the Epsimo platform, for tests and development.\n"
                                "Listens on 127.0.0.1 only; see tests/server/README.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("epsimo-test-server: %s\n", error->message);
      return 2;
    }

  if (!parse_dialect (dialect, &options.dialect))
    {
      g_printerr ("epsimo-test-server: --dialect must be live, reference or both\n");
      return 2;
    }
  if (!check_range ("port", port, 0, 65535) ||
      !check_range ("token-ttl", token_ttl, 1, G_MAXINT) ||
      !check_range ("rate-limit", rate_limit, 0, G_MAXINT) ||
      !check_range ("stream-delay", stream_delay, 0, 60000) ||
      !check_range ("delay", delay, 0, 600000))
    return 2;

  options.token_ttl = token_ttl;
  options.rate_limit = (guint) rate_limit;
  options.stream_delay_ms = (guint) stream_delay;
  options.delay_ms = (guint) delay;
  srv = epsimo_ts_server_new (&options);

  for (guint i = 0; fails != NULL && fails[i] != NULL; i++)
    if (!epsimo_ts_faults_add_from_spec (srv->faults, fails[i], &error))
      {
        g_printerr ("epsimo-test-server: %s\n", error->message);
        epsimo_ts_server_free (srv);
        return 2;
      }

  if (demo)
    epsimo_ts_seed_demo (srv->store);

  if (!epsimo_ts_server_listen (srv, (guint) port, &bound_port, &error))
    {
      g_printerr ("epsimo-test-server: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      epsimo_ts_server_free (srv);
      return 1;
    }

  /* Tests read the first line to find the server: keep it exact and flushed. */
  g_print ("http://127.0.0.1:%u\n", bound_port);
  if (demo)
    g_print ("demo account: %s / %s\n", EPSIMO_TS_DEMO_EMAIL, EPSIMO_TS_DEMO_PASSWORD);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  epsimo_ts_server_shutdown (srv);
  epsimo_ts_server_free (srv);
  return 0;
}
