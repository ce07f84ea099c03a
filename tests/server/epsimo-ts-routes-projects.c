/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"

static void
add_token (EpsimoTsRequest *req,
           JsonObject      *obj,
           EpsimoTsProject *project,
           gboolean         all_names)
{
  g_autofree char *token = epsimo_ts_tokens_issue (req->srv->tokens,
                                                   project->owner->user_id,
                                                   project->project_id);

  json_object_set_string_member (obj, "access_token", token);
  if (all_names)
    {
      json_object_set_string_member (obj, "token", token);
      json_object_set_string_member (obj, "jwt_token", token);
    }
  json_object_set_int_member (obj, "expires_in", epsimo_ts_tokens_get_ttl (req->srv->tokens));
}

/* Shared by create and update: name, description and metadata. */
static gboolean
read_fields (EpsimoTsRequest *req,
             JsonObject      *body,
             gboolean         creating,
             const char     **name,
             const char     **description,
             JsonObject     **metadata)
{
  JsonNode *node;

  if (!epsimo_ts_request_string (req, body, "name", creating, name) ||
      !epsimo_ts_request_string (req, body, "description", FALSE, description) ||
      !epsimo_ts_request_object (req, body, "metadata", FALSE, metadata))
    return FALSE;

  node = json_object_get_member (body, "name");
  if (!creating && node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (*name));

      if (trimmed[0] == '\0')
        {
          epsimo_ts_request_error (req, 422, "Field 'name' must not be empty", "name", NULL);
          return FALSE;
        }
    }

  return TRUE;
}

void
epsimo_ts_route_projects_list (EpsimoTsRequest *req)
{
  GPtrArray *projects = req->user->projects;
  JsonArray *array = json_array_sized_new (projects->len);

  for (guint i = 0; i < projects->len; i++)
    json_array_add_object_element (array,
                                   epsimo_ts_render_project (g_ptr_array_index (projects, i)));

  epsimo_ts_http_respond_array (req->msg, 200, array);
}

void
epsimo_ts_route_projects_create (EpsimoTsRequest *req)
{
  JsonObject *body = epsimo_ts_request_body (req);
  g_autoptr(JsonNode) metadata_node = NULL;
  const char *name;
  const char *description;
  JsonObject *metadata;
  EpsimoTsProject *project;
  JsonObject *obj;

  if (body == NULL || !read_fields (req, body, TRUE, &name, &description, &metadata))
    return;

  if (metadata != NULL)
    metadata_node = epsimo_ts_node_new_object (json_object_ref (metadata));
  project = epsimo_ts_store_add_project (req->srv->store, req->user, name, description,
                                         metadata_node);

  obj = epsimo_ts_render_project (project);
  add_token (req, obj, project, FALSE);
  epsimo_ts_http_respond_object (req->msg, 201, obj);
}

void
epsimo_ts_route_project_get (EpsimoTsRequest *req)
{
  EpsimoTsProject *project = epsimo_ts_request_own_project (req, req->params[0]);
  JsonObject *obj;

  if (project == NULL)
    return;

  obj = epsimo_ts_render_project (project);
  json_object_set_int_member (obj, "assistant_count", project->assistants->len);
  json_object_set_int_member (obj, "thread_count", project->threads->len);
  json_object_set_int_member (obj, "file_count", project->files->len);
  add_token (req, obj, project, TRUE);
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_project_update (EpsimoTsRequest *req)
{
  EpsimoTsProject *project = epsimo_ts_request_own_project (req, req->params[0]);
  JsonObject *body;
  const char *name;
  const char *description;
  JsonObject *metadata;

  if (project == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL || !read_fields (req, body, FALSE, &name, &description, &metadata))
    return;

  if (name != NULL)
    {
      g_free (project->name);
      project->name = g_strdup (name);
    }
  if (description != NULL)
    {
      g_free (project->description);
      project->description = g_strdup (description);
    }
  if (metadata != NULL)
    {
      g_clear_pointer (&project->metadata, json_node_unref);
      project->metadata = epsimo_ts_node_new_object (json_object_ref (metadata));
    }
  project->updated_at = g_get_real_time ();

  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_project (project));
}

void
epsimo_ts_route_project_delete (EpsimoTsRequest *req)
{
  EpsimoTsProject *project = epsimo_ts_request_own_project (req, req->params[0]);

  if (project == NULL)
    return;

  if (g_strcmp0 (epsimo_ts_request_query (req, "confirm"), "true") != 0)
    {
      epsimo_ts_http_respond_error_titled (req->msg, 400, "Confirmation required",
                                           "Add confirm=true to delete a project",
                                           "confirm", NULL);
      return;
    }

  epsimo_ts_store_remove_project (req->srv->store, project);
  epsimo_ts_http_respond_empty (req->msg, 204);
}
