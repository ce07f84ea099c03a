/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-upload"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "epsimo-upload-private.h"

/* Progress is shown at most this often: a fast upload reports every written chunk. */
#define NOTIFY_INTERVAL_US (G_USEC_PER_SEC / 10)
/* The rate is measured over windows at least this long, then smoothed. */
#define RATE_WINDOW_US (G_USEC_PER_SEC / 2)
#define RATE_SMOOTHING 0.3

struct _EpsimoUpload
{
  GObject            parent_instance;

  EpsimoUploadQueue *queue;    /* weak */
  GFile             *file;
  char              *name;
  char              *project_id;
  char              *assistant_id;
  GCancellable      *cancellable;
  EpsimoFile        *result;
  char              *error;

  EpsimoUploadState  state;
  guint              attempt;
  gboolean           info_ready;
  guint64            total;

  /* Shown values, and the latest ones (shown on the next notification). */
  guint64            bytes_sent;
  double             rate;
  gint64             time_left;
  guint64            pending_sent;
  double             pending_rate;

  gint64             last_notify_us;
  gint64             sample_us;
  guint64            sample_bytes;
};

G_DEFINE_ENUM_TYPE (EpsimoUploadState, epsimo_upload_state,
                    G_DEFINE_ENUM_VALUE (EPSIMO_UPLOAD_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_UPLOAD_UPLOADING, "uploading"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_UPLOAD_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_UPLOAD_CANCELLED, "cancelled"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_UPLOAD_DONE, "done"))

G_DEFINE_FINAL_TYPE (EpsimoUpload, epsimo_upload, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_NAME,
  PROP_PROJECT_ID,
  PROP_ASSISTANT_ID,
  PROP_STATE,
  PROP_BYTES_SENT,
  PROP_TOTAL,
  PROP_RATE,
  PROP_TIME_LEFT,
  PROP_ERROR,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_upload_dispose (GObject *object)
{
  EpsimoUpload *self = (EpsimoUpload *)object;

  g_clear_weak_pointer (&self->queue);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (epsimo_upload_parent_class)->dispose (object);
}

static void
epsimo_upload_finalize (GObject *object)
{
  EpsimoUpload *self = (EpsimoUpload *)object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->assistant_id, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (epsimo_upload_parent_class)->finalize (object);
}

static void
epsimo_upload_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EpsimoUpload *self = EPSIMO_UPLOAD (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;

    case PROP_ASSISTANT_ID:
      g_value_set_string (value, self->assistant_id);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;

    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;

    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;

    case PROP_TIME_LEFT:
      g_value_set_int64 (value, self->time_left);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_upload_class_init (EpsimoUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_upload_dispose;
  object_class->finalize = epsimo_upload_finalize;
  object_class->get_property = epsimo_upload_get_property;

  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_ASSISTANT_ID] = g_param_spec_string ("assistant-id", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, EPSIMO_TYPE_UPLOAD_STATE,
                                              EPSIMO_UPLOAD_WAITING, flags);
  properties[PROP_BYTES_SENT] = g_param_spec_uint64 ("bytes-sent", NULL, NULL,
                                                     0, G_MAXUINT64, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_TIME_LEFT] = g_param_spec_int64 ("time-left", NULL, NULL,
                                                   -1, G_MAXINT64, -1, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_RESULT] = g_param_spec_object ("result", NULL, NULL, EPSIMO_TYPE_FILE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_upload_init (EpsimoUpload *self)
{
  self->time_left = -1;
  self->cancellable = g_cancellable_new ();
}

EpsimoUpload *
epsimo_upload_new (EpsimoUploadQueue *queue,
                   GFile             *file,
                   const char        *project_id,
                   const char        *assistant_id)
{
  EpsimoUpload *self;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  self = g_object_new (EPSIMO_TYPE_UPLOAD, NULL);
  g_set_weak_pointer (&self->queue, queue);
  self->file = g_object_ref (file);
  self->project_id = g_strdup (project_id);
  self->assistant_id = assistant_id != NULL && *assistant_id != '\0'
                       ? g_strdup (assistant_id) : NULL;

  /* Until the display name is read: the base name, made valid UTF-8 for display. */
  basename = g_file_get_basename (file);
  self->name = basename != NULL ? g_filename_display_name (basename) : g_file_get_uri (file);

  return self;
}

GFile *
epsimo_upload_get_file (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->file;
}

const char *
epsimo_upload_get_name (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->name;
}

const char *
epsimo_upload_get_project_id (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->project_id;
}

const char *
epsimo_upload_get_assistant_id (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->assistant_id;
}

EpsimoUploadState
epsimo_upload_get_state (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), EPSIMO_UPLOAD_WAITING);

  return self->state;
}

guint64
epsimo_upload_get_bytes_sent (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), 0);

  return self->bytes_sent;
}

