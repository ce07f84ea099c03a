/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-assistants-service"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-assistants-service.h"
#include "epsimo-auth-service.h"
#include "epsimo-json.h"

struct _EpsimoAssistantsService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoAssistantsService, epsimo_assistants_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_assistants_service_dispose (GObject *object)
{
  EpsimoAssistantsService *self = (EpsimoAssistantsService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_assistants_service_parent_class)->dispose (object);
}

static void
epsimo_assistants_service_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  EpsimoAssistantsService *self = EPSIMO_ASSISTANTS_SERVICE (object);

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
epsimo_assistants_service_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  EpsimoAssistantsService *self = EPSIMO_ASSISTANTS_SERVICE (object);

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
epsimo_assistants_service_class_init (EpsimoAssistantsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_assistants_service_dispose;
  object_class->get_property = epsimo_assistants_service_get_property;
  object_class->set_property = epsimo_assistants_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_assistants_service_init (EpsimoAssistantsService *self)
{
}

EpsimoAssistantsService *
epsimo_assistants_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_ASSISTANTS_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_assistants_service_get_client (EpsimoAssistantsService *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), NULL);

  return self->client;
}

static EpsimoRequest *
new_request (const char *method,
             const char *project_id,
             const char *assistant_id)
{
  g_autofree char *escaped = assistant_id ? epsimo_request_escape (assistant_id) : NULL;
  g_autofree char *path = g_strconcat ("/assistants/", escaped, NULL);
  EpsimoRequest *request = epsimo_request_new (method, path);

  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, project_id);
  return request;
}

static EpsimoAssistant *
assistant_from_node (JsonNode  *node,
                     GError   **error)
{
  return epsimo_json_read_object (node, (EpsimoJsonReader) epsimo_assistant_new_from_json,
                                  _("The server sent an assistant that could not be read"), error);
}

/* List */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) assistants = NULL;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error) ||
      !(assistants = epsimo_json_read_list (node, "assistants", (EpsimoJsonReader) epsimo_assistant_new_from_json,
                                     _("The server sent an assistant that could not be read"), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&assistants),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
epsimo_assistants_service_list_async (EpsimoAssistantsService *self,
                                      const char              *project_id,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_list_async);

  request = new_request ("GET", project_id, NULL);
  epsimo_client_call_async (self->client, request, cancellable, list_cb, g_steal_pointer (&task));
}

GPtrArray *
epsimo_assistants_service_list_finish (EpsimoAssistantsService  *self,
                                       GAsyncResult             *result,
                                       GError                  **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Get and create: one assistant answered */

static void
assistant_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoAssistant *assistant;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  assistant = assistant_from_node (node, &error);
  if (assistant == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, assistant, g_object_unref);
}

void
epsimo_assistants_service_get_async (EpsimoAssistantsService *self,
                                     const char              *project_id,
                                     const char              *assistant_id,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (assistant_id != NULL && *assistant_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_get_async);

  request = new_request ("GET", project_id, assistant_id);
  epsimo_client_call_async (self->client, request, cancellable,
                            assistant_cb, g_steal_pointer (&task));
}

EpsimoAssistant *
epsimo_assistants_service_get_finish (EpsimoAssistantsService  *self,
                                      GAsyncResult             *result,
                                      GError                  **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Create and update: the body needs the dialect */

typedef struct
{
  char            *project_id;
  EpsimoAssistant *assistant;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->project_id);
  g_clear_object (&data->assistant);
  g_free (data);
}

static void
update_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An answer without the assistant (e.g. {"success": true}) means the
   * server took what was sent. */
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_has_member (json_node_get_object (node), "name") &&
      !epsimo_assistant_update_from_json (data->assistant, json_node_get_object (node), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
write_dialect_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  EpsimoAssistantsService *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect;
  gboolean create;

  dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source),
                                                       result, &error);
  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  create = g_task_get_source_tag (task) == epsimo_assistants_service_create_async;
  body = epsimo_assistant_to_json (data->assistant, dialect);
  request = new_request (create ? "POST" : "PUT", data->project_id,
                         create ? NULL : epsimo_assistant_get_id (data->assistant));
  epsimo_request_set_body (request, body);
  epsimo_client_call_async (self->client, request, cancellable,
                            create ? assistant_cb : update_cb, g_steal_pointer (&task));
}

static void
write_assistant (EpsimoAssistantsService *self,
                 GTask                   *task,
                 const char              *project_id,
                 EpsimoAssistant         *assistant)
{
  g_autoptr(EpsimoAuthService) auth = epsimo_auth_service_new (self->client);
  WriteData *data;

  data = g_new0 (WriteData, 1);
  data->project_id = g_strdup (project_id);
  data->assistant = g_object_ref (assistant);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);

  /* The same path takes a different configuration shape per dialect, so the
   * client's live-then-reference fallback cannot choose it: learn it first. */
  epsimo_auth_service_ensure_dialect_async (auth, g_task_get_cancellable (task),
                                            write_dialect_cb, g_object_ref (task));
}

