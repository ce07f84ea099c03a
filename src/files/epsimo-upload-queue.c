/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-upload-queue"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-upload-private.h"
#include "epsimo-upload-queue.h"

struct _EpsimoUploadQueue
{
  GObject             parent_instance;

  EpsimoFilesService *service;
  GPtrArray          *items;
  guint               max_running;
  guint               n_running;
  gboolean            cancelling_all;
};

static void epsimo_upload_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EpsimoUploadQueue, epsimo_upload_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      epsimo_upload_queue_list_model_init))

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_MAX_RUNNING,
  PROP_N_RUNNING,
  N_PROPS
};

enum {
  UPLOAD_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What a callback needs to know it still concerns the upload's current attempt. */
typedef struct
{
  EpsimoUpload *upload;
  guint         attempt;
} Attempt;

static Attempt *
attempt_new (EpsimoUpload *upload)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->upload = g_object_ref (upload);
  attempt->attempt = epsimo_upload_get_attempt (upload);
  return attempt;
}

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->upload);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static gboolean
attempt_is_current (Attempt *attempt)
{
  return epsimo_upload_get_attempt (attempt->upload) == attempt->attempt;
}

/* GListModel */

static GType
epsimo_upload_queue_get_item_type (GListModel *model)
{
  return EPSIMO_TYPE_UPLOAD;
}

static guint
epsimo_upload_queue_get_n_items (GListModel *model)
{
  return EPSIMO_UPLOAD_QUEUE (model)->items->len;
}

static gpointer
epsimo_upload_queue_get_item (GListModel *model,
                              guint       position)
{
  EpsimoUploadQueue *self = EPSIMO_UPLOAD_QUEUE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
epsimo_upload_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = epsimo_upload_queue_get_item_type;
  iface->get_n_items = epsimo_upload_queue_get_n_items;
  iface->get_item = epsimo_upload_queue_get_item;
}

/* Running */

static void
set_n_running (EpsimoUploadQueue *self,
               guint              n_running)
{
  if (n_running == self->n_running)
    return;

  self->n_running = n_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
}

