/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-database-service"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-database-service.h"
#include "epsimo-json.h"
#include "epsimo-state-reader.h"

struct _EpsimoDatabaseService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoDatabaseService, epsimo_database_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_database_service_dispose (GObject *object)
{
  EpsimoDatabaseService *self = (EpsimoDatabaseService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_database_service_parent_class)->dispose (object);
}

static void
epsimo_database_service_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EpsimoDatabaseService *self = EPSIMO_DATABASE_SERVICE (object);

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
epsimo_database_service_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EpsimoDatabaseService *self = EPSIMO_DATABASE_SERVICE (object);

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
epsimo_database_service_class_init (EpsimoDatabaseServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_database_service_dispose;
  object_class->get_property = epsimo_database_service_get_property;
  object_class->set_property = epsimo_database_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_database_service_init (EpsimoDatabaseService *self)
{
}

EpsimoDatabaseService *
epsimo_database_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_DATABASE_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_database_service_get_client (EpsimoDatabaseService *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_SERVICE (self), NULL);

  return self->client;
}

/* Live: /threads/{thread}/state; reference: /db/{project}/{thread}[/{key}]. */
static EpsimoRequest *
new_request (const char *live_method,
             const char *reference_method,
             const char *project_id,
             const char *thread_id,
             const char *key,
             JsonNode   *reference_body)
{
  g_autofree char *project = epsimo_request_escape (project_id);
  g_autofree char *thread = epsimo_request_escape (thread_id);
  g_autofree char *escaped_key = key ? epsimo_request_escape (key) : NULL;
  g_autofree char *live_path = g_strconcat ("/threads/", thread, "/state", NULL);
  g_autofree char *reference_path = NULL;
  EpsimoRequest *request;

  if (escaped_key != NULL)
    reference_path = g_strconcat ("/db/", project, "/", thread, "/", escaped_key, NULL);
  else
    reference_path = g_strconcat ("/db/", project, "/", thread, NULL);

  request = epsimo_request_new (live_method, live_path);
  epsimo_request_set_reference (request, reference_method, reference_path, reference_body);
  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, project_id);
  return request;
}

/* Get all */

/* The live state's values (the database: the reader leaves the conversation out), or the
 * reference answer, which is the database alone. */
static JsonObject *
database_from_read (EpsimoStateRead  *read,
                    GError          **error)
{
  if (read->dialect != EPSIMO_DIALECT_REFERENCE)
    return json_object_ref (read->values);

  if (read->reference == NULL || !JSON_NODE_HOLDS_OBJECT (read->reference))
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("The server sent thread data that could not be read"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (read->reference));
}

