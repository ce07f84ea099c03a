/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-server.h"
#include "epsimo-ts-control.h"
#include "epsimo-ts-request.h"
#include "epsimo-ts-router.h"
#include "epsimo-ts-runs.h"
#include "epsimo-ts-uploads.h"

#define REQUEST_LOG_SIZE 500

EpsimoTsServer *
epsimo_ts_server_new (const EpsimoTsServerOptions *options)
{
  EpsimoTsServer *srv = g_new0 (EpsimoTsServer, 1);

  srv->dialect = options->dialect;
  srv->stream_delay_ms = options->stream_delay_ms;
  srv->store = epsimo_ts_store_new ();
  srv->tokens = epsimo_ts_tokens_new (options->token_ttl);
  srv->ratelimit = epsimo_ts_ratelimit_new (options->rate_limit);
  srv->faults = epsimo_ts_faults_new ();
  srv->log = epsimo_ts_reqlog_new (REQUEST_LOG_SIZE);
  srv->runs = epsimo_ts_runs_new ();
  epsimo_ts_faults_set_global_delay (srv->faults, options->delay_ms);
  return srv;
}

void
epsimo_ts_server_shutdown (EpsimoTsServer *srv)
{
  epsimo_ts_faults_release_stalled (srv->faults);
  epsimo_ts_runs_stop_all (srv->runs);
  if (srv->soup != NULL)
    soup_server_disconnect (srv->soup);
}

void
epsimo_ts_server_free (EpsimoTsServer *srv)
{
  if (srv == NULL)
    return;

  g_clear_object (&srv->soup);
  epsimo_ts_runs_free (srv->runs);
  epsimo_ts_reqlog_free (srv->log);
  epsimo_ts_faults_free (srv->faults);
  epsimo_ts_ratelimit_free (srv->ratelimit);
  epsimo_ts_tokens_free (srv->tokens);
  epsimo_ts_store_free (srv->store);
  g_free (srv);
}

static gboolean
is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  return address != NULL && G_IS_INET_SOCKET_ADDRESS (address) &&
         g_inet_address_get_is_loopback (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static void
add_rate_headers (SoupServerMessage      *msg,
                  const EpsimoTsRateInfo *info)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char value[32];

  g_snprintf (value, sizeof value, "%u", info->limit);
  soup_message_headers_replace (headers, "X-RateLimit-Limit", value);
  g_snprintf (value, sizeof value, "%u", info->remaining);
  soup_message_headers_replace (headers, "X-RateLimit-Remaining", value);
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, info->reset);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", value);
}

/* FALSE when the client is over its limit (429 sent). */
static gboolean
check_rate_limit (EpsimoTsRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *key = soup_message_headers_get_one (headers, "Authorization");
  EpsimoTsRateInfo info;

  if (epsimo_ts_ratelimit_get_limit (req->srv->ratelimit) == 0)
    return TRUE;

  if (key == NULL)
    key = soup_server_message_get_remote_host (req->msg);
  if (key == NULL)
    key = "unknown";

  if (epsimo_ts_ratelimit_check (req->srv->ratelimit, key, &info))
    {
      add_rate_headers (req->msg, &info);
      return TRUE;
    }

  {
    g_autofree char *detail = g_strdup_printf ("Rate limit exceeded, retry in %u s",
                                               info.retry_after);
    char retry[16];

    add_rate_headers (req->msg, &info);
    g_snprintf (retry, sizeof retry, "%u", info.retry_after);
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                  "Retry-After", retry);
    epsimo_ts_http_respond_error_titled (req->msg, 429, "Too Many Requests", detail,
                                         NULL, "RATE_LIMITED");
  }
  return FALSE;
}

/* Faults first, then the API. FALSE when the message must stay paused. */
static gboolean
answer (EpsimoTsRequest *req)
{
  EpsimoTsFaults *faults = req->srv->faults;
  g_autoptr(EpsimoTsFault) fault = NULL;

  if ((fault = epsimo_ts_faults_take (faults, EPSIMO_TS_FAULT_FAIL, req->method, req->path)))
    epsimo_ts_faults_respond_fail (fault, req->msg);
  else if ((fault = epsimo_ts_faults_take (faults, EPSIMO_TS_FAULT_MALFORMED,
                                           req->method, req->path)))
    epsimo_ts_faults_respond_malformed (req->msg);
  else if ((fault = epsimo_ts_faults_take (faults, EPSIMO_TS_FAULT_STALL,
                                           req->method, req->path)))
    {
      epsimo_ts_faults_hold (faults, req->msg);
      return FALSE;
    }
  else if ((fault = epsimo_ts_faults_take (faults, EPSIMO_TS_FAULT_HUGE,
                                           req->method, req->path)))
    epsimo_ts_faults_respond_huge (req->msg, fault->bytes);
  else
    epsimo_ts_router_dispatch (req);

  return TRUE;
}

static gboolean
delayed_answer_cb (gpointer user_data)
{
  EpsimoTsRequest *req = user_data;

  /* The client may have given up while we waited. */
  if (epsimo_ts_http_is_alive (req->msg) && answer (req))
    epsimo_ts_http_unpause (req->msg);

  return G_SOURCE_REMOVE;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  EpsimoTsServer *srv = user_data;
  g_autoptr(EpsimoTsRequest) req = epsimo_ts_request_new (srv, msg, path, query);
  guint delay;

  if (g_str_has_prefix (path, "/_control/") || g_str_equal (path, "/_control"))
    {
      if (!is_loopback (msg))
        epsimo_ts_request_error (req, 403, "The control API is for loopback clients", NULL, NULL);
      else
        epsimo_ts_control_dispatch (req);
      return;
    }

  epsimo_ts_reqlog_record (srv->log, msg, path);

  if (!check_rate_limit (req))
    return;

  delay = epsimo_ts_faults_take_delay (srv->faults, req->method, path);
  if (delay > 0)
    {
      soup_server_message_pause (msg);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay, delayed_answer_cb,
                          g_steal_pointer (&req), (GDestroyNotify) epsimo_ts_request_free);
      return;
    }

  answer (req);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  epsimo_ts_http_track (msg);
  epsimo_ts_uploads_watch (msg);
}

gboolean
epsimo_ts_server_listen (EpsimoTsServer  *srv,
                         guint            port,
                         guint           *out_port,
                         GError         **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  GSList *uris;

  srv->soup = soup_server_new ("server-header", "epsimo-test-server/" PACKAGE_VERSION " ", NULL);
  g_signal_connect (srv->soup, "request-started", G_CALLBACK (on_request_started), srv);
  soup_server_add_handler (srv->soup, NULL, handle, srv, NULL);

  /* 127.0.0.1 and nothing else: tests must never be reachable from outside. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  if (!soup_server_listen (srv->soup, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (srv->soup);
  *out_port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}
