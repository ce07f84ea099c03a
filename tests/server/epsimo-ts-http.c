/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-http.h"
#include "epsimo-ts-util.h"

#define ALIVE_KEY "epsimo-ts-alive"

/*
 * Messages that are paused (streams, delays, stalls) are resumed from
 * timeouts. libsoup forgets a message once it finished or its client went
 * away, and resuming it then is a critical; so every message carries a flag
 * that the "finished" and "disconnected" signals clear.
 */

typedef struct
{
  gboolean dead;
} Alive;

static void
on_finished (SoupServerMessage *msg,
             Alive             *alive)
{
  alive->dead = TRUE;
}

void
epsimo_ts_http_track (SoupServerMessage *msg)
{
  Alive *alive = g_new0 (Alive, 1);

  g_object_set_data_full (G_OBJECT (msg), ALIVE_KEY, alive, g_free);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), alive);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_finished), alive);
}

gboolean
epsimo_ts_http_is_alive (SoupServerMessage *msg)
{
  Alive *alive = g_object_get_data (G_OBJECT (msg), ALIVE_KEY);

  return alive != NULL && !alive->dead;
}

void
epsimo_ts_http_mark_dead (SoupServerMessage *msg)
{
  Alive *alive = g_object_get_data (G_OBJECT (msg), ALIVE_KEY);

  if (alive != NULL)
    alive->dead = TRUE;
}

void
epsimo_ts_http_unpause (SoupServerMessage *msg)
{
  if (epsimo_ts_http_is_alive (msg))
    soup_server_message_unpause (msg);
}

const char *
epsimo_ts_http_error_title (guint status)
{
  switch (status)
    {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Validation Error";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default:
      {
        const char *phrase = soup_status_get_phrase (status);
        return phrase ? phrase : "Error";
      }
    }
}

void
epsimo_ts_http_respond_raw (SoupServerMessage *msg,
                            guint              status,
                            const char        *content_type,
                            const char        *body,
                            gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, len);
}

void
epsimo_ts_http_respond_json (SoupServerMessage *msg,
                             guint              status,
                             JsonNode          *node)
{
  char *text = epsimo_ts_json_to_string (node);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
  json_node_unref (node);
}

void
epsimo_ts_http_respond_object (SoupServerMessage *msg,
                               guint              status,
                               JsonObject        *obj)
{
  epsimo_ts_http_respond_json (msg, status, epsimo_ts_node_new_object (obj));
}

void
epsimo_ts_http_respond_array (SoupServerMessage *msg,
                              guint              status,
                              JsonArray         *array)
{
  epsimo_ts_http_respond_json (msg, status, epsimo_ts_node_new_array (array));
}

void
epsimo_ts_http_respond_empty (SoupServerMessage *msg,
                              guint              status)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
}

void
epsimo_ts_http_respond_error_titled (SoupServerMessage *msg,
                                     guint              status,
                                     const char        *error,
                                     const char        *detail,
                                     const char        *field,
                                     const char        *code)
{
  JsonObject *obj = json_object_new ();
  const char *title = epsimo_ts_http_error_title (status);

  json_object_set_string_member (obj, "error", error ? error : title);
  json_object_set_string_member (obj, "detail", detail ? detail : title);
  if (field != NULL)
    json_object_set_string_member (obj, "field", field);
  if (code != NULL)
    json_object_set_string_member (obj, "code", code);

  epsimo_ts_http_respond_object (msg, status, obj);
}

void
epsimo_ts_http_respond_error (SoupServerMessage *msg,
                              guint              status,
                              const char        *detail,
                              const char        *field,
                              const char        *code)
{
  epsimo_ts_http_respond_error_titled (msg, status, NULL, detail, field, code);
}
