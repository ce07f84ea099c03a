/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-files-service"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-files-service.h"
#include "epsimo-json.h"
#include "epsimo-multipart-stream.h"

struct _EpsimoFilesService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoFilesService, epsimo_files_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_files_service_dispose (GObject *object)
{
  EpsimoFilesService *self = (EpsimoFilesService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_files_service_parent_class)->dispose (object);
}

static void
epsimo_files_service_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoFilesService *self = EPSIMO_FILES_SERVICE (object);

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
epsimo_files_service_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoFilesService *self = EPSIMO_FILES_SERVICE (object);

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
epsimo_files_service_class_init (EpsimoFilesServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_files_service_dispose;
  object_class->get_property = epsimo_files_service_get_property;
  object_class->set_property = epsimo_files_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_files_service_init (EpsimoFilesService *self)
{
}

EpsimoFilesService *
epsimo_files_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_FILES_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_files_service_get_client (EpsimoFilesService *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_SERVICE (self), NULL);

  return self->client;
}

static EpsimoFile *
file_from_node (JsonNode  *node,
                GError   **error)
{
  return epsimo_json_read_object (node, (EpsimoJsonReader) epsimo_file_new_from_json,
                                  _("The server sent a file that could not be read"), error);
}

static GError *
assistant_required_error (void)
{
  GError *error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION,
                                       _("On this server, files belong to an assistant: "
                                         "choose one first"));

  epsimo_api_error_set_details (error, 0, NULL, "assistant_id");
  return error;
}

/* The live form under /assistants/{aid}/files (when there is an assistant)
 * with the reference /files/ form as the alternative. */
static EpsimoRequest *
new_request (const char *method,
             const char *project_id,
             const char *assistant_id,
             const char *file_id)
{
  g_autofree char *file = file_id ? epsimo_request_escape (file_id) : NULL;
  g_autofree char *reference_path = g_strconcat ("/files/", file, NULL);
  EpsimoRequest *request;

  if (assistant_id != NULL)
    {
      g_autofree char *assistant = epsimo_request_escape (assistant_id);
      g_autofree char *live_path = NULL;

      if (file != NULL)
        live_path = g_strconcat ("/assistants/", assistant, "/files/", file, NULL);
      else
        live_path = g_strconcat ("/assistants/", assistant, "/files", NULL);
      request = epsimo_request_new (method, live_path);
      epsimo_request_set_reference (request, method, reference_path, NULL);
    }
  else
    request = epsimo_request_new (method, reference_path);

  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, project_id);
  return request;
}

/* List */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error) ||
      !(files = epsimo_json_read_list (node, "files", (EpsimoJsonReader) epsimo_file_new_from_json,
                                     _("The server sent a file that could not be read"), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
}

void
epsimo_files_service_list_async (EpsimoFilesService  *self,
                                 const char          *project_id,
                                 const char          *assistant_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_FILES_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_files_service_list_async);

  if (assistant_id == NULL && epsimo_client_get_dialect (self->client) == EPSIMO_DIALECT_LIVE)
    {
      g_task_return_error (task, assistant_required_error ());
      return;
    }

  request = new_request ("GET", project_id, assistant_id, NULL);
  epsimo_client_call_async (self->client, request, cancellable, list_cb, g_steal_pointer (&task));
}

GPtrArray *
epsimo_files_service_list_finish (EpsimoFilesService  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_files_service_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Upload */

typedef struct
{
  char                  *project_id;
  char                  *assistant_id;
  GFile                 *file;
  char                  *purpose;
  EpsimoDialect          dialect;
  EpsimoMultipartStream *body;
  EpsimoProgressFunc     progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
} UploadData;

static void
upload_data_free (UploadData *data)
{
  /* Unless handed to the client, which then frees it. */
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_free (data->project_id);
  g_free (data->assistant_id);
  g_clear_object (&data->file);
  g_free (data->purpose);
  g_clear_object (&data->body);
  g_free (data);
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *item;
  EpsimoFile *file;

  if (!epsimo_client_upload_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Reference: the file; live: {"files": [...]} (or a bare list). */
  item = node;
  if (node != NULL &&
      (JSON_NODE_HOLDS_ARRAY (node) ||
       (JSON_NODE_HOLDS_OBJECT (node) &&
        epsimo_json_get_array (json_node_get_object (node), "files") != NULL)))
    {
      g_autoptr(GPtrArray) items = epsimo_json_get_list (node, "files", &error);

      if (items == NULL || items->len == 0)
        {
          g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                                   _("The server did not say which file it stored"));
          return;
        }
      item = g_ptr_array_index (items, 0);
      file = file_from_node (item, &error);
    }
  else
    file = file_from_node (item, &error);

  if (file == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, file, g_object_unref);
}

static void
send_upload (GTask *task)
{
  EpsimoFilesService *self = g_task_get_source_object (task);
  UploadData *data = g_task_get_task_data (task);
  g_autoptr(EpsimoRequest) request = NULL;
  g_autofree char *path = NULL;

  if (data->dialect == EPSIMO_DIALECT_LIVE)
    {
      g_autofree char *assistant = epsimo_request_escape (data->assistant_id);

      path = g_strconcat ("/assistants/", assistant, "/files", NULL);
    }
  else
    path = g_strdup ("/files/");

  request = epsimo_request_new ("POST", path);
  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, data->project_id);

  epsimo_client_upload_async (self->client, request, G_INPUT_STREAM (data->body),
                              epsimo_multipart_stream_get_length (data->body),
                              epsimo_multipart_stream_get_content_type (data->body),
                              data->progress, g_steal_pointer (&data->progress_data),
                              g_steal_pointer (&data->progress_destroy),
                              g_task_get_cancellable (task), upload_cb, task);
}