guint64
epsimo_upload_get_total (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), 0);

  return self->total;
}

double
epsimo_upload_get_rate (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), 0);

  return self->rate;
}

gint64
epsimo_upload_get_time_left (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), -1);

  return self->time_left;
}

const char *
epsimo_upload_get_error (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->error;
}

EpsimoFile *
epsimo_upload_get_result (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->result;
}

EpsimoUploadQueue *
epsimo_upload_get_queue (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->queue;
}

void
epsimo_upload_detach (EpsimoUpload *self)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  g_clear_weak_pointer (&self->queue);
}

GCancellable *
epsimo_upload_get_cancellable (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  return self->cancellable;
}

void
epsimo_upload_reset_cancellable (EpsimoUpload *self)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

gboolean
epsimo_upload_get_info_ready (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), FALSE);

  return self->info_ready;
}

void
epsimo_upload_set_info (EpsimoUpload *self,
                        const char   *display_name,
                        guint64       size)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  self->info_ready = TRUE;
  if (display_name != NULL && g_strcmp0 (display_name, self->name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (display_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  if (size != self->total)
    {
      self->total = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
}

static void
set_shown_progress (EpsimoUpload *self,
                    guint64       sent,
                    double        rate,
                    gint64        time_left)
{
  if (sent != self->bytes_sent)
    {
      self->bytes_sent = sent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
    }
  if (rate != self->rate)
    {
      self->rate = rate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }
  if (time_left != self->time_left)
    {
      self->time_left = time_left;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_LEFT]);
    }
}

void
epsimo_upload_set_state (EpsimoUpload      *self,
                         EpsimoUploadState  state,
                         const char        *error)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (state == EPSIMO_UPLOAD_UPLOADING)
    {
      /* A new attempt: its progress starts from nothing. */
      self->attempt++;
      self->pending_sent = 0;
      self->pending_rate = 0;
      self->sample_us = 0;
      self->sample_bytes = 0;
      self->last_notify_us = 0;
      set_shown_progress (self, 0, 0, -1);
    }
  else if (state == EPSIMO_UPLOAD_DONE)
    set_shown_progress (self, self->total, self->rate, 0);
  else
    set_shown_progress (self, self->bytes_sent, 0, -1);

  if (state != EPSIMO_UPLOAD_FAILED)
    error = NULL;
  if (g_strcmp0 (error, self->error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

guint
epsimo_upload_get_attempt (EpsimoUpload *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), 0);

  return self->attempt;
}

void
epsimo_upload_set_progress (EpsimoUpload *self,
                            goffset       sent,
                            goffset       body_total)
{
  gint64 now = g_get_monotonic_time ();
  guint64 file_sent;
  gint64 time_left = -1;

  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  if (self->state != EPSIMO_UPLOAD_UPLOADING || sent < 0)
    return;

  /* The body is the file plus a few hundred bytes of multipart framing: show the file's
   * share of it, so the numbers match the file's size. */
  if (body_total > 0 && self->total > 0)
    file_sent = (guint64) MIN ((double) self->total,
                               (double) sent / (double) body_total * (double) self->total);
  else
    file_sent = (guint64) sent;
  self->pending_sent = file_sent;

  if (self->sample_us == 0)
    {
      self->sample_us = now;
      self->sample_bytes = file_sent;
    }
  else if (now - self->sample_us >= RATE_WINDOW_US)
    {
      double instant = (double) (file_sent - self->sample_bytes) * G_USEC_PER_SEC
                       / (double) (now - self->sample_us);

      self->pending_rate = self->pending_rate > 0
                           ? RATE_SMOOTHING * instant + (1 - RATE_SMOOTHING) * self->pending_rate
                           : instant;
      self->sample_us = now;
      self->sample_bytes = file_sent;
    }

  if (now - self->last_notify_us < NOTIFY_INTERVAL_US && sent < body_total)
    return;
  self->last_notify_us = now;

  if (self->pending_rate > 0 && self->total > file_sent)
    time_left = (gint64) ceil ((double) (self->total - file_sent) / self->pending_rate);
  else if (self->total > 0 && file_sent >= self->total)
    time_left = 0;

  g_object_freeze_notify (G_OBJECT (self));
  set_shown_progress (self, file_sent, self->pending_rate, time_left);
  g_object_thaw_notify (G_OBJECT (self));
}

void
epsimo_upload_set_result (EpsimoUpload *self,
                          EpsimoFile   *result)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  if (g_set_object (&self->result, result))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

static char *
format_time_left (gint64 seconds)
{
  guint minutes, hours;

  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u s left", "%u s left",
                                         (gulong) seconds),
                            (guint) seconds);

  minutes = (guint) ((seconds + 59) / 60);
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min left", "%u min left",
                                         minutes),
                            minutes);

  hours = minutes / 60;
  minutes %= 60;
  /* Translators: hours and minutes left, e.g. "1 h 5 min left" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u h %u min left", "%u h %u min left",
                                       hours),
                          hours, minutes);
}

char *
epsimo_upload_dup_status_text (EpsimoUpload *self)
{
  g_autofree char *sent = NULL;
  g_autofree char *total = NULL;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (EPSIMO_IS_UPLOAD (self), NULL);

  switch (self->state)
    {
    case EPSIMO_UPLOAD_WAITING:
      if (!self->info_ready)
        return g_strdup (_("Waiting…"));
      total = g_format_size (self->total);
      /* Translators: %s is the size of the file, e.g. "10 MB" */
      return g_strdup_printf (_("Waiting — %s"), total);

    case EPSIMO_UPLOAD_FAILED:
      return g_strdup (self->error != NULL ? self->error : _("The upload failed"));

    case EPSIMO_UPLOAD_CANCELLED:
      return g_strdup (_("Cancelled"));

    case EPSIMO_UPLOAD_DONE:
      return g_strdup (_("Uploaded"));

    case EPSIMO_UPLOAD_UPLOADING:
    default:
      break;
    }

  if (self->bytes_sent == 0)
    return g_strdup (_("Starting…"));

  total = g_format_size (self->total);
  if (self->bytes_sent >= self->total)
    /* Translators: %s is the size of the file, e.g. "10 MB" */
    return g_strdup_printf (_("%s sent, waiting for the server…"), total);

  sent = g_format_size (self->bytes_sent);
  text = g_string_new (NULL);
  /* Translators: bytes sent of the file's size, e.g. "3.2 MB of 10 MB" */
  g_string_printf (text, _("%s of %s"), sent, total);

  if (self->rate > 0)
    {
      g_autofree char *rate = g_format_size ((guint64) self->rate);

      /* Translators: the separator between the parts of an upload's progress */
      g_string_append (text, _(" — "));
      /* Translators: an upload speed, e.g. "1.1 MB/s" */
      g_string_append_printf (text, _("%s/s"), rate);
    }

  if (self->time_left >= 0)
    {
      g_autofree char *left = format_time_left (self->time_left);

      g_string_append (text, _(" — "));
      g_string_append (text, left);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
epsimo_upload_cancel (EpsimoUpload *self)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  if (self->queue != NULL)
    epsimo_upload_queue_cancel (self->queue, self);
}

void
epsimo_upload_retry (EpsimoUpload *self)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD (self));

  if (self->queue != NULL)
    epsimo_upload_queue_retry (self->queue, self);
}