void
epsimo_assistants_service_create_async (EpsimoAssistantsService *self,
                                        const char              *project_id,
                                        EpsimoAssistant         *assistant,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (EPSIMO_IS_ASSISTANT (assistant));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_create_async);
  write_assistant (self, task, project_id, assistant);
}

EpsimoAssistant *
epsimo_assistants_service_create_finish (EpsimoAssistantsService  *self,
                                         GAsyncResult             *result,
                                         GError                  **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
epsimo_assistants_service_update_async (EpsimoAssistantsService *self,
                                        const char              *project_id,
                                        EpsimoAssistant         *assistant,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (EPSIMO_IS_ASSISTANT (assistant));
  g_return_if_fail (epsimo_assistant_get_id (assistant) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_update_async);
  write_assistant (self, task, project_id, assistant);
}

gboolean
epsimo_assistants_service_update_finish (EpsimoAssistantsService  *self,
                                         GAsyncResult             *result,
                                         GError                  **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_update_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Delete */

static void
boolean_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
epsimo_assistants_service_delete_async (EpsimoAssistantsService *self,
                                        const char              *project_id,
                                        const char              *assistant_id,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (assistant_id != NULL && *assistant_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_delete_async);

  request = new_request ("DELETE", project_id, assistant_id);
  epsimo_client_call_async (self->client, request, cancellable,
                            boolean_cb, g_steal_pointer (&task));
}

gboolean
epsimo_assistants_service_delete_finish (EpsimoAssistantsService  *self,
                                         GAsyncResult             *result,
                                         GError                  **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Tool catalogue */

static void
list_tools_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error) ||
      !(tools = epsimo_json_read_list (node, "tools", (EpsimoJsonReader) epsimo_tool_new_from_json,
                                     _("The server sent a tool that could not be read"), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&tools), (GDestroyNotify) g_ptr_array_unref);
}

void
epsimo_assistants_service_list_tools_async (EpsimoAssistantsService *self,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_list_tools_async);

  request = epsimo_request_new ("GET", "/tools/");
  epsimo_client_call_async (self->client, request, cancellable,
                            list_tools_cb, g_steal_pointer (&task));
}

GPtrArray *
epsimo_assistants_service_list_tools_finish (EpsimoAssistantsService  *self,
                                             GAsyncResult             *result,
                                             GError                  **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_list_tools_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  gboolean  healthy;
  char     *message;
} Health;

static void
health_free (Health *health)
{
  g_free (health->message);
  g_free (health);
}

static void
tool_health_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *status;
  const char *message;
  Health *health;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server sent a tool status that could not be read"));
      return;
    }

  object = json_node_get_object (node);
  status = epsimo_json_require_string (object, "status", _("tool status"), &error);
  if (status == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  message = epsimo_json_get_string (object, "message");
  if (message == NULL || *message == '\0')
    message = epsimo_json_get_string (object, "error");

  health = g_new0 (Health, 1);
  health->healthy = g_ascii_strcasecmp (status, "healthy") == 0 ||
                    g_ascii_strcasecmp (status, "ok") == 0;
  health->message = g_strdup (message);
  g_task_return_pointer (task, health, (GDestroyNotify) health_free);
}

void
epsimo_assistants_service_get_tool_health_async (EpsimoAssistantsService *self,
                                                 const char              *tool_type,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self));
  g_return_if_fail (tool_type != NULL && *tool_type != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistants_service_get_tool_health_async);

  escaped = epsimo_request_escape (tool_type);
  path = g_strconcat ("/health/tool/", escaped, NULL);
  request = epsimo_request_new ("GET", path);
  epsimo_client_call_async (self->client, request, cancellable,
                            tool_health_cb, g_steal_pointer (&task));
}

gboolean
epsimo_assistants_service_get_tool_health_finish (EpsimoAssistantsService  *self,
                                                  GAsyncResult             *result,
                                                  gboolean                 *healthy,
                                                  char                    **message,
                                                  GError                  **error)
{
  Health *health;

  g_return_val_if_fail (EPSIMO_IS_ASSISTANTS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistants_service_get_tool_health_async, FALSE);

  health = g_task_propagate_pointer (G_TASK (result), error);
  if (healthy != NULL)
    *healthy = health != NULL && health->healthy;
  if (message != NULL)
    *message = health != NULL ? g_steal_pointer (&health->message) : NULL;
  if (health == NULL)
    return FALSE;

  health_free (health);
  return TRUE;
}
