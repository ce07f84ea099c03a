/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-render.h"
#include "epsimo-ts-assistant-config.h"
#include "epsimo-ts-util.h"

void
epsimo_ts_set_time_member (JsonObject *obj,
                           const char *member,
                           gint64      usec)
{
  g_autofree char *text = epsimo_ts_format_time (usec);

  json_object_set_string_member (obj, member, text);
}

/* A stored JSON value, or {} / [] when none was ever given. */
void
epsimo_ts_set_node_or_empty (JsonObject   *obj,
                             const char   *member,
                             JsonNode     *node,
                             JsonNodeType  empty_type)
{
  if (node != NULL)
    json_object_set_member (obj, member, json_node_copy (node));
  else if (empty_type == JSON_NODE_ARRAY)
    json_object_set_array_member (obj, member, json_array_new ());
  else
    json_object_set_object_member (obj, member, json_object_new ());
}

JsonObject *
epsimo_ts_render_user_info (EpsimoTsUser *user)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "email", user->email);
  json_object_set_string_member (obj, "user_id", user->user_id);
  if (user->name != NULL)
    json_object_set_string_member (obj, "name", user->name);
  json_object_set_int_member (obj, "thread_counter", user->thread_counter);
  json_object_set_int_member (obj, "thread_max", user->thread_max);
  json_object_set_string_member (obj, "subscription_tier", user->tier);
  return obj;
}

JsonObject *
epsimo_ts_render_balance (EpsimoTsUser *user)
{
  JsonObject *obj = json_object_new ();

  json_object_set_int_member (obj, "thread_counter", user->thread_counter);
  json_object_set_int_member (obj, "thread_max", user->thread_max);
  json_object_set_int_member (obj, "threads_remaining",
                              MAX (0, user->thread_max - user->thread_counter));
  json_object_set_string_member (obj, "subscription_tier", user->tier);
  return obj;
}

JsonObject *
epsimo_ts_render_project (EpsimoTsProject *project)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "project_id", project->project_id);
  json_object_set_string_member (obj, "name", project->name);
  json_object_set_string_member (obj, "description", project->description);
  epsimo_ts_set_node_or_empty (obj, "metadata", project->metadata, JSON_NODE_OBJECT);
  epsimo_ts_set_time_member (obj, "created_at", project->created_at);
  epsimo_ts_set_time_member (obj, "updated_at", project->updated_at);
  return obj;
}

JsonObject *
epsimo_ts_render_assistant (EpsimoTsAssistant *assistant,
                            gboolean           live)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "assistant_id", assistant->assistant_id);
  json_object_set_string_member (obj, "project_id", assistant->project->project_id);
  json_object_set_string_member (obj, "name", assistant->name);
  json_object_set_object_member (obj, "config",
                                 epsimo_ts_assistant_config_render (assistant, live));
  json_object_set_boolean_member (obj, "public", assistant->is_public);
  epsimo_ts_set_node_or_empty (obj, "metadata", assistant->metadata, JSON_NODE_OBJECT);
  epsimo_ts_set_node_or_empty (obj, "tags", assistant->tags, JSON_NODE_ARRAY);
  epsimo_ts_set_time_member (obj, "created_at", assistant->created_at);
  epsimo_ts_set_time_member (obj, "updated_at", assistant->updated_at);
  return obj;
}

JsonObject *
epsimo_ts_render_message (EpsimoTsMessage *message)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "message_id", message->message_id);
  json_object_set_string_member (obj, "role", message->role);
  json_object_set_string_member (obj, "content", message->content);
  epsimo_ts_set_time_member (obj, "timestamp", message->timestamp);
  if (message->tool_calls != NULL)
    json_object_set_member (obj, "tool_calls", json_node_copy (message->tool_calls));
  if (message->tool_call_id != NULL)
    json_object_set_string_member (obj, "tool_call_id", message->tool_call_id);
  if (message->name != NULL)
    json_object_set_string_member (obj, "name", message->name);
  return obj;
}

const char *
epsimo_ts_live_type_for_role (const char *role)
{
  if (g_strcmp0 (role, "user") == 0)
    return "human";
  if (g_strcmp0 (role, "assistant") == 0)
    return "ai";
  return role;
}

