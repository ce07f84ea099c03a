/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-routes.h"
#include "epsimo-ts-assistant-config.h"
#include "epsimo-ts-render.h"

static gboolean
read_tags (EpsimoTsRequest *req,
           JsonObject      *body,
           JsonNode       **out)
{
  JsonNode *node = json_object_get_member (body, "tags");
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      epsimo_ts_request_error (req, 422, "Field 'tags' must be an array of strings", "tags", NULL);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!epsimo_ts_node_is_string (json_array_get_element (array, i)))
      {
        epsimo_ts_request_error (req, 422, "Field 'tags' must be an array of strings",
                                 "tags", NULL);
        return FALSE;
      }

  *out = node;
  return TRUE;
}

/* Every member is checked before @assistant changes, so a 422 changes nothing. */
static gboolean
apply_body (EpsimoTsRequest   *req,
            EpsimoTsAssistant *assistant,
            JsonObject        *body,
            gboolean           creating)
{
  g_autofree char *field = NULL;
  g_autofree char *detail = NULL;
  const char *name;
  JsonObject *config;
  JsonObject *metadata;
  JsonNode *tags;
  gboolean is_public;
  gboolean public_present;

  if (!epsimo_ts_request_string (req, body, "name", creating, &name) ||
      !epsimo_ts_request_object (req, body, "config", FALSE, &config) ||
      !epsimo_ts_request_object (req, body, "metadata", FALSE, &metadata) ||
      !epsimo_ts_request_bool (req, body, "public", &is_public, &public_present) ||
      !read_tags (req, body, &tags))
    return FALSE;

  if (name != NULL && !creating)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (name));

      if (trimmed[0] == '\0')
        {
          epsimo_ts_request_error (req, 422, "Field 'name' must not be empty", "name", NULL);
          return FALSE;
        }
    }

  /* The config is applied all or nothing, and before anything else. */
  if (config != NULL &&
      !epsimo_ts_assistant_config_apply (assistant, config, &field, &detail))
    {
      epsimo_ts_request_error (req, 422, detail, field, NULL);
      return FALSE;
    }

  if (name != NULL)
    {
      g_free (assistant->name);
      assistant->name = g_strdup (name);
    }
  if (metadata != NULL)
    {
      g_clear_pointer (&assistant->metadata, json_node_unref);
      assistant->metadata = epsimo_ts_node_new_object (json_object_ref (metadata));
    }
  if (tags != NULL)
    {
      g_clear_pointer (&assistant->tags, json_node_unref);
      assistant->tags = json_node_copy (tags);
    }
  if (public_present)
    assistant->is_public = is_public;
  assistant->updated_at = g_get_real_time ();

  return TRUE;
}

void
epsimo_ts_route_assistants_list (EpsimoTsRequest *req)
{
  GPtrArray *assistants = req->project->assistants;
  JsonArray *array = json_array_sized_new (assistants->len);
  gboolean live = epsimo_ts_request_is_live (req);

  for (guint i = 0; i < assistants->len; i++)
    json_array_add_object_element (array,
                                   epsimo_ts_render_assistant (g_ptr_array_index (assistants, i),
                                                               live));

  epsimo_ts_http_respond_array (req->msg, 200, array);
}

void
epsimo_ts_route_assistants_create (EpsimoTsRequest *req)
{
  JsonObject *body = epsimo_ts_request_body (req);
  const char *name;
  EpsimoTsAssistant *assistant;

  if (body == NULL || !epsimo_ts_request_string (req, body, "name", TRUE, &name))
    return;

  assistant = epsimo_ts_store_add_assistant (req->srv->store, req->project, name);
  if (!apply_body (req, assistant, body, TRUE))
    {
      epsimo_ts_store_remove_assistant (req->srv->store, assistant);
      return;
    }

  epsimo_ts_http_respond_object (req->msg, 201,
                                 epsimo_ts_render_assistant (assistant,
                                                             epsimo_ts_request_is_live (req)));
}

void
epsimo_ts_route_assistant_get (EpsimoTsRequest *req)
{
  EpsimoTsAssistant *assistant = epsimo_ts_request_assistant (req, req->params[0]);

  if (assistant == NULL)
    return;

  epsimo_ts_http_respond_object (req->msg, 200,
                                 epsimo_ts_render_assistant (assistant,
                                                             epsimo_ts_request_is_live (req)));
}

void
epsimo_ts_route_assistant_update (EpsimoTsRequest *req)
{
  EpsimoTsAssistant *assistant = epsimo_ts_request_assistant (req, req->params[0]);
  JsonObject *body;

  if (assistant == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL || !apply_body (req, assistant, body, FALSE))
    return;

  epsimo_ts_http_respond_object (req->msg, 200,
                                 epsimo_ts_render_assistant (assistant,
                                                             epsimo_ts_request_is_live (req)));
}

void
epsimo_ts_route_assistant_delete (EpsimoTsRequest *req)
{
  EpsimoTsAssistant *assistant = epsimo_ts_request_assistant (req, req->params[0]);

  if (assistant == NULL)
    return;

  epsimo_ts_store_remove_assistant (req->srv->store, assistant);
  epsimo_ts_http_respond_empty (req->msg, 204);
}
