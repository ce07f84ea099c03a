/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-project-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"
#include "widgets/epsimo-error-banner.h"

#include "epsimo-project-dialog.h"

struct _EpsimoProjectDialog
{
  AdwWindow          parent_instance;

  EpsimoSession     *session;
  EpsimoProject     *project;
  GCancellable      *cancellable;
  gboolean           saving;
  /* The name turns red only once the user has had a chance to type one. */
  gboolean           name_touched;

  AdwWindowTitle    *window_title;
  GtkWidget         *save_button;
  GtkSpinner        *spinner;
  EpsimoErrorBanner *banner;
  GtkWidget         *form;
  AdwEntryRow       *name_row;
  GtkLabel          *name_error;
  GtkWidget         *description_frame;
  GtkTextView       *description_view;
  GtkLabel          *description_error;
};

G_DEFINE_FINAL_TYPE (EpsimoProjectDialog, epsimo_project_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What an edit changed, to put back if the server refuses it: the project object is the
 * one the rest of the window shows, so it is edited in place while the PUT is in flight. */
typedef struct
{
  EpsimoProjectDialog *self;      /* not owned; valid unless the call was cancelled */
  EpsimoProject       *project;
  char                *old_name;
  char                *old_description;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->project);
  g_free (data->old_name);
  g_free (data->old_description);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static char *
get_name (EpsimoProjectDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static char *
get_description (EpsimoProjectDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
show_field_error (GtkWidget  *field,
                  GtkLabel   *label,
                  const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
}

static void
update_state (EpsimoProjectDialog *self)
{
  g_autofree char *name = get_name (self);

  gtk_widget_set_sensitive (self->save_button, *name != '\0' && !self->saving);
  gtk_widget_set_sensitive (self->form, !self->saving);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->saving);
  gtk_spinner_set_spinning (self->spinner, self->saving);
}

static void
on_name_changed (EpsimoProjectDialog *self)
{
  g_autofree char *name = get_name (self);

  /* Any server complaint about the old text is moot once the user edits it. */
  if (*name != '\0')
    self->name_touched = TRUE;
  show_field_error (GTK_WIDGET (self->name_row), self->name_error,
                    *name == '\0' && self->name_touched
                    ? _("A project needs a name.") : NULL);
  update_state (self);
}

static void
on_description_changed (EpsimoProjectDialog *self)
{
  show_field_error (self->description_frame, self->description_error, NULL);
}

/* Puts the server's complaint where the user can fix it, and keeps every typed word. */
static void
show_error (EpsimoProjectDialog *self,
            const GError        *error)
{
  const char *field = NULL;
  const char *detail = NULL;

  if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION))
    {
      field = epsimo_api_error_get_field (error);
      detail = epsimo_api_error_get_detail (error);
    }
  if (detail == NULL || *detail == '\0')
    detail = error->message;

  if (g_strcmp0 (field, "name") == 0)
    {
      show_field_error (GTK_WIDGET (self->name_row), self->name_error, detail);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
    }
  else if (g_strcmp0 (field, "description") == 0)
    {
      show_field_error (self->description_frame, self->description_error, detail);
      gtk_widget_grab_focus (GTK_WIDGET (self->description_view));
    }
  else
    {
      g_autofree char *message = NULL;

      if (self->project == NULL)
        message = g_strdup_printf (_("Could not create the project: %s"), error->message);
      else
        message = g_strdup_printf (_("Could not save the changes: %s"), error->message);
      epsimo_error_banner_set_message (self->banner, message);
      epsimo_error_banner_reveal (self->banner);
    }
}