static void
remove_item (EpsimoUploadQueue *self,
             EpsimoUpload      *upload)
{
  guint position;

  if (g_ptr_array_find (self->items, upload, &position))
    {
      g_ptr_array_remove_index (self->items, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
}

static void schedule (EpsimoUploadQueue *self);

static void
on_progress (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Attempt *attempt = user_data;

  if (attempt_is_current (attempt))
    epsimo_upload_set_progress (attempt->upload, sent, total);
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(EpsimoFile) file = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoUploadQueue *self;

  file = epsimo_files_service_upload_finish (EPSIMO_FILES_SERVICE (source), result, &error);

  /* A cancelled upload was already taken care of by whoever cancelled it (the user, or the
   * queue going away). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!attempt_is_current (attempt)
      || epsimo_upload_get_state (attempt->upload) != EPSIMO_UPLOAD_UPLOADING
      || (self = epsimo_upload_get_queue (attempt->upload)) == NULL)
    return;

  g_object_ref (self);
  set_n_running (self, self->n_running - 1);

  if (file == NULL)
    {
      g_debug ("Upload of %s failed: %s", epsimo_upload_get_name (attempt->upload),
               error->message);
      epsimo_upload_set_state (attempt->upload, EPSIMO_UPLOAD_FAILED, error->message);
    }
  else
    {
      epsimo_upload_set_result (attempt->upload, file);
      epsimo_upload_set_state (attempt->upload, EPSIMO_UPLOAD_DONE, NULL);
      g_signal_emit (self, signals[UPLOAD_DONE], 0, attempt->upload);
      remove_item (self, attempt->upload);
    }

  schedule (self);
  g_object_unref (self);
}

static void
start (EpsimoUploadQueue *self,
       EpsimoUpload      *upload)
{
  epsimo_upload_set_state (upload, EPSIMO_UPLOAD_UPLOADING, NULL);
  set_n_running (self, self->n_running + 1);

  epsimo_files_service_upload_async (self->service,
                                     epsimo_upload_get_project_id (upload),
                                     epsimo_upload_get_assistant_id (upload),
                                     epsimo_upload_get_file (upload),
                                     NULL,
                                     on_progress, attempt_new (upload),
                                     (GDestroyNotify) attempt_free,
                                     epsimo_upload_get_cancellable (upload),
                                     upload_cb, attempt_new (upload));
}

/* Starts waiting uploads, oldest first, while there is room. */
static void
schedule (EpsimoUploadQueue *self)
{
  if (self->cancelling_all || self->service == NULL)
    return;

  for (guint i = 0; i < self->items->len && self->n_running < self->max_running; i++)
    {
      EpsimoUpload *upload = g_ptr_array_index (self->items, i);

      if (epsimo_upload_get_state (upload) == EPSIMO_UPLOAD_WAITING
          && epsimo_upload_get_info_ready (upload))
        start (self, upload);
    }
}

static void
info_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoUpload *upload = attempt->upload;
  EpsimoUploadQueue *self;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!attempt_is_current (attempt)
      || epsimo_upload_get_state (upload) != EPSIMO_UPLOAD_WAITING
      || (self = epsimo_upload_get_queue (upload)) == NULL)
    return;

  if (info == NULL)
    {
      /* Translators: %s is a file name, then why it could not be read */
      g_autofree char *message = g_strdup_printf (_("“%s” could not be read: %s"),
                                                  epsimo_upload_get_name (upload),
                                                  error->message);

      epsimo_upload_set_state (upload, EPSIMO_UPLOAD_FAILED, message);
      return;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      epsimo_upload_set_state (upload, EPSIMO_UPLOAD_FAILED,
                               _("Folders cannot be uploaded: choose the files inside"));
      return;
    }

  epsimo_upload_set_info (upload, g_file_info_get_display_name (info),
                          (guint64) MAX (0, g_file_info_get_size (info)));
  schedule (self);
}

/* Its size (for the progress) and whether it is a folder, before it can start. */
static void
query_info (EpsimoUpload *upload)
{
  g_file_query_info_async (epsimo_upload_get_file (upload),
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           epsimo_upload_get_cancellable (upload),
                           info_cb, attempt_new (upload));
}

/* GObject */

static void
epsimo_upload_queue_dispose (GObject *object)
{
  EpsimoUploadQueue *self = (EpsimoUploadQueue *)object;

  if (self->items != NULL)
    epsimo_upload_queue_cancel_all (self);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (epsimo_upload_queue_parent_class)->dispose (object);
}

static void
epsimo_upload_queue_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoUploadQueue *self = EPSIMO_UPLOAD_QUEUE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    case PROP_MAX_RUNNING:
      g_value_set_uint (value, self->max_running);
      break;

    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_upload_queue_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoUploadQueue *self = EPSIMO_UPLOAD_QUEUE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;

    case PROP_MAX_RUNNING:
      epsimo_upload_queue_set_max_running (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_upload_queue_class_init (EpsimoUploadQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_upload_queue_dispose;
  object_class->get_property = epsimo_upload_queue_get_property;
  object_class->set_property = epsimo_upload_queue_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, EPSIMO_TYPE_FILES_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MAX_RUNNING] =
    g_param_spec_uint ("max-running", NULL, NULL,
                       1, G_MAXUINT, EPSIMO_UPLOAD_QUEUE_DEFAULT_MAX_RUNNING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoUploadQueue::upload-done:
   * @upload: the upload; epsimo_upload_get_result() is the file the server stored
   *
   * Emitted when an upload succeeded, just before it leaves the model.
   */
  signals[UPLOAD_DONE] =
    g_signal_new ("upload-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, EPSIMO_TYPE_UPLOAD);
}

static void
epsimo_upload_queue_init (EpsimoUploadQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_running = EPSIMO_UPLOAD_QUEUE_DEFAULT_MAX_RUNNING;
}

EpsimoUploadQueue *
epsimo_upload_queue_new (EpsimoFilesService *service)
{
  g_return_val_if_fail (EPSIMO_IS_FILES_SERVICE (service), NULL);

  return g_object_new (EPSIMO_TYPE_UPLOAD_QUEUE, "service", service, NULL);
}

EpsimoFilesService *
epsimo_upload_queue_get_service (EpsimoUploadQueue *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self), NULL);

  return self->service;
}

EpsimoUpload *
epsimo_upload_queue_add (EpsimoUploadQueue *self,
                         GFile             *file,
                         const char        *project_id,
                         const char        *assistant_id)
{
  EpsimoUpload *upload;

  g_return_val_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (project_id != NULL && *project_id != '\0', NULL);

  upload = epsimo_upload_new (self, file, project_id, assistant_id);
  g_ptr_array_add (self->items, upload);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);

  query_info (upload);
  return upload;
}