JsonObject *
epsimo_ts_render_live_message (EpsimoTsMessage *message)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "id", message->message_id);
  json_object_set_string_member (obj, "type", epsimo_ts_live_type_for_role (message->role));
  json_object_set_string_member (obj, "content", message->content);
  if (message->tool_calls != NULL)
    json_object_set_member (obj, "tool_calls", json_node_copy (message->tool_calls));
  if (message->tool_call_id != NULL)
    json_object_set_string_member (obj, "tool_call_id", message->tool_call_id);
  if (message->name != NULL)
    json_object_set_string_member (obj, "name", message->name);
  return obj;
}

JsonObject *
epsimo_ts_render_thread (EpsimoTsThread *thread,
                         gboolean        with_messages)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "thread_id", thread->thread_id);
  json_object_set_string_member (obj, "project_id", thread->project->project_id);
  json_object_set_string_member (obj, "name", thread->name);
  if (thread->assistant_id != NULL)
    json_object_set_string_member (obj, "assistant_id", thread->assistant_id);
  else
    json_object_set_null_member (obj, "assistant_id");
  epsimo_ts_set_node_or_empty (obj, "metadata", thread->metadata, JSON_NODE_OBJECT);
  epsimo_ts_set_time_member (obj, "created_at", thread->created_at);
  epsimo_ts_set_time_member (obj, "updated_at", thread->updated_at);
  json_object_set_int_member (obj, "message_count", thread->messages->len);

  if (with_messages)
    {
      JsonArray *messages = json_array_sized_new (thread->messages->len);

      for (guint i = 0; i < thread->messages->len; i++)
        {
          EpsimoTsMessage *message = g_ptr_array_index (thread->messages, i);

          json_array_add_object_element (messages, epsimo_ts_render_message (message));
        }
      json_object_set_array_member (obj, "messages", messages);
    }

  return obj;
}

JsonObject *
epsimo_ts_render_state_values (EpsimoTsThread *thread,
                               gboolean        with_messages)
{
  JsonObject *values = json_object_new ();
  JsonArray *messages = json_array_sized_new (with_messages ? thread->messages->len : 0);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  for (guint i = 0; with_messages && i < thread->messages->len; i++)
    {
      EpsimoTsMessage *message = g_ptr_array_index (thread->messages, i);

      json_array_add_object_element (messages, epsimo_ts_render_live_message (message));
    }
  json_object_set_array_member (values, "messages", messages);

  json_object_iter_init_ordered (&iter, thread->db);
  while (json_object_iter_next_ordered (&iter, &key, &node))
    json_object_set_member (values, key, json_node_copy (node));

  return values;
}

JsonObject *
epsimo_ts_render_file (EpsimoTsFile *file)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "file_id", file->file_id);
  json_object_set_string_member (obj, "filename", file->filename);
  json_object_set_int_member (obj, "size", (gint64) file->size);
  json_object_set_string_member (obj, "mime_type", file->mime_type);
  json_object_set_string_member (obj, "purpose", file->purpose);
  epsimo_ts_set_time_member (obj, "uploaded_at", file->uploaded_at);
  if (file->assistant_id != NULL)
    json_object_set_string_member (obj, "assistant_id", file->assistant_id);
  if (file->sha256 != NULL)
    json_object_set_string_member (obj, "sha256", file->sha256);
  return obj;
}

/* The thread's live messages as the comma-separated members of a JSON array
 * (no brackets). Rendered once and extended with the messages added since:
 * a GET of a 10,000-message state then costs a copy, not a rebuild. The
 * returned bytes stay valid for a response in flight while the thread grows. */
GBytes *
epsimo_ts_render_live_messages_text (EpsimoTsThread *thread)
{
  GString *text;

  if (thread->live_text != NULL && thread->live_text_count == thread->messages->len)
    return g_bytes_ref (thread->live_text);

  text = g_string_sized_new ((thread->live_text != NULL ? g_bytes_get_size (thread->live_text)
                                                        : 0) + 4096);
  if (thread->live_text != NULL)
    g_string_append_len (text, g_bytes_get_data (thread->live_text, NULL),
                         g_bytes_get_size (thread->live_text));

  /* Messages never change once stored: only the new ones are rendered. */
  for (guint i = thread->live_text_count; i < thread->messages->len; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *message = NULL;

      node = epsimo_ts_node_new_object (
        epsimo_ts_render_live_message (g_ptr_array_index (thread->messages, i)));
      message = epsimo_ts_json_to_string (node);
      if (text->len > 0)
        g_string_append_c (text, ',');
      g_string_append (text, message);
    }

  g_clear_pointer (&thread->live_text, g_bytes_unref);
  thread->live_text = g_string_free_to_bytes (text);
  thread->live_text_count = thread->messages->len;
  return g_bytes_ref (thread->live_text);
}
