/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-reqlog.h"

#define BODY_PREFIX (4 * 1024)

typedef struct
{
  char *method;
  char *path;
  char *query;
  char *authorization;
  char *content_type;
  char *body;
} Entry;

struct _EpsimoTsRequestLog
{
  guint   capacity;
  GQueue *entries;
};

static void
entry_free (Entry *entry)
{
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->query);
  g_free (entry->authorization);
  g_free (entry->content_type);
  g_free (entry->body);
  g_free (entry);
}

EpsimoTsRequestLog *
epsimo_ts_reqlog_new (guint capacity)
{
  EpsimoTsRequestLog *log = g_new0 (EpsimoTsRequestLog, 1);

  log->capacity = capacity;
  log->entries = g_queue_new ();
  return log;
}

void
epsimo_ts_reqlog_free (EpsimoTsRequestLog *log)
{
  if (log == NULL)
    return;
  g_queue_free_full (log->entries, (GDestroyNotify) entry_free);
  g_free (log);
}

void
epsimo_ts_reqlog_record (EpsimoTsRequestLog *log,
                         SoupServerMessage  *msg,
                         const char         *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type = soup_message_headers_get_one (headers, "Content-Type");
  Entry *entry = g_new0 (Entry, 1);

  entry->method = g_strdup (soup_server_message_get_method (msg));
  entry->path = g_strdup (path);
  entry->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  entry->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  entry->content_type = g_strdup (content_type);

  /* Uploads are not accumulated, so only JSON bodies are ever here. */
  if (content_type != NULL && strstr (content_type, "json") != NULL &&
      soup_message_body_get_accumulate (body) && body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);
      const char *end = NULL;

      len = MIN (len, BODY_PREFIX);
      /* Keep the cut on a character boundary so the log stays valid UTF-8. */
      if (!g_utf8_validate (data, len, &end))
        len = end - data;
      entry->body = g_strndup (data, len);
    }

  g_queue_push_tail (log->entries, entry);
  while (log->entries->length > log->capacity)
    entry_free (g_queue_pop_head (log->entries));
}

void
epsimo_ts_reqlog_clear (EpsimoTsRequestLog *log)
{
  g_queue_clear_full (log->entries, (GDestroyNotify) entry_free);
}

static void
set_nullable (JsonObject *obj,
              const char *member,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, member, value);
  else
    json_object_set_null_member (obj, member);
}

JsonArray *
epsimo_ts_reqlog_to_json (EpsimoTsRequestLog *log)
{
  JsonArray *array = json_array_new ();

  for (GList *l = log->entries->head; l != NULL; l = l->next)
    {
      Entry *entry = l->data;
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "method", entry->method);
      json_object_set_string_member (obj, "path", entry->path);
      set_nullable (obj, "query", entry->query);
      set_nullable (obj, "authorization", entry->authorization);
      set_nullable (obj, "content_type", entry->content_type);
      set_nullable (obj, "body", entry->body);
      json_array_add_object_element (array, obj);
    }

  return array;
}
