/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"
#include "epsimo-ts-util.h"

/* The virtual DB: per-thread keys, read and written through the live
 * /threads/{id}/state and the reference /db/{project}/{thread}/{key}. */

#define STATE_HEAD "{\"values\":{\"messages\":["

/* The state with the messages spliced in from their kept rendering: the
 * rest (the DB, the id) is small and rendered as usual, with an empty
 * messages array first, which is where the messages go. */
static void
respond_state (EpsimoTsRequest *req,
               EpsimoTsThread  *thread)
{
  JsonObject *obj = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) messages = NULL;
  g_autofree char *text = NULL;
  SoupMessageBody *body;
  gsize head_len = strlen (STATE_HEAD);

  /* "messages" is the first member of the values, before the DB's keys. */
  json_object_set_object_member (obj, "values", epsimo_ts_render_state_values (thread, FALSE));
  json_object_set_string_member (obj, "thread_id", thread->thread_id);
  node = epsimo_ts_node_new_object (obj);
  text = epsimo_ts_json_to_string (node);
  g_assert (g_str_has_prefix (text, STATE_HEAD));

  messages = epsimo_ts_render_live_messages_text (thread);
  soup_server_message_set_status (req->msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (req->msg),
                                         "application/json", NULL);
  body = soup_server_message_get_response_body (req->msg);
  soup_message_body_truncate (body);
  soup_message_body_append (body, SOUP_MEMORY_COPY, STATE_HEAD, head_len);
  if (g_bytes_get_size (messages) > 0)
    soup_message_body_append_bytes (body, messages);
  soup_message_body_append (body, SOUP_MEMORY_COPY, text + head_len, strlen (text + head_len));
}

void
epsimo_ts_route_state_get (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);

  if (thread != NULL)
    respond_state (req, thread);
}

void
epsimo_ts_route_state_update (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);
  JsonObject *body;
  JsonObject *values;
  JsonObject *config;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (thread == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL ||
      !epsimo_ts_request_object (req, body, "values", TRUE, &values) ||
      !epsimo_ts_request_object (req, body, "config", FALSE, &config))
    return;

  /* "messages" is the conversation, never written through the DB. */
  json_object_iter_init_ordered (&iter, values);
  while (json_object_iter_next_ordered (&iter, &key, &node))
    if (!g_str_equal (key, "messages"))
      json_object_set_member (thread->db, key, json_node_copy (node));
  epsimo_ts_thread_touch (thread);

  respond_state (req, thread);
}

/* The project in the path must be the token's; then the thread must be in it. */
static EpsimoTsThread *
db_thread (EpsimoTsRequest *req)
{
  if (g_strcmp0 (req->params[0], req->project->project_id) != 0)
    {
      if (epsimo_ts_store_find_project (req->srv->store, req->params[0]) == NULL)
        epsimo_ts_request_not_found (req, "Project");
      else
        epsimo_ts_request_error (req, 403, "The token is for another project", NULL,
                                 "WRONG_PROJECT");
      return NULL;
    }

  return epsimo_ts_request_thread (req, req->params[1]);
}

void
epsimo_ts_route_db_get_all (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = db_thread (req);
  g_autoptr(JsonNode) node = NULL;

  if (thread == NULL)
    return;

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, thread->db);
  epsimo_ts_http_respond_json (req->msg, 200, json_node_copy (node));
}

void
epsimo_ts_route_db_get_key (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = db_thread (req);
  JsonNode *value;

  if (thread == NULL)
    return;

  value = json_object_get_member (thread->db, req->params[2]);
  if (value == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("Key '%s' not found", req->params[2]);

      epsimo_ts_request_error (req, 404, detail, NULL, NULL);
      return;
    }

  epsimo_ts_http_respond_json (req->msg, 200, json_node_copy (value));
}

void
epsimo_ts_route_db_put_key (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = db_thread (req);
  JsonObject *body;
  JsonObject *obj;
  JsonNode *value;

  if (thread == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL)
    return;

  /* null is a value here, so only a missing member is an error. */
  value = json_object_get_member (body, "value");
  if (value == NULL)
    {
      epsimo_ts_request_error (req, 422, "Field 'value' is required", "value", NULL);
      return;
    }
  if (g_str_equal (req->params[2], "messages"))
    {
      epsimo_ts_request_error (req, 422, "'messages' is the conversation and cannot be set",
                               "key", NULL);
      return;
    }

  json_object_set_member (thread->db, req->params[2], json_node_copy (value));
  epsimo_ts_thread_touch (thread);

  obj = json_object_new ();
  json_object_set_boolean_member (obj, "success", TRUE);
  json_object_set_string_member (obj, "key", req->params[2]);
  json_object_set_member (obj, "value", json_node_copy (value));
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_db_delete_key (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = db_thread (req);

  if (thread == NULL)
    return;

  if (!json_object_has_member (thread->db, req->params[2]))
    {
      g_autofree char *detail = g_strdup_printf ("Key '%s' not found", req->params[2]);

      epsimo_ts_request_error (req, 404, detail, NULL, NULL);
      return;
    }

  json_object_remove_member (thread->db, req->params[2]);
  epsimo_ts_thread_touch (thread);
  epsimo_ts_http_respond_empty (req->msg, 204);
}
