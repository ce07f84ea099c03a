/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"

#define DEFAULT_MESSAGE_LIMIT 50
#define MAX_MESSAGE_LIMIT 10000

/* Optional non-negative integer query parameter; FALSE after a 422. */
static gboolean
query_uint (EpsimoTsRequest *req,
            const char      *name,
            guint64          min,
            guint64          max,
            guint64         *out)
{
  const char *text = epsimo_ts_request_query (req, name);

  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      g_autofree char *detail = g_strdup_printf ("'%s' must be an integer from %" G_GUINT64_FORMAT
                                                 " to %" G_GUINT64_FORMAT, name, min, max);

      epsimo_ts_request_error (req, 422, detail, name, NULL);
      return FALSE;
    }

  return TRUE;
}

void
epsimo_ts_route_threads_list (EpsimoTsRequest *req)
{
  GPtrArray *threads = req->project->threads;
  guint64 offset = 0;
  guint64 limit = G_MAXUINT32;
  JsonArray *array;

  if (!query_uint (req, "offset", 0, G_MAXUINT32, &offset) ||
      !query_uint (req, "limit", 1, G_MAXUINT32, &limit))
    return;

  array = json_array_new ();
  for (guint64 i = offset; i < threads->len && i < offset + limit; i++)
    {
      EpsimoTsThread *thread = g_ptr_array_index (threads, i);

      json_array_add_object_element (array, epsimo_ts_render_thread (thread, FALSE));
    }

  if (epsimo_ts_request_is_live (req))
    {
      JsonObject *obj = json_object_new ();

      json_object_set_array_member (obj, "threads", array);
      json_object_set_int_member (obj, "total", threads->len);
      epsimo_ts_http_respond_object (req->msg, 200, obj);
    }
  else
    epsimo_ts_http_respond_array (req->msg, 200, array);
}

void
epsimo_ts_route_threads_create (EpsimoTsRequest *req)
{
  JsonObject *body = epsimo_ts_request_body (req);
  g_autoptr(JsonNode) metadata_node = NULL;
  EpsimoTsAssistant *assistant;
  EpsimoTsThread *thread;
  EpsimoTsUser *owner;
  const char *name;
  const char *assistant_id;
  JsonObject *metadata;

  if (body == NULL ||
      !epsimo_ts_request_string (req, body, "name", FALSE, &name) ||
      !epsimo_ts_request_string (req, body, "assistant_id", TRUE, &assistant_id) ||
      !epsimo_ts_request_object (req, body, "metadata", FALSE, &metadata))
    return;

  assistant = epsimo_ts_store_find_assistant (req->srv->store, assistant_id);
  if (assistant == NULL || assistant->project != req->project)
    {
      epsimo_ts_request_error (req, 422, "No assistant with this id in the project",
                               "assistant_id", NULL);
      return;
    }

  owner = req->project->owner;
  if (owner->thread_counter >= owner->thread_max)
    {
      epsimo_ts_http_respond_error_titled (req->msg, 403, "Thread limit reached",
                                           "You have used all your threads. "
                                           "Buy more credits to continue.",
                                           NULL, "THREAD_LIMIT");
      return;
    }

  if (metadata != NULL)
    metadata_node = epsimo_ts_node_new_object (json_object_ref (metadata));
  else
    {
      JsonObject *defaults = json_object_new ();

      json_object_set_object_member (defaults, "configurable", json_object_new ());
      json_object_set_string_member (defaults, "type", "thread");
      metadata_node = epsimo_ts_node_new_object (defaults);
    }

  thread = epsimo_ts_store_add_thread (req->srv->store, req->project, assistant_id,
                                       name && name[0] ? name : "New thread", metadata_node);
  owner->thread_counter++;

  epsimo_ts_http_respond_object (req->msg, 201, epsimo_ts_render_thread (thread, FALSE));
}

void
epsimo_ts_route_thread_get (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);
  gboolean with_messages;

  if (thread == NULL)
    return;

  with_messages = (req->srv->dialect & EPSIMO_TS_DIALECT_REFERENCE) != 0;
  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_thread (thread, with_messages));
}

void
epsimo_ts_route_thread_update (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);
  JsonObject *body;
  const char *name;
  JsonObject *metadata;

  if (thread == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL ||
      !epsimo_ts_request_string (req, body, "name", FALSE, &name) ||
      !epsimo_ts_request_object (req, body, "metadata", FALSE, &metadata))
    return;

  if (name != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (name));

      if (trimmed[0] == '\0')
        {
          epsimo_ts_request_error (req, 422, "Field 'name' must not be empty", "name", NULL);
          return;
        }
      g_free (thread->name);
      thread->name = g_strdup (name);
    }
  if (metadata != NULL)
    {
      g_clear_pointer (&thread->metadata, json_node_unref);
      thread->metadata = epsimo_ts_node_new_object (json_object_ref (metadata));
    }
  epsimo_ts_thread_touch (thread);

  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_thread (thread, FALSE));
}

void
epsimo_ts_route_thread_delete (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);

  if (thread == NULL)
    return;

  epsimo_ts_store_remove_thread (req->srv->store, thread);
  epsimo_ts_http_respond_empty (req->msg, 204);
}

void
epsimo_ts_route_messages_list (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);
  const char *before;
  guint64 limit = DEFAULT_MESSAGE_LIMIT;
  guint end;
  guint start;
  JsonArray *array;
  JsonObject *obj;

  if (thread == NULL || !query_uint (req, "limit", 1, MAX_MESSAGE_LIMIT, &limit))
    return;

  end = thread->messages->len;
  before = epsimo_ts_request_query (req, "before");
  if (before != NULL && before[0] != '\0')
    {
      EpsimoTsMessage *cursor = g_hash_table_lookup (thread->messages_by_id, before);

      if (cursor == NULL)
        {
          epsimo_ts_request_error (req, 422, "'before' is not a message of this thread",
                                   "before", NULL);
          return;
        }
      end = cursor->index;
    }

  start = end > limit ? end - (guint) limit : 0;
  array = json_array_sized_new (end - start);
  for (guint i = start; i < end; i++)
    {
      EpsimoTsMessage *message = g_ptr_array_index (thread->messages, i);

      json_array_add_object_element (array, epsimo_ts_render_message (message));
    }

  obj = json_object_new ();
  json_object_set_array_member (obj, "messages", array);
  json_object_set_boolean_member (obj, "has_more", start > 0);
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_messages_create (EpsimoTsRequest *req)
{
  static const char *roles[] = { "user", "assistant", "system", "tool", NULL };
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);
  JsonObject *body;
  const char *role;
  const char *content;
  EpsimoTsMessage *message;

  if (thread == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL ||
      !epsimo_ts_request_string (req, body, "role", TRUE, &role) ||
      !epsimo_ts_request_string (req, body, "content", TRUE, &content))
    return;

  if (!g_strv_contains (roles, role))
    {
      epsimo_ts_request_error (req, 422, "'role' must be user, assistant, system or tool",
                               "role", NULL);
      return;
    }

  message = epsimo_ts_thread_append_message (thread, role, content);
  epsimo_ts_http_respond_object (req->msg, 201, epsimo_ts_render_message (message));
}