static void
get_all_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EpsimoStateRead) read = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GError) error = NULL;

  read = epsimo_state_reader_read_finish (result, &error);
  if (read == NULL || !(values = database_from_read (read, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nothing else holds what was read: the caller gets it, without a conversation a
   * reference server might send (the live reader already left it out). */
  if (json_object_has_member (values, "messages"))
    json_object_remove_member (values, "messages");
  g_task_return_pointer (task, g_steal_pointer (&values), (GDestroyNotify) json_object_unref);
}

void
epsimo_database_service_get_all_async (EpsimoDatabaseService *self,
                                       const char            *project_id,
                                       const char            *thread_id,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_DATABASE_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_database_service_get_all_async);

  request = new_request ("GET", "GET", project_id, thread_id, NULL, NULL);
  epsimo_state_reader_read_async (self->client, request, EPSIMO_STATE_READ_VALUES, 0, NULL,
                                  G_PRIORITY_DEFAULT, cancellable, get_all_cb,
                                  g_steal_pointer (&task));
}

JsonObject *
epsimo_database_service_get_all_finish (EpsimoDatabaseService  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_database_service_get_all_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Get one key */

static void
get_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *key = g_task_get_task_data (task);
  g_autoptr(EpsimoStateRead) read = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  read = epsimo_state_reader_read_finish (result, &error);
  if (read == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (read->dialect == EPSIMO_DIALECT_REFERENCE)
    {
      /* The body is the value itself; an empty one can only mean null. */
      if (read->reference == NULL)
        read->reference = json_node_init_null (json_node_alloc ());
      g_task_return_pointer (task, epsimo_json_node_copy (read->reference),
                             (GDestroyNotify) json_node_unref);
      return;
    }

  /* The reader left the conversation ("messages") out of the values. */
  value = json_object_get_member (read->values, key);
  if (value == NULL)
    {
      g_autoptr(GError) missing = NULL;

      missing = g_error_new (EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND,
                             _("This thread has no key “%s”"), key);
      g_task_return_error (task, g_steal_pointer (&missing));
      return;
    }

  g_task_return_pointer (task, epsimo_json_node_copy (value), (GDestroyNotify) json_node_unref);
}

void
epsimo_database_service_get_key_async (EpsimoDatabaseService *self,
                                       const char            *project_id,
                                       const char            *thread_id,
                                       const char            *key,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_DATABASE_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (key != NULL && *key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_database_service_get_key_async);
  g_task_set_task_data (task, g_strdup (key), g_free);

  request = new_request ("GET", "GET", project_id, thread_id, key, NULL);
  epsimo_state_reader_read_async (self->client, request, EPSIMO_STATE_READ_VALUES, 0, NULL,
                                  G_PRIORITY_DEFAULT, cancellable, get_key_cb,
                                  g_steal_pointer (&task));
}

JsonNode *
epsimo_database_service_get_key_finish (EpsimoDatabaseService  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_database_service_get_key_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Set one key */

static void
answer_closed (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
}

static void
set_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GInputStream) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = epsimo_client_open_body_finish (EPSIMO_CLIENT (source), result, NULL, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nothing of the answer is needed, and it may be the whole state (the conversation). */
  g_input_stream_close_async (answer, G_PRIORITY_DEFAULT, NULL, answer_closed, NULL);
  g_task_return_boolean (task, TRUE);
}

void
epsimo_database_service_set_key_async (EpsimoDatabaseService *self,
                                       const char            *project_id,
                                       const char            *thread_id,
                                       const char            *key,
                                       JsonNode              *value,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonObject) live = NULL;
  g_autoptr(JsonObject) reference = NULL;
  g_autoptr(JsonNode) live_node = NULL;
  g_autoptr(JsonNode) reference_node = NULL;
  JsonObject *values;

  g_return_if_fail (EPSIMO_IS_DATABASE_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (key != NULL && *key != '\0');
  g_return_if_fail (value != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_database_service_set_key_async);

  /* Writing "messages" would replace the conversation on the live backend. */
  if (g_str_equal (key, "messages"))
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION,
                                   _("“messages” holds the conversation and cannot be "
                                     "used as a key"));
      epsimo_api_error_set_details (error, 0, NULL, "key");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  values = json_object_new ();
  json_object_set_member (values, key, epsimo_json_node_copy (value));
  live = json_object_new ();
  json_object_set_object_member (live, "values", values);
  json_object_set_object_member (live, "config", json_object_new ());
  live_node = json_node_init_object (json_node_alloc (), live);

  reference = json_object_new ();
  json_object_set_member (reference, "value", epsimo_json_node_copy (value));
  reference_node = json_node_init_object (json_node_alloc (), reference);

  request = new_request ("POST", "PUT", project_id, thread_id, key, reference_node);
  epsimo_request_set_body (request, live_node);
  /* Both forms set the key to the same value however often they are sent. */
  epsimo_request_set_idempotent (request, TRUE);
  epsimo_client_open_body_async (self->client, request, cancellable,
                                 set_key_cb, g_steal_pointer (&task));
}

gboolean
epsimo_database_service_set_key_finish (EpsimoDatabaseService  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_database_service_set_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
