/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-projects-service"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-projects-service.h"

struct _EpsimoProjectsService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoProjectsService, epsimo_projects_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_projects_service_dispose (GObject *object)
{
  EpsimoProjectsService *self = (EpsimoProjectsService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_projects_service_parent_class)->dispose (object);
}

static void
epsimo_projects_service_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  EpsimoProjectsService *self = EPSIMO_PROJECTS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_projects_service_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  EpsimoProjectsService *self = EPSIMO_PROJECTS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_projects_service_class_init (EpsimoProjectsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_projects_service_dispose;
  object_class->get_property = epsimo_projects_service_get_property;
  object_class->set_property = epsimo_projects_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_projects_service_init (EpsimoProjectsService *self)
{
}

EpsimoProjectsService *
epsimo_projects_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_PROJECTS_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_projects_service_get_client (EpsimoProjectsService *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self), NULL);

  return self->client;
}

/* Reads one project of an answer, seeding the client's cache with the
 * project token it carries so the next project-scoped call need not fetch it. */
static EpsimoProject *
project_from_node (EpsimoClient  *client,
                   JsonNode      *node,
                   GError       **error)
{
  EpsimoProject *project;
  JsonObject *object;
  const char *token;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("The server sent a project that could not be read"));
      return NULL;
    }

  object = json_node_get_object (node);
  project = epsimo_project_new_from_json (object, error);
  if (project == NULL)
    return NULL;

  token = epsimo_json_get_token (object);
  if (token != NULL)
    epsimo_client_set_project_token (client, epsimo_project_get_id (project), token);

  return project;
}

static EpsimoRequest *
new_project_request (const char *method,
                     const char *project_id,
                     const char *query)
{
  g_autofree char *escaped = epsimo_request_escape (project_id);
  g_autofree char *path = g_strconcat ("/projects/", escaped, query, NULL);

  return epsimo_request_new (method, path);
}

/* List */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *client = EPSIMO_CLIENT (source);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (client, result, &node, NULL, &error) ||
      !(items = epsimo_json_get_list (node, "projects", &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  projects = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      EpsimoProject *project = project_from_node (client, g_ptr_array_index (items, i), &error);

      if (project == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (projects, project);
    }

  g_task_return_pointer (task, g_steal_pointer (&projects), (GDestroyNotify) g_ptr_array_unref);
}

void
epsimo_projects_service_list_async (EpsimoProjectsService *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_projects_service_list_async);

  request = epsimo_request_new ("GET", "/projects/");
  epsimo_client_call_async (self->client, request, cancellable, list_cb, g_steal_pointer (&task));
}

GPtrArray *
epsimo_projects_service_list_finish (EpsimoProjectsService  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_projects_service_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Create and get: one project answered */

static void
project_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *client = EPSIMO_CLIENT (source);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoProject *project;

  if (!epsimo_client_call_finish (client, result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  project = project_from_node (client, node, &error);
  if (project == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, project, g_object_unref);
}

void
epsimo_projects_service_create_async (EpsimoProjectsService *self,
                                      EpsimoProject         *project,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self));
  g_return_if_fail (EPSIMO_IS_PROJECT (project));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_projects_service_create_async);

  /* Both dialects take the same body. */
  body = epsimo_project_to_json (project, epsimo_client_get_dialect (self->client));
  request = epsimo_request_new ("POST", "/projects/");
  epsimo_request_set_body (request, body);
  epsimo_client_call_async (self->client, request, cancellable,
                            project_cb, g_steal_pointer (&task));
}

EpsimoProject *
epsimo_projects_service_create_finish (EpsimoProjectsService  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_projects_service_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
epsimo_projects_service_get_async (EpsimoProjectsService *self,
                                   const char            *project_id,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_projects_service_get_async);

  request = new_project_request ("GET", project_id, NULL);
  epsimo_client_call_async (self->client, request, cancellable,
                            project_cb, g_steal_pointer (&task));
}

EpsimoProject *
epsimo_projects_service_get_finish (EpsimoProjectsService  *self,
                                    GAsyncResult           *result,
                                    GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_projects_service_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Update */

static void
update_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *client = EPSIMO_CLIENT (source);
  EpsimoProject *project = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (!epsimo_client_call_finish (client, result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Some servers answer a PUT with {"success": true} only: then what was
   * sent is what the server now has. */
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_has_member ((object = json_node_get_object (node)), "name"))
    {
      const char *token = epsimo_json_get_token (object);

      if (!epsimo_project_update_from_json (project, object, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (token != NULL)
        epsimo_client_set_project_token (client, epsimo_project_get_id (project), token);
    }

  g_task_return_boolean (task, TRUE);
}

void
epsimo_projects_service_update_async (EpsimoProjectsService *self,
                                      EpsimoProject         *project,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self));
  g_return_if_fail (EPSIMO_IS_PROJECT (project));
  g_return_if_fail (epsimo_project_get_id (project) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_projects_service_update_async);
  g_task_set_task_data (task, g_object_ref (project), g_object_unref);

  body = epsimo_project_to_json (project, epsimo_client_get_dialect (self->client));
  request = new_project_request ("PUT", epsimo_project_get_id (project), NULL);
  epsimo_request_set_body (request, body);
  epsimo_client_call_async (self->client, request, cancellable,
                            update_cb, g_steal_pointer (&task));
}

gboolean
epsimo_projects_service_update_finish (EpsimoProjectsService  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_projects_service_update_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Delete */

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *client = EPSIMO_CLIENT (source);
  const char *project_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (client, result, NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  epsimo_client_set_project_token (client, project_id, NULL);
  g_task_return_boolean (task, TRUE);
}

void
epsimo_projects_service_delete_async (EpsimoProjectsService *self,
                                      const char            *project_id,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_projects_service_delete_async);
  g_task_set_task_data (task, g_strdup (project_id), g_free);

  request = new_project_request ("DELETE", project_id, "?confirm=true");
  epsimo_client_call_async (self->client, request, cancellable,
                            delete_cb, g_steal_pointer (&task));
}

gboolean
epsimo_projects_service_delete_finish (EpsimoProjectsService  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECTS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_projects_service_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