/* Runs in a worker: adding the file queries its size (blocking I/O). */
static void
build_body_thread (GTask        *build,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  UploadData *data = task_data;
  g_autoptr(EpsimoMultipartStream) body = epsimo_multipart_stream_new ();
  g_autoptr(GError) error = NULL;
  const char *field = data->dialect == EPSIMO_DIALECT_LIVE ? "files" : "file";

  if (!epsimo_multipart_stream_add_file (body, field, data->file, NULL, NULL, &error))
    {
      g_task_return_error (build, g_steal_pointer (&error));
      return;
    }
  if (data->dialect != EPSIMO_DIALECT_LIVE)
    epsimo_multipart_stream_add_field (body, "purpose",
                                       data->purpose != NULL ? data->purpose : "retrieval");

  g_task_return_pointer (build, g_steal_pointer (&body), g_object_unref);
}

static void
build_body_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UploadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->body = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send_upload (g_steal_pointer (&task));
}

static void
upload_dialect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoFilesService *self = g_task_get_source_object (task);
  UploadData *data = g_task_get_task_data (task);
  g_autoptr(GTask) build = NULL;
  g_autoptr(GError) error = NULL;

  data->dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source),
                                                             result, &error);
  if (data->dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->dialect == EPSIMO_DIALECT_LIVE && data->assistant_id == NULL)
    {
      g_task_return_error (task, assistant_required_error ());
      return;
    }

  /* The body's field names depend on the dialect, so it is built now. The
   * worker only reads task data that nothing else touches meanwhile. */
  build = g_task_new (self, g_task_get_cancellable (task), build_body_cb, g_object_ref (task));
  g_task_set_source_tag (build, build_body_thread);
  g_task_set_task_data (build, data, NULL);
  g_task_run_in_thread (build, build_body_thread);
}

void
epsimo_files_service_upload_async (EpsimoFilesService  *self,
                                   const char          *project_id,
                                   const char          *assistant_id,
                                   GFile               *file,
                                   const char          *purpose,
                                   EpsimoProgressFunc   progress,
                                   gpointer             progress_data,
                                   GDestroyNotify       progress_destroy,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  UploadData *data;

  g_return_if_fail (EPSIMO_IS_FILES_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_files_service_upload_async);

  data = g_new0 (UploadData, 1);
  data->project_id = g_strdup (project_id);
  data->assistant_id = assistant_id != NULL && *assistant_id != '\0'
                       ? g_strdup (assistant_id) : NULL;
  data->file = g_object_ref (file);
  data->purpose = g_strdup (purpose);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) upload_data_free);

  /* The client can fall back to the other dialect only with a body it can
   * send again, and the two bodies differ anyway: learn the dialect first. */
  auth = epsimo_auth_service_new (self->client);
  epsimo_auth_service_ensure_dialect_async (auth, cancellable,
                                            upload_dialect_cb, g_steal_pointer (&task));
}

EpsimoFile *
epsimo_files_service_upload_finish (EpsimoFilesService  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_files_service_upload_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Delete */

static void
delete_cb (GObject      *source,
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
epsimo_files_service_delete_async (EpsimoFilesService  *self,
                                   const char          *project_id,
                                   const char          *assistant_id,
                                   const char          *file_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_FILES_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (file_id != NULL && *file_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_files_service_delete_async);

  if (assistant_id == NULL && epsimo_client_get_dialect (self->client) == EPSIMO_DIALECT_LIVE)
    {
      g_task_return_error (task, assistant_required_error ());
      return;
    }

  request = new_request ("DELETE", project_id, assistant_id, file_id);
  epsimo_client_call_async (self->client, request, cancellable,
                            delete_cb, g_steal_pointer (&task));
}

gboolean
epsimo_files_service_delete_finish (EpsimoFilesService  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_files_service_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
