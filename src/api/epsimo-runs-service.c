/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-runs-service"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-message.h"
#include "epsimo-runs-service.h"

struct _EpsimoRunsService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoRunsService, epsimo_runs_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_runs_service_dispose (GObject *object)
{
  EpsimoRunsService *self = (EpsimoRunsService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_runs_service_parent_class)->dispose (object);
}

static void
epsimo_runs_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EpsimoRunsService *self = EPSIMO_RUNS_SERVICE (object);

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
epsimo_runs_service_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EpsimoRunsService *self = EPSIMO_RUNS_SERVICE (object);

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
epsimo_runs_service_class_init (EpsimoRunsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_runs_service_dispose;
  object_class->get_property = epsimo_runs_service_get_property;
  object_class->set_property = epsimo_runs_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_runs_service_init (EpsimoRunsService *self)
{
}

EpsimoRunsService *
epsimo_runs_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_RUNS_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_runs_service_get_client (EpsimoRunsService *self)
{
  g_return_val_if_fail (EPSIMO_IS_RUNS_SERVICE (self), NULL);

  return self->client;
}

/* What the service keeps about a run, on its stream. */
#define RUN_INFO_KEY "epsimo-runs-service-run"

typedef struct
{
  char         *project_id;
  char         *thread_id;
  char         *run_id;
  GCancellable *read_cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_cancelled_id;
} RunInfo;

static void
run_info_disconnect_caller (RunInfo *info)
{
  /* A plain signal handler, not g_cancellable_connect(): it may be removed
   * while the cancellable is being cancelled, from the main thread. */
  if (info->caller_cancelled_id != 0)
    g_clear_signal_handler (&info->caller_cancelled_id, info->caller_cancellable);
}

static void
run_info_free (RunInfo *info)
{
  run_info_disconnect_caller (info);
  g_free (info->project_id);
  g_free (info->thread_id);
  g_free (info->run_id);
  g_clear_object (&info->read_cancellable);
  g_clear_object (&info->caller_cancellable);
  g_free (info);
}

typedef struct
{
  char *project_id;
  char *thread_id;
} StartData;

static void
start_data_free (StartData *data)
{
  g_free (data->project_id);
  g_free (data->thread_id);
  g_free (data);
}

static void
on_stream_event (EpsimoRunStream *stream,
                 EpsimoRunEvent  *event,
                 gpointer         user_data)
{
  RunInfo *info = user_data;

  if (event->kind == EPSIMO_RUN_EVENT_STARTED && event->run_id != NULL && info->run_id == NULL)
    info->run_id = g_strdup (event->run_id);
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GCancellable *read_cancellable = user_data;

  g_cancellable_cancel (read_cancellable);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EpsimoRunStream *stream = EPSIMO_RUN_STREAM (source);
  RunInfo *info = g_object_get_data (G_OBJECT (stream), RUN_INFO_KEY);
  g_autoptr(GError) error = NULL;

  /* The outcome reached the caller as the DONE or ERROR event already. */
  if (!epsimo_run_stream_read_finish (stream, result, &error))
    g_debug ("Run stream ended: %s", error->message);

  if (info != NULL)
    run_info_disconnect_caller (info);
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *client = EPSIMO_CLIENT (source);
  StartData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect = EPSIMO_DIALECT_UNKNOWN;
  RunInfo *info;
  guint timeout = 0;

  body = epsimo_client_open_stream_finish (client, result, &dialect, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  stream = epsimo_run_stream_new (dialect);
  g_object_get (client, "timeout", &timeout, NULL);
  epsimo_run_stream_set_idle_timeout (stream, timeout);

  info = g_new0 (RunInfo, 1);
  info->project_id = g_steal_pointer (&data->project_id);
  info->thread_id = g_steal_pointer (&data->thread_id);
  info->read_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (stream), RUN_INFO_KEY, info, (GDestroyNotify) run_info_free);

  /* The caller's cancellable stops the reply too, so a widget that cancels
   * in dispose gets no more events. */
  if (cancellable != NULL)
    {
      info->caller_cancellable = g_object_ref (cancellable);
      info->caller_cancelled_id = g_signal_connect (cancellable, "cancelled",
                                                    G_CALLBACK (on_caller_cancelled),
                                                    info->read_cancellable);
    }

  /* Connected before the caller's handlers, so the run id is known by the
   * time they see STARTED. */
  g_signal_connect (stream, "event", G_CALLBACK (on_stream_event), info);

  epsimo_run_stream_read_async (stream, body, info->read_cancellable, read_done_cb, NULL);
  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

void
epsimo_runs_service_start_async (EpsimoRunsService   *self,
                                 const char          *project_id,
                                 const char          *thread_id,
                                 const char          *assistant_id,
                                 const char          *text,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(EpsimoMessage) message = NULL;
  g_autoptr(JsonObject) live = NULL;
  g_autoptr(JsonObject) reference = NULL;
  g_autoptr(JsonNode) live_node = NULL;
  g_autoptr(JsonNode) reference_node = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *reference_path = NULL;
  JsonArray *input;
  JsonArray *modes;
  StartData *data;

  g_return_if_fail (EPSIMO_IS_RUNS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (text != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_runs_service_start_async);

  data = g_new0 (StartData, 1);
  data->project_id = g_strdup (project_id);
  data->thread_id = g_strdup (thread_id);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  message = epsimo_message_new (EPSIMO_MESSAGE_ROLE_USER, text);
  input = json_array_new ();
  json_array_add_element (input, epsimo_message_to_json (message, EPSIMO_DIALECT_LIVE));
  modes = json_array_new ();
  json_array_add_string_element (modes, "messages");
  json_array_add_string_element (modes, "values");

  live = json_object_new ();
  json_object_set_string_member (live, "thread_id", thread_id);
  if (assistant_id != NULL && *assistant_id != '\0')
    json_object_set_string_member (live, "assistant_id", assistant_id);
  json_object_set_array_member (live, "input", input);
  json_object_set_array_member (live, "stream_mode", modes);
  live_node = json_node_init_object (json_node_alloc (), live);

  reference = json_object_new ();
  json_object_set_string_member (reference, "message", text);
  json_object_set_boolean_member (reference, "stream", TRUE);
  reference_node = json_node_init_object (json_node_alloc (), reference);

  escaped = epsimo_request_escape (thread_id);
  reference_path = g_strconcat ("/threads/", escaped, "/run", NULL);

  request = epsimo_request_new ("POST", "/runs/stream");
  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, project_id);
  epsimo_request_set_body (request, live_node);
  epsimo_request_set_reference (request, "POST", reference_path, reference_node);

  epsimo_client_open_stream_async (self->client, request, cancellable,
                                   open_cb, g_steal_pointer (&task));
}

EpsimoRunStream *
epsimo_runs_service_start_finish (EpsimoRunsService  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (EPSIMO_IS_RUNS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_runs_service_start_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Stop */

static void
stop_cb (GObject      *source,
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
epsimo_runs_service_stop_async (EpsimoRunsService   *self,
                                EpsimoRunStream     *stream,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autofree char *run = NULL;
  g_autofree char *path = NULL;
  RunInfo *info;

  g_return_if_fail (EPSIMO_IS_RUNS_SERVICE (self));
  g_return_if_fail (EPSIMO_IS_RUN_STREAM (stream));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  info = g_object_get_data (G_OBJECT (stream), RUN_INFO_KEY);
  g_return_if_fail (info != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_runs_service_stop_async);

  g_cancellable_cancel (info->read_cancellable);

  if (info->run_id == NULL)
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND,
                               _("The reply was stopped before the server named the run"));
      return;
    }

  /* The stream knows the dialect that answered: send only that form. */
  run = epsimo_request_escape (info->run_id);
  if (epsimo_run_stream_get_dialect (stream) == EPSIMO_DIALECT_REFERENCE)
    {
      g_autofree char *thread = epsimo_request_escape (info->thread_id);

      path = g_strconcat ("/threads/", thread, "/runs/", run, "/cancel", NULL);
    }
  else
    path = g_strconcat ("/runs/", run, "/cancel", NULL);

  request = epsimo_request_new ("POST", path);
  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, info->project_id);
  /* Cancelling twice does no more than cancelling once. */
  epsimo_request_set_idempotent (request, TRUE);
  epsimo_client_call_async (self->client, request, cancellable, stop_cb, g_steal_pointer (&task));
}

gboolean
epsimo_runs_service_stop_finish (EpsimoRunsService  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (EPSIMO_IS_RUNS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_runs_service_stop_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stop_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!epsimo_runs_service_stop_finish (EPSIMO_RUNS_SERVICE (source), result, &error))
    g_debug ("The server did not cancel the run: %s", error->message);
}

void
epsimo_runs_service_stop (EpsimoRunsService *self,
                          EpsimoRunStream   *stream)
{
  g_return_if_fail (EPSIMO_IS_RUNS_SERVICE (self));
  g_return_if_fail (EPSIMO_IS_RUN_STREAM (stream));

  epsimo_runs_service_stop_async (self, stream, NULL, stop_done_cb, NULL);
}

const char *
epsimo_runs_service_get_run_id (EpsimoRunsService *self,
                                EpsimoRunStream   *stream)
{
  RunInfo *info;

  g_return_val_if_fail (EPSIMO_IS_RUNS_SERVICE (self), NULL);
  g_return_val_if_fail (EPSIMO_IS_RUN_STREAM (stream), NULL);

  info = g_object_get_data (G_OBJECT (stream), RUN_INFO_KEY);
  return info != NULL ? info->run_id : NULL;
}