static void
finish_saving (EpsimoProjectDialog *self)
{
  self->saving = FALSE;
  g_clear_object (&self->cancellable);
  update_state (self);
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EpsimoProjectDialog *self = user_data;
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = epsimo_projects_service_create_finish (EPSIMO_PROJECTS_SERVICE (source),
                                                   result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  finish_saving (self);
  if (project == NULL)
    {
      show_error (self, error);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, project);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
update_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  EpsimoProjectDialog *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!epsimo_projects_service_update_finish (EPSIMO_PROJECTS_SERVICE (source), result, &error))
    {
      /* Not saved (or not known to be): the rest of the window shows the old values again,
       * and the next refresh says what the server holds. */
      epsimo_project_set_name (data->project, data->old_name);
      epsimo_project_set_description (data->project, data->old_description);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      finish_saving (self);
      show_error (self, error);
      return;
    }

  finish_saving (self);
  g_signal_emit (self, signals[SAVED], 0, data->project);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save (EpsimoProjectDialog *self)
{
  g_autofree char *name = get_name (self);
  g_autofree char *description = get_description (self);
  EpsimoProjectsService *service;

  if (self->saving || *name == '\0' || self->session == NULL)
    return;

  service = epsimo_session_get_projects (self->session);
  self->saving = TRUE;
  self->cancellable = g_cancellable_new ();
  epsimo_error_banner_hide (self->banner);
  show_field_error (GTK_WIDGET (self->name_row), self->name_error, NULL);
  show_field_error (self->description_frame, self->description_error, NULL);
  update_state (self);

  if (self->project == NULL)
    {
      g_autoptr(EpsimoProject) draft = epsimo_project_new (name, description);

      epsimo_projects_service_create_async (service, draft, self->cancellable,
                                            create_cb, self);
    }
  else
    {
      SaveData *data = g_new0 (SaveData, 1);

      data->self = self;
      data->project = g_object_ref (self->project);
      data->old_name = g_strdup (epsimo_project_get_name (self->project));
      data->old_description = g_strdup (epsimo_project_get_description (self->project));

      epsimo_project_set_name (self->project, name);
      epsimo_project_set_description (self->project, description);
      epsimo_projects_service_update_async (service, self->project, self->cancellable,
                                            update_cb, data);
    }
}

static void
on_save_clicked (EpsimoProjectDialog *self)
{
  save (self);
}

static void
on_banner_retry (EpsimoProjectDialog *self)
{
  save (self);
}

static void
on_name_activated (EpsimoProjectDialog *self)
{
  save (self);
}

static void
epsimo_project_dialog_constructed (GObject *object)
{
  EpsimoProjectDialog *self = EPSIMO_PROJECT_DIALOG (object);

  G_OBJECT_CLASS (epsimo_project_dialog_parent_class)->constructed (object);

  if (self->project != NULL)
    {
      const char *description = epsimo_project_get_description (self->project);

      gtk_window_set_title (GTK_WINDOW (self), _("Edit Project"));
      gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                             epsimo_project_get_name (self->project));
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                                description != NULL ? description : "", -1);
      self->name_touched = TRUE;
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Project"));
      gtk_button_set_label (GTK_BUTTON (self->save_button), _("C_reate"));
    }
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));

  g_signal_connect_object (gtk_text_view_get_buffer (self->description_view), "changed",
                           G_CALLBACK (on_description_changed), self, G_CONNECT_SWAPPED);
  update_state (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
epsimo_project_dialog_dispose (GObject *object)
{
  EpsimoProjectDialog *self = EPSIMO_PROJECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (epsimo_project_dialog_parent_class)->dispose (object);
}

static void
epsimo_project_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EpsimoProjectDialog *self = EPSIMO_PROJECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EpsimoProjectDialog *self = EPSIMO_PROJECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_dialog_class_init (EpsimoProjectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = epsimo_project_dialog_constructed;
  object_class->dispose = epsimo_project_dialog_dispose;
  object_class->get_property = epsimo_project_dialog_get_property;
  object_class->set_property = epsimo_project_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EPSIMO_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoProjectDialog::saved:
   * @project: the project as the server has it (for an edit, the edited object itself)
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, EPSIMO_TYPE_PROJECT);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/projects/epsimo-project-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, form);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, name_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, description_frame);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, description_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectDialog, description_error);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
}

static void
epsimo_project_dialog_init (EpsimoProjectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->name_row, "entry-activated",
                           G_CALLBACK (on_name_activated), self, G_CONNECT_SWAPPED);
}

GtkWidget *
epsimo_project_dialog_new (GtkWindow     *parent,
                           EpsimoSession *session,
                           EpsimoProject *project)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EPSIMO_IS_SESSION (session), NULL);
  g_return_val_if_fail (project == NULL || EPSIMO_IS_PROJECT (project), NULL);

  return g_object_new (EPSIMO_TYPE_PROJECT_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       "project", project,
                       NULL);
}

EpsimoProject *
epsimo_project_dialog_get_project (EpsimoProjectDialog *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_DIALOG (self), NULL);

  return self->project;
}
