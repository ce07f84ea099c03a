/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-upload-row"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-upload-row.h"

struct _EpsimoUploadRow
{
  AdwBin          parent_instance;

  EpsimoUpload   *upload;

  GtkImage       *icon;
  GtkLabel       *name_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;
  GtkButton      *retry_button;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (EpsimoUploadRow, epsimo_upload_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_UPLOAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (EpsimoUploadRow *self)
{
  g_autofree char *status = NULL;
  EpsimoUploadState state;
  const char *button_text;
  guint64 total;
  double fraction = 0;

  if (self->upload == NULL)
    return;

  state = epsimo_upload_get_state (self->upload);
  total = epsimo_upload_get_total (self->upload);

  gtk_label_set_text (self->name_label, epsimo_upload_get_name (self->upload));

  status = epsimo_upload_dup_status_text (self->upload);
  gtk_label_set_text (self->status_label, status);
  if (state == EPSIMO_UPLOAD_FAILED)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
      gtk_image_set_from_icon_name (self->icon, "document-send-symbolic");
    }

  if (state == EPSIMO_UPLOAD_DONE)
    fraction = 1;
  else if (total > 0)
    fraction = (double) epsimo_upload_get_bytes_sent (self->upload) / (double) total;
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
  /* A failed upload's bar would only say how far it got before it failed. */
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state != EPSIMO_UPLOAD_FAILED);

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), state == EPSIMO_UPLOAD_FAILED);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          state == EPSIMO_UPLOAD_WAITING || state == EPSIMO_UPLOAD_UPLOADING
                          || state == EPSIMO_UPLOAD_FAILED);

  /* A failed upload has nothing left to cancel: the same button takes it off the list. */
  if (state == EPSIMO_UPLOAD_FAILED)
    {
      button_text = _("Remove From List");
      gtk_button_set_icon_name (self->cancel_button, "window-close-symbolic");
    }
  else
    {
      button_text = _("Cancel Upload");
      gtk_button_set_icon_name (self->cancel_button, "process-stop-symbolic");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button), button_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_text,
                                  -1);
}

static void
on_upload_notify (EpsimoUploadRow *self)
{
  update (self);
}

static void
on_retry_clicked (EpsimoUploadRow *self)
{
  if (self->upload != NULL)
    epsimo_upload_retry (self->upload);
}

static void
on_cancel_clicked (EpsimoUploadRow *self)
{
  if (self->upload != NULL)
    epsimo_upload_cancel (self->upload);
}

static void
epsimo_upload_row_dispose (GObject *object)
{
  EpsimoUploadRow *self = (EpsimoUploadRow *)object;

  epsimo_upload_row_set_upload (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_UPLOAD_ROW);

  G_OBJECT_CLASS (epsimo_upload_row_parent_class)->dispose (object);
}

static void
epsimo_upload_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EpsimoUploadRow *self = EPSIMO_UPLOAD_ROW (object);

  switch (prop_id)
    {
    case PROP_UPLOAD:
      g_value_set_object (value, self->upload);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_upload_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EpsimoUploadRow *self = EPSIMO_UPLOAD_ROW (object);

  switch (prop_id)
    {
    case PROP_UPLOAD:
      epsimo_upload_row_set_upload (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_upload_row_class_init (EpsimoUploadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_upload_row_dispose;
  object_class->get_property = epsimo_upload_row_get_property;
  object_class->set_property = epsimo_upload_row_set_property;

  properties[PROP_UPLOAD] =
    g_param_spec_object ("upload", NULL, NULL, EPSIMO_TYPE_UPLOAD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/files/epsimo-upload-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoUploadRow, icon);
  gtk_widget_class_bind_template_child (widget_class, EpsimoUploadRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoUploadRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EpsimoUploadRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoUploadRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoUploadRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
epsimo_upload_row_init (EpsimoUploadRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
epsimo_upload_row_new (void)
{
  return g_object_new (EPSIMO_TYPE_UPLOAD_ROW, NULL);
}

EpsimoUpload *
epsimo_upload_row_get_upload (EpsimoUploadRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_UPLOAD_ROW (self), NULL);

  return self->upload;
}

void
epsimo_upload_row_set_upload (EpsimoUploadRow *self,
                              EpsimoUpload    *upload)
{
  g_return_if_fail (EPSIMO_IS_UPLOAD_ROW (self));
  g_return_if_fail (upload == NULL || EPSIMO_IS_UPLOAD (upload));

  if (self->upload == upload)
    return;

  if (self->upload != NULL)
    g_signal_handlers_disconnect_by_func (self->upload, on_upload_notify, self);
  g_set_object (&self->upload, upload);
  if (self->upload != NULL)
    {
      g_signal_connect_swapped (self->upload, "notify", G_CALLBACK (on_upload_notify), self);
      update (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOAD]);
}