void
epsimo_upload_queue_cancel (EpsimoUploadQueue *self,
                            EpsimoUpload      *upload)
{
  g_autoptr(EpsimoUpload) hold = NULL;

  g_return_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self));
  g_return_if_fail (EPSIMO_IS_UPLOAD (upload));

  hold = g_object_ref (upload);

  switch (epsimo_upload_get_state (upload))
    {
    case EPSIMO_UPLOAD_UPLOADING:
      /* Dropping the connection before the answer: the server stores nothing. */
      epsimo_upload_reset_cancellable (upload);
      set_n_running (self, self->n_running - 1);
      break;

    case EPSIMO_UPLOAD_WAITING:
      epsimo_upload_reset_cancellable (upload);
      break;

    case EPSIMO_UPLOAD_FAILED:
      break;

    case EPSIMO_UPLOAD_CANCELLED:
    case EPSIMO_UPLOAD_DONE:
    default:
      return;
    }

  epsimo_upload_set_state (upload, EPSIMO_UPLOAD_CANCELLED, NULL);
  remove_item (self, upload);
  schedule (self);
}

void
epsimo_upload_queue_retry (EpsimoUploadQueue *self,
                           EpsimoUpload      *upload)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self));
  g_return_if_fail (EPSIMO_IS_UPLOAD (upload));

  if (epsimo_upload_get_state (upload) != EPSIMO_UPLOAD_FAILED
      || !g_ptr_array_find (self->items, upload, NULL))
    return;

  epsimo_upload_reset_cancellable (upload);
  epsimo_upload_set_state (upload, EPSIMO_UPLOAD_WAITING, NULL);
  if (epsimo_upload_get_info_ready (upload))
    schedule (self);
  else
    query_info (upload);
}

void
epsimo_upload_queue_cancel_all (EpsimoUploadQueue *self)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self));

  /* Not one waiting upload may start while the running ones are cancelled. */
  self->cancelling_all = TRUE;
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    g_ptr_array_add (items, g_object_ref (g_ptr_array_index (self->items, i)));
  for (guint i = 0; i < items->len; i++)
    {
      EpsimoUpload *upload = g_ptr_array_index (items, i);

      epsimo_upload_queue_cancel (self, upload);
      epsimo_upload_detach (upload);
    }
  self->cancelling_all = FALSE;
}

guint
epsimo_upload_queue_get_max_running (EpsimoUploadQueue *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self), 0);

  return self->max_running;
}

void
epsimo_upload_queue_set_max_running (EpsimoUploadQueue *self,
                                     guint              max_running)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self));
  g_return_if_fail (max_running > 0);

  if (max_running == self->max_running)
    return;

  self->max_running = max_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RUNNING]);
  schedule (self);
}

guint
epsimo_upload_queue_get_n_running (EpsimoUploadQueue *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD_QUEUE (self), 0);

  return self->n_running;
}
